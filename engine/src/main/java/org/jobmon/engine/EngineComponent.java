package org.jobmon.engine;

import javax.inject.Singleton;

import org.jobmon.persistence.Database;

import dagger.BindsInstance;
import dagger.Component;

/** One engine: its database, executors and run service. */
@Singleton
@Component(modules = EngineModule.class)
interface EngineComponent {
    WorkflowRunService runService();

    Database database();

    @Component.Builder
    interface Builder {
        @BindsInstance
        Builder settings(EngineSettings settings);

        EngineComponent build();
    }
}

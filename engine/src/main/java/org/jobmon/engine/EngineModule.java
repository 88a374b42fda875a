package org.jobmon.engine;

import java.util.HashSet;
import java.util.Set;

import javax.inject.Singleton;

import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.engine.executors.ExecutorRegistry;
import org.jobmon.persistence.Database;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;

/** The engine's services: the database and the executor plugins. */
@Module
abstract class EngineModule {
    private EngineModule() {
    }

    @Provides
    @Singleton
    static Database database(EngineSettings settings) {
        return Database.open(settings.databaseUrl(), settings.dataSourceWrapper());
    }

    /** Executors given explicitly, else those ServiceLoader finds (so tests never depend on the classpath). */
    @Provides
    @ElementsIntoSet
    static Set<ExecutorFactory> executorFactories(EngineSettings settings) {
        return new HashSet<>(settings.executorFactories()
                .orElseGet(() -> ExecutorRegistry.discover(JobmonEngine.class.getClassLoader())));
    }

    @Provides
    @Singleton
    static ExecutorRegistry executorRegistry(Set<ExecutorFactory> factories) {
        return new ExecutorRegistry(factories);
    }
}

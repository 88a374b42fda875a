package org.jobmon.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.jobmon.executor.local.SequentialExecutorFactory;
import org.jobmon.executor.multiprocess.MultiprocessExecutorFactory;

/** Engines for tests: a fresh database, both local executors given explicitly, short intervals. */
final class EngineFixture {
    private EngineFixture() {
    }

    static JobmonEngine engine(String dbUrl, Path workRoot) {
        return JobmonEngine.builder().databaseUrl(dbUrl).workRoot(workRoot)
                .executorFactories(List.of(new SequentialExecutorFactory(), new MultiprocessExecutorFactory()))
                .config(EngineConfig.defaults().withWorkflowRunHeartbeat(Duration.ofSeconds(2)).withMaxCycleWait(Duration.ofMillis(200)))
                .build();
    }

    /** An engine with sub-second heartbeats, for tests of liveness, kills and resource enforcement. */
    static JobmonEngine fastHeartbeatEngine(Path dir) {
        return JobmonEngine.builder().databaseUrl(org.jobmon.persistence.DatabaseUrls.embedded(dir.resolve("db")))
                .workRoot(dir.resolve("runs"))
                .executorFactories(List.of(new SequentialExecutorFactory(), new MultiprocessExecutorFactory()))
                .config(EngineConfig.defaults().withWorkflowRunHeartbeat(Duration.ofSeconds(1))
                        .withInstanceHeartbeat(Duration.ofMillis(500)).withMaxCycleWait(Duration.ofMillis(100)))
                .build();
    }
}

package org.jobmon.cli.run;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.cli.CliContext;
import org.jobmon.cli.RunEngine;
import org.jobmon.cli.spec.KnownExecutors;
import org.jobmon.engine.EngineConfig;

/** What the run command's tests share: the real engine on a test's folder, and task counts for a fake one. */
final class CliTestSupport {
    private CliTestSupport() {
    }

    /** The command line's context with the real engine: runs keep their records under {@code dir/runs}, cycles wait at most 50 ms. */
    static CliContext realEngine(Path dir) {
        RunEngine engine = RunEngine.jobmon(b -> b.workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(50))));
        return new CliContext(engine, Clock.systemDefaultZone(), false, KnownExecutors.installed());
    }

    /** Task counts as the engine reports them. */
    static Map<TaskStatus, Integer> counts(int pending, int running, int done, int fatal) {
        Map<TaskStatus, Integer> m = new EnumMap<>(TaskStatus.class);
        m.put(TaskStatus.REGISTERED, pending);
        m.put(TaskStatus.RUNNING, running);
        m.put(TaskStatus.DONE, done);
        m.put(TaskStatus.ERROR_FATAL, fatal);
        return m;
    }
}

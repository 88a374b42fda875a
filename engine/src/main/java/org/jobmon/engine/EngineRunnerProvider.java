package org.jobmon.engine;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jobmon.api.spi.WorkflowRunner;
import org.jobmon.api.spi.WorkflowRunnerProvider;
import org.jobmon.persistence.DatabaseUrls;

/**
 * Lets {@code workflow.run()} find this engine. One engine per database serves every such call for
 * the JVM's life (opening an engine costs a connection pool and a schema check: about 0.4 s), and
 * is closed when the JVM exits. The database is the one {@code jobmon} would use: {@code
 * JOBMON_DB_URL}, the config file, else the embedded one.
 */
public final class EngineRunnerProvider implements WorkflowRunnerProvider {
    private static final Map<String, JobmonEngine> ENGINES = new ConcurrentHashMap<>();
    private static final AtomicBoolean CLOSE_AT_EXIT = new AtomicBoolean();

    @Override
    public WorkflowRunner create() {
        return (workflow, options) -> engineFor(DatabaseUrls.resolve(Optional.empty())).run(workflow, options);
    }

    /** The shared engine for {@code url}, opened on first use. */
    static JobmonEngine engineFor(String url) {
        return ENGINES.computeIfAbsent(url, u -> {
            if (CLOSE_AT_EXIT.compareAndSet(false, true)) {
                Runtime.getRuntime().addShutdownHook(new Thread(EngineRunnerProvider::closeAll, "jobmon-engines-close"));
            }
            return JobmonEngine.builder().databaseUrl(u).build();
        });
    }

    /** Closes every shared engine (at exit). */
    static void closeAll() {
        for (String url : ENGINES.keySet()) {
            JobmonEngine e = ENGINES.remove(url);
            if (e != null) {
                e.close();
            }
        }
    }
}

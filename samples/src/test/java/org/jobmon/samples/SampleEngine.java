package org.jobmon.samples;

import java.nio.file.Path;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.persistence.DatabaseUrls;

/** An engine on a fresh embedded database in a test's folder, with SQL helpers for assertions. */
public final class SampleEngine implements AutoCloseable {
    private final JobmonEngine engine;

    public SampleEngine(Path dir) {
        this.engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db")))
                .workRoot(dir.resolve("runs")).build();
    }

    public JobmonEngine engine() {
        return engine;
    }

    public Jdbi jdbi() {
        return engine.database().jdbi();
    }

    /** The one number the query returns; {@code ?} binds {@code binds} in order. */
    public long number(String sql, Object... binds) {
        return jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < binds.length; i++) {
                q.bind(i, binds[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }

    /** The one text the query returns. */
    public String text(String sql, Object... binds) {
        return jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < binds.length; i++) {
                q.bind(i, binds[i]);
            }
            return q.mapTo(String.class).one();
        });
    }

    @Override
    public void close() {
        engine.close();
    }
}

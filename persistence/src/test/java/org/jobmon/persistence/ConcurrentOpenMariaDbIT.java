package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Several processes' worth of opens racing on one fresh MariaDB database: every one must succeed. */
class ConcurrentOpenMariaDbIT {
    private static final int OPENERS = 6;

    @Test
    void openersStartedTogetherOnAFreshDatabaseAllSucceed() throws Exception {
        String url = TestDatabases.freshMariaDb();
        assertThat(openTogether(url)).as("failures").isEmpty();
        try (Database db = Database.open(url)) {
            SchemaTest.assertSchema(db);
            long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM DATABASECHANGELOG").mapTo(Long.class).one());
            assertThat(rows).isEqualTo(Database.changesetIds().size());
        }
    }

    /** Opens the database from {@link #OPENERS} threads released at once; returns what failed. */
    static List<Throwable> openTogether(String url) throws Exception {
        CyclicBarrier start = new CyclicBarrier(OPENERS);
        ExecutorService pool = Executors.newFixedThreadPool(OPENERS);
        try {
            List<Future<?>> opens = new ArrayList<>();
            for (int i = 0; i < OPENERS; i++) {
                opens.add(pool.submit(() -> {
                    start.await();
                    try (Database db = Database.open(url)) {
                        SchemaTest.assertSchema(db);
                    }
                    return null;
                }));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<?> f : opens) {
                try {
                    f.get(120, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }
}

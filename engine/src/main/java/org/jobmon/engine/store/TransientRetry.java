package org.jobmon.engine.store;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import org.jobmon.persistence.DatabaseErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs a piece of database work again while it fails for a passing reason, for a bounded time. */
public final class TransientRetry {
    private static final Logger log = LoggerFactory.getLogger(TransientRetry.class);

    private TransientRetry() {
    }

    /**
     * Returns what {@code work} returns, trying again with jittered backoff (0.1 s doubling to 5 s)
     * while it fails with a transient database error, for at most {@code limit}; then rethrows.
     */
    public static <T> T call(String what, Duration limit, Supplier<T> work) {
        long deadline = System.nanoTime() + limit.toNanos();
        long backoff = Duration.ofMillis(100).toNanos();
        boolean warned = false;
        while (true) {
            try {
                return work.get();
            } catch (RuntimeException e) {
                if (!DatabaseErrors.isTransient(e) || System.nanoTime() + backoff > deadline) {
                    throw e;
                }
                if (!warned) {
                    warned = true;
                    log.warn("cannot {} now ({}); trying again for up to {} s", what, DatabaseErrors.describe(e), limit.toSeconds());
                }
                try {
                    Thread.sleep(Duration.ofNanos(backoff + (long) (backoff * 0.2 * ThreadLocalRandom.current().nextDouble())).toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = Math.min(Duration.ofSeconds(5).toNanos(), backoff * 2);
            }
        }
    }

    /** {@link #call} for work without a result. */
    public static void run(String what, Duration limit, Runnable work) {
        call(what, limit, () -> {
            work.run();
            return null;
        });
    }
}

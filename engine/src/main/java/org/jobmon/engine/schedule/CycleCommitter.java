package org.jobmon.engine.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jobmon.engine.store.CycleWrites;
import org.jobmon.engine.store.RunStore;
import org.jobmon.engine.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's side of its lease: gathers what each cycle decided, commits it through the run store
 * with the lease renewed, and rides out database outages. A cycle that could not be committed is
 * kept, sealed with its number, and committed with the next attempt, so its writes are never lost
 * and never written twice; nothing that depends on them (a submission) happens until they are in.
 * One warning per outage, not per cycle.
 */
final class CycleCommitter {
    private static final Logger log = LoggerFactory.getLogger(CycleCommitter.class);
    private static final long FIRST_BACKOFF_NANOS = Duration.ofMillis(100).toNanos();
    private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(5).toNanos();

    private final RunStore store;
    private final long runId;
    private final long outageLimitNanos;
    private final List<CycleWrites> sealed = new ArrayList<>();
    private CycleWrites current = new CycleWrites();
    private long lastNumber;
    private long outageSince;
    private long retryAt;
    private long backoff = FIRST_BACKOFF_NANOS;
    private String outageReason = "";
    private boolean started;

    /** How a commit went. */
    sealed interface Outcome {
        /** Written, with the lease renewed. */
        record Committed(RunStore.Lease lease) implements Outcome {
        }

        /** The database is unreachable; the writes are kept and tried again at {@link #retryAt()}. */
        record Deferred(String reason) implements Outcome {
        }

        /** The run no longer holds its lease: another process settled or took it over. Nothing was written. */
        record Lost(char runStatus) implements Outcome {
        }

        /** The database has been unreachable for longer than the run may go without its lease. */
        record OutageTooLong(Duration lasted, String reason) implements Outcome {
        }
    }

    CycleCommitter(RunStore store, long runId, Duration outageLimit) {
        this.store = store;
        this.runId = runId;
        this.outageLimitNanos = outageLimit.toNanos();
    }

    /** Where this cycle's decisions go. */
    CycleWrites writes() {
        return current;
    }

    /** Whether anything is waiting to be committed. */
    boolean hasWork() {
        return !sealed.isEmpty() || !current.isEmpty();
    }

    /** True while an outage is going on. */
    boolean inOutage() {
        return outageSince != 0;
    }

    /** When the next attempt may be made (System.nanoTime), during an outage. */
    long retryAt() {
        return retryAt;
    }

    /** Seals this cycle's writes and commits everything pending with a renewed lease. */
    Outcome commit(long now) {
        seal();
        if (inOutage() && now < retryAt) {
            return outageOutcome(now);
        }
        try {
            RunStore.Lease lease = store.commit(List.copyOf(sealed), !started);
            if (!lease.held()) {
                return new Outcome.Lost(lease.runStatus());
            }
            started = true;
            sealed.clear();
            recovered(now);
            return new Outcome.Committed(lease);
        } catch (StoreUnavailableException e) {
            return failed(now, e);
        }
    }

    /**
     * Writes what is pending and the run's end, retrying through an outage until its limit. Returns
     * false when the lease was lost or the database stayed unreachable (then nothing more is written).
     */
    boolean finish(org.jobmon.api.Statuses.WorkflowRunStatus end, Character workflowStatus, java.util.function.LongSupplier clock,
            Sleeper sleeper) throws InterruptedException {
        seal();
        long endCycle = ++lastNumber;
        while (true) {
            long now = clock.getAsLong();
            try {
                boolean ours = store.finish(List.copyOf(sealed), end, workflowStatus, endCycle);
                sealed.clear();
                recovered(now);
                return ours;
            } catch (StoreUnavailableException e) {
                Outcome o = failed(now, e);
                if (o instanceof Outcome.OutageTooLong) {
                    return false;
                }
                sleeper.sleepNanos(Math.max(0, retryAt - clock.getAsLong()));
            }
        }
    }

    /** Waits; a test can replace it. */
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private void seal() {
        if (!current.isEmpty()) {
            current.sealAs(++lastNumber);
            sealed.add(current);
            current = new CycleWrites();
        }
    }

    private Outcome failed(long now, StoreUnavailableException e) {
        if (outageSince == 0) {
            outageSince = now;
            outageReason = e.getMessage();
            log.warn("workflow run {}: the database cannot be reached ({}); its tasks keep running and their results are kept "
                    + "until it is back, for up to {} s", runId, e.getMessage(), Duration.ofNanos(outageLimitNanos).toSeconds());
            backoff = FIRST_BACKOFF_NANOS;
        } else {
            log.debug("workflow run {}: the database is still unreachable: {}", runId, e.getMessage());
            backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
        }
        long jitter = (long) (backoff * 0.2 * java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        retryAt = now + backoff + jitter;
        return outageOutcome(now);
    }

    private Outcome outageOutcome(long now) {
        if (now - outageSince >= outageLimitNanos) {
            return new Outcome.OutageTooLong(Duration.ofNanos(now - outageSince), outageReason);
        }
        return new Outcome.Deferred(outageReason);
    }

    private void recovered(long now) {
        if (outageSince != 0) {
            log.warn("workflow run {}: the database is back after {} s; what happened meanwhile is written", runId,
                    Duration.ofNanos(now - outageSince).toSeconds());
            outageSince = 0;
            backoff = FIRST_BACKOFF_NANOS;
        }
    }
}

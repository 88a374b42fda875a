package org.jobmon.engine.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.engine.store.CycleWrites;
import org.jobmon.persistence.dao.TaskInstanceDao;

/**
 * How a run leaves its instances when it ends early (a stop, a timeout, a hand-over, a lost lease):
 * killed, or left running for a hot resume; never an instance left queued that the executor could
 * still start; and whatever outlives the grace period recorded as such.
 */
final class RunShutdown {
    private final Map<Long, Attempt> active;
    private final AttemptOutcomes outcomes;
    private final InstanceReconciler reconciler;
    private final BlockingQueue<InstanceEvent> events;
    private final Supplier<CycleWrites> writes;
    private final Duration grace;
    private final boolean batchScheduler;

    RunShutdown(Map<Long, Attempt> active, AttemptOutcomes outcomes, InstanceReconciler reconciler, BlockingQueue<InstanceEvent> events,
            Supplier<CycleWrites> writes, Duration grace, boolean batchScheduler) {
        this.batchScheduler = batchScheduler;
        this.active = active;
        this.outcomes = outcomes;
        this.reconciler = reconciler;
        this.events = events;
        this.writes = writes;
        this.grace = grace;
    }

    /**
     * Stops scheduling and kills the running instances (recorded ERROR_FATAL with {@code why}), or
     * leaves them running for a hot resume to adopt. Says what it did.
     */
    String endInstances(boolean kill, String why) {
        outcomes.stopScheduling(null);
        // Instances not yet started are never left behind: the executor could start them after this
        // run handed over, and a resume would start them again.
        // A batch scheduler's queued job is left too: the next run adopts it by its id (or deletes it), and its
        // state here may be stale (it may have started). Only attempts never submitted are ended.
        List<Attempt> toEnd = active.values().stream().filter(a -> kill || (batchScheduler ? a.executorId == null
                : a.status != TaskInstanceStatus.RUNNING.code())).toList();
        toEnd.forEach(a -> a.stopReason = why != null ? why : "dropped before it started: the run stopped or handed over");
        long running = toEnd.stream().filter(a -> a.status == TaskInstanceStatus.RUNNING.code()).count();
        if (!toEnd.isEmpty()) {
            reconciler.terminate(new ArrayList<>(toEnd));
            long until = System.nanoTime() + grace.toNanos();
            List<InstanceEvent> batch = new ArrayList<>();
            while (toEnd.stream().anyMatch(a -> active.containsKey(a.id)) && System.nanoTime() < until) {
                reconciler.confirmTerminated(toEnd.stream().filter(a -> active.containsKey(a.id)).toList());
                try {
                    InstanceEvent e = events.poll(reconciler.pollsForEnds() ? 500 : 100, TimeUnit.MILLISECONDS);
                    if (e != null) {
                        batch.add(e);
                        events.drainTo(batch);
                        batch.forEach(outcomes::apply);
                        batch.clear();
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        List<Attempt> stragglers = toEnd.stream().filter(a -> active.containsKey(a.id)).toList();
        for (Attempt a : stragglers) {
            // Recorded as what it is: the run ends while this instance may still run. A resume or a
            // status command settles it from its records.
            writes.get().errors.add(new TaskInstanceDao.ErrorLog(a.id, "the run ended while this instance was still "
                    + (a.status == TaskInstanceStatus.RUNNING.code() ? "running" : "queued") + ": it did not end within 10 s of "
                    + "being " + (kill ? "killed" : "dropped") + "; it was left as it is"));
        }
        long stillThere = stragglers.size();
        String how;
        if (kill) {
            how = running + " running task instance(s) were killed";
            if (toEnd.size() > running) {
                how += "; " + (toEnd.size() - running) + " not yet started were dropped";
            }
            if (stillThere > 0) {
                how += " and " + stillThere + " did not end within " + grace.toSeconds() + " s (left running)";
            }
        } else {
            how = (active.size() - stillThere) + (batchScheduler ? " queued or running job(s) were left in the scheduler"
                    : " running task instance(s) were left running") + " (a hot resume adopts them)";
            if (!toEnd.isEmpty()) {
                how += "; " + (toEnd.size() - stillThere) + " not yet started were dropped";
            }
        }
        return how;
    }

}

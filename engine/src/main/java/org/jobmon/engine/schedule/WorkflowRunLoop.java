package org.jobmon.engine.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.Resources;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.RunListener;
import org.jobmon.engine.bind.BoundWorkflow;
import org.jobmon.engine.resources.ResourceResolver;
import org.jobmon.engine.resources.ResourceScaler;
import org.jobmon.engine.store.CycleWrites;
import org.jobmon.engine.store.JdbiRunStore;
import org.jobmon.engine.store.RunStore;
import org.jobmon.engine.store.StoreUnavailableException;
import org.jobmon.persistence.dao.IdBlocks;
import org.jobmon.persistence.dao.TaskInstanceDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One workflow run, from the first ready task to the end: the cycle that ties the run's parts
 * together. Each cycle gathers the executor's events, decides in memory what they mean, schedules
 * what is ready, and commits it all in one transaction that renews the run's lease before anything
 * another process could observe (a submission, a final state) happens. The parts:
 * {@link RunState} (the tasks in memory, released by event), {@link AttemptOutcomes} (what an
 * attempt's end means), {@link TaskResources} (each attempt's resources), {@link Submitter}
 * (attempts written, then submitted), {@link InstanceReconciler} (the executor's view and
 * adopted instances), {@link CycleCommitter} (the lease, outages, idempotent commits) and
 * {@link RunShutdown} (how instances are left when the run ends early).
 */
public final class WorkflowRunLoop {
    private static final Logger log = LoggerFactory.getLogger(WorkflowRunLoop.class);
    private static final char D = RunState.D;
    private static final char F = RunState.F;

    private final RunStore store;
    private final Workflow workflow;
    private final List<Task> tasks;
    private final long workflowId;
    private final long runId;
    private final RunOptions options;
    private final Executor executor;
    private final String executorName;
    private final ExecutorSettings settings;
    private final BlockingQueue<InstanceEvent> events;
    private final Path workDir;
    private final EngineConfig config;
    private final RunListener listener;
    private final IdPool instanceIds;
    private final IdPool parameterSetIds;
    private final CycleCommitter committer;
    private final InstanceReconciler reconciler;
    /** Instances written in a cycle not yet committed: submitted once it is. */
    private final List<InstanceRequest> awaitingCommit = new ArrayList<>();
    /**
     * For an executor that tells its free slots: attempts taken back from its queue when the
     * concurrency limit was lowered, handed again, first, when the limit allows.
     */
    private final java.util.ArrayDeque<InstanceRequest> prepared = new java.util.ArrayDeque<>();

    private final int n;
    private final RunState state;
    private final TaskResources resources;
    private final Map<Long, Attempt> active = new HashMap<>();
    private final int previouslyDone;
    private final BoundWorkflow bound;
    private int limit;
    private final AttemptOutcomes outcomes;
    private final Submitter submitter;
    private final RunShutdown shutdown;
    private volatile String stopRequest;

    public WorkflowRunLoop(RunStore store, Workflow workflow, BoundWorkflow bound, long runId, RunOptions options, Executor executor,
            String executorName, BlockingQueue<InstanceEvent> events, Path workDir, EngineConfig config, RunListener listener) {
        this(store, workflow, bound, runId, options, executor, executorName, events, workDir, config, listener, false);
    }

    /**
     * @param batchScheduler whether the executor's jobs live in a batch scheduler beyond this process
     *     (then a run that hands over or loses its lease leaves its queued jobs for the next run to adopt)
     */
    public WorkflowRunLoop(RunStore store, Workflow workflow, BoundWorkflow bound, long runId, RunOptions options, Executor executor,
            String executorName, BlockingQueue<InstanceEvent> events, Path workDir, EngineConfig config, RunListener listener,
            boolean batchScheduler) {
        this.store = store;
        this.workflow = workflow;
        this.tasks = workflow.tasks();
        this.workflowId = bound.workflowId();
        this.runId = runId;
        this.options = options;
        this.executor = executor;
        this.executorName = executorName;
        this.settings = workflow.executor();
        this.events = events;
        this.workDir = workDir;
        this.config = config;
        this.listener = listener;
        int block = Math.max(64, 2 * config.submitBatchSize());
        this.instanceIds = new IdPool(store, IdBlocks.TASK_INSTANCE, block);
        this.parameterSetIds = new IdPool(store, IdBlocks.EXECUTOR_PARAMETER_SET, block);
        this.committer = new CycleCommitter(store, runId, config.databaseOutageLimit().orElse(config.workflowRunExpiry()));
        this.reconciler = new InstanceReconciler(store, executor, executorName, config, committer::writes,
                new InstanceReconciler.Outcomes() {
                    @Override
                    public void started(Attempt a) {
                        outcomes.apply(new InstanceEvent.Started(a.id, a.executorId, "", java.util.OptionalLong.empty()));
                    }

                    @Override
                    public void exited(Attempt a, ExitInfo exit) {
                        outcomes.exited(a, exit);
                    }

                    @Override
                    public void ended(Attempt a, char status, String host, String why) {
                        outcomes.ended(a, status, null, null, null, host, why, null);
                    }
                });
        this.n = tasks.size();
        this.state = new RunState(tasks, bound.taskIds(), bound.status(), bound.attempts(),
                (task, previous, next, attempts) -> committer.writes().task(task, previous, next, attempts));
        this.resources = new TaskResources(tasks, bound.taskIds(), bound.parameterSetIds(), bound.resources(),
                new ResourceResolver(workflow), new ResourceScaler(executor.queues()), executor::validate, executorName,
                parameterSetIds::next, committer::writes);
        this.outcomes = new AttemptOutcomes(state, tasks, resources, active, committer::writes, options.failFast());
        this.submitter = new Submitter(tasks, state, resources, outcomes, active, instanceIds, parameterSetIds, committer::writes,
                executor, executorName, workflow.executor(), workDir, runId, config.submitBatchSize());
        this.shutdown = new RunShutdown(active, outcomes, reconciler, events, committer::writes, Duration.ofSeconds(10), batchScheduler);
        this.previouslyDone = bound.previouslyDone();
        this.bound = bound;
        this.limit = options.maxConcurrentlyRunning();
        bound.adopted().forEach((i, live) -> {
            Attempt a = new Attempt(i, live.taskInstanceId());
            a.adopted = live;
            a.dir = live.dir();
            // a batch scheduler's job is followed by its id, like this run's own; the others through their records
            a.executorId = live.executorId().orElse(null);
            a.status = live.started().isPresent() ? TaskInstanceStatus.RUNNING.code()
                    : TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code();
            active.put(a.id, a);
        });
    }

    /** Runs until every task is final or blocked, the timeout, or fail-fast; returns how it ended. */
    public WorkflowRunResult run() {
        long start = System.nanoTime();
        // capped so that a huge timeout ("never") cannot overflow into the past
        long deadline = start + TimeUnit.SECONDS.toNanos(Math.min(options.secondsUntilTimeout(), 100L * 365 * 86400));
        long heartbeatEvery = config.workflowRunHeartbeat().toNanos();
        long renewEvery = config.instanceHeartbeat().toNanos();
        // a batch executor is polled more often than instances are renewed: a DAG level must not wait a heartbeat
        long reconcileEvery = Math.min(renewEvery, executor.pollInterval().map(java.time.Duration::toNanos).orElse(renewEvery));
        long nextHeartbeat = start;
        long nextReconcile = start + reconcileEvery;
        long nextRenew = start + renewEvery;
        state.releaseRoots();
        List<InstanceEvent> batch = new ArrayList<>();
        long lastCycle = start;
        long nextAdoptedCheck = start;
        boolean started = false;
        boolean leaseGone = false;
        WorkflowRunStatus end;
        String message;
        while (true) {
            boolean canLaunch = started && !outcomes.schedulingStopped() && state.hasReady() && active.size() < limit
                    && submitter.executorHasRoom(pendingSlots());
            if (started && !canLaunch && active.isEmpty() && (!state.hasReady() || outcomes.schedulingStopped())) {
                boolean allDone = state.count(D) == n;
                end = allDone ? WorkflowRunStatus.DONE : WorkflowRunStatus.ERROR;
                message = allDone ? "all " + n + " tasks are DONE" : endMessage();
                break;
            }
            String stop = stopRequest;
            if (stop != null) {
                end = WorkflowRunStatus.STOPPED;
                message = stop(stop);
                break;
            }
            long now = System.nanoTime();
            if (now >= deadline) {
                end = WorkflowRunStatus.ERROR;
                message = timedOut();
                break;
            }
            long wakeAt = Math.min(nextHeartbeat, nextReconcile);
            if (committer.inOutage()) {
                wakeAt = Math.min(wakeAt, committer.retryAt());
            }
            wakeAt = Math.min(wakeAt, submitter.retryAt());
            long wait = canLaunch ? 0 : Math.min(Math.min(config.maxCycleWait().toNanos(), deadline - now), Math.max(0, wakeAt - now));
            try {
                // each event may need a parameter set id (a resource kill): take no more than the pool holds
                int room = (int) Math.min(Integer.MAX_VALUE, Math.max(1, parameterSetIds.remaining()));
                InstanceEvent first = wait <= 0 ? events.poll() : events.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    // While instances are in flight, gather what else ends within one cycle interval, so
                    // a cycle's transaction carries many transitions instead of one.
                    long gatherUntil = lastCycle + config.minCycleInterval().toNanos();
                    // An executor that starts only what it is handed (it tells its free slots) gets the next ready
                    // task as soon as a slot frees: no gathering then, or its slots would idle for the interval.
                    for (long left = gatherUntil - System.nanoTime(); left > 0 && !canLaunch && stopRequest == null
                            && batch.size() < room && !slotFreedForReadyWork(); left = gatherUntil - System.nanoTime()) {
                        InstanceEvent more = events.poll(left, TimeUnit.NANOSECONDS);
                        if (more == null) {
                            break;
                        }
                        batch.add(more);
                    }
                    events.drainTo(batch, Math.max(0, room - batch.size()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                end = WorkflowRunStatus.STOPPED;
                message = stop("the controller thread was interrupted");
                break;
            }
            lastCycle = System.nanoTime();
            for (InstanceEvent e : batch) {
                outcomes.apply(e);
            }
            batch.clear();
            if (started && lastCycle >= nextReconcile) {
                nextReconcile = lastCycle + reconcileEvery;
                boolean renew = lastCycle >= nextRenew;
                if (renew) {
                    nextRenew = lastCycle + renewEvery;
                }
                reconciler.reconcile(active, renew);
            }
            if (!bound.adopted().isEmpty() && lastCycle >= nextAdoptedCheck) {
                nextAdoptedCheck = lastCycle + config.maxCycleWait().toNanos();
                reconciler.watchAdopted(active);
            }
            boolean othersChangedTheRun = false;
            if (started && !committer.inOutage()) {
                // Instances are written before they are submitted: submitted once their cycle is committed.
                try {
                    RunStore.Look look = store.look();
                    // The limit may change while the run goes on (jobmon concurrency_limit); 0 pauses it.
                    limit = look.concurrencyLimit();
                    withdrawOverLimit();
                    // settled or asked to hand over: the commit below finds out at once, not at the next heartbeat
                    othersChangedTheRun = look.runStatus() != WorkflowRunStatus.RUNNING.code();
                    if (!othersChangedTheRun) {
                        instanceIds.topUp();
                        parameterSetIds.topUp();
                        awaitingCommit.addAll(submitter.schedule(limit, pendingSlots()));
                    }
                } catch (StoreUnavailableException e) {
                    log.debug("cannot look at the run or reserve ids now: {}", e.getMessage());
                }
            }
            if (othersChangedTheRun || committer.hasWork() || lastCycle >= nextHeartbeat || committer.inOutage()
                    || (submitter.retryAt() != Long.MAX_VALUE && lastCycle >= submitter.retryAt())) {
                CycleCommitter.Outcome outcome = committer.commit(System.nanoTime());
                if (outcome instanceof CycleCommitter.Outcome.Committed c) {
                    started = true;
                    nextHeartbeat = System.nanoTime() + heartbeatEvery;
                    limit = c.lease().concurrencyLimit();
                    char mine = c.lease().runStatus();
                    if (mine == WorkflowRunStatus.COLD_RESUME.code() || mine == WorkflowRunStatus.HOT_RESUME.code()) {
                        awaitingCommit.clear();
                        prepared.clear();
                        boolean cold = mine == WorkflowRunStatus.COLD_RESUME.code();
                        end = WorkflowRunStatus.TERMINATED;
                        message = "another process resumed the workflow (" + (cold ? "cold" : "hot") + " resume); this run handed over: "
                                + shutdown.endInstances(cold, cold ? "killed by a cold resume" : null);
                        break;
                    }
                    if (!awaitingCommit.isEmpty() || submitter.retryAt() != Long.MAX_VALUE) {
                        List<InstanceRequest> fresh = new ArrayList<>(awaitingCommit);
                        awaitingCommit.clear();
                        submitter.resubmitDue(this::commitSubmissions);
                        if (afterSubmit == null && !handOverAsked) {
                            submitter.submit(fresh, this::commitSubmissions);
                        }
                        if (afterSubmit != null) {
                            outcome = afterSubmit;
                            afterSubmit = null;
                        }
                    }
                }
                if (outcome instanceof CycleCommitter.Outcome.Lost lost) {
                    // Another process settled this run as dead (the controller was paused or cut off past
                    // its lease) or took it over: stop at once, submit nothing, and write nothing more.
                    awaitingCommit.clear();
                    prepared.clear();
                    end = WorkflowRunStatus.of(lost.runStatus());
                    leaseGone = true;
                    message = "this run lost its lease on the workflow: another process marked it " + end
                            + " (its lease had expired, or a resume took the workflow over); it stopped without writing more: "
                            + shutdown.endInstances(false, null);
                    break;
                } else if (outcome instanceof CycleCommitter.Outcome.OutageTooLong o) {
                    awaitingCommit.clear();
                    prepared.clear();
                    end = WorkflowRunStatus.ERROR;
                    leaseGone = true;
                    message = "the database could not be reached for " + o.lasted().toSeconds() + " s (" + o.reason()
                            + "), longer than this run may go without renewing its lease; it stopped: " + shutdown.endInstances(false, null)
                            + ". When the database is back, resume the workflow";
                    break;
                }
            }
            handPrepared();
            reportProgress();
        }
        if (!leaseGone) {
            try {
                if (!committer.finish(end, JdbiRunStore.workflowStatusAfter(end), System::nanoTime, TimeUnit.NANOSECONDS::sleep)) {
                    // the database did not hear how the run ended: it will judge the run by its lease
                    message = "the run ended " + end + " (" + message + ") but could not record it: it lost its lease or "
                            + "the database; resume the workflow to pick up what was not recorded";
                    end = WorkflowRunStatus.ERROR;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                message += " (interrupted before the run's end was recorded)";
            }
        }
        state.countsChanged();
        reportProgress();
        log.info("workflow {} run {} ended {}: {}", workflowId, runId, end, message);
        return new WorkflowRunResult(workflowId, runId, end, n, state.count(D), state.count(F), previouslyDone, message);
    }

    /** What committing a batch's executor ids found, when it was not a plain commit. */
    private CycleCommitter.Outcome afterSubmit;

    /**
     * Commits the executor ids a submission batch returned before the next batch goes out; false
     * when the run lost its lease or the database for too long (the loop then ends).
     */
    private boolean commitSubmissions() {
        CycleCommitter.Outcome o = committer.commit(System.nanoTime());
        if (o instanceof CycleCommitter.Outcome.Lost || o instanceof CycleCommitter.Outcome.OutageTooLong) {
            afterSubmit = o;
            return false;
        }
        if (o instanceof CycleCommitter.Outcome.Committed c && (c.lease().runStatus() == WorkflowRunStatus.COLD_RESUME.code()
                || c.lease().runStatus() == WorkflowRunStatus.HOT_RESUME.code())) {
            // asked to hand over: submit no more; the next cycle hands over
            handOverAsked = true;
            return false;
        }
        return true;
    }

    /** A commit during submission found a resume asking this run to hand over. */
    private boolean handOverAsked;

    private String timedOut() {
        return "the run timed out after " + options.secondsUntilTimeout() + " s (seconds_until_timeout); "
                + shutdown.endInstances(false, "dropped before it started: the run timed out")
                + ". Resume the workflow to continue, with a longer timeout if the tasks need it";
    }

    /** Asks the run to stop (Ctrl-C); thread-safe. The run notices within one cycle wait. */
    public void requestStop(String reason) {
        stopRequest = reason;
    }

    /** Ends a stopped run: its running instances are killed or left as configured. */
    private String stop(String reason) {
        String how = shutdown.endInstances(config.onStop() == EngineConfig.StopAction.TERMINATE, "killed because the run was stopped");
        return "the run was stopped (" + reason + "); " + how + "; resume the workflow to continue";
    }

    /** The slots of attempts written but not yet handed to the executor. */
    private int pendingSlots() {
        return submitter.slotsOf(awaitingCommit) + submitter.slotsOf(prepared);
    }

    /**
     * A lowered concurrency limit bites at once: attempts queued in an executor that tells its free
     * slots, over the limit, are taken back (newest first) to be handed again when the limit allows.
     */
    private void withdrawOverLimit() {
        if (!submitter.tellsFreeSlots()) {
            return;
        }
        int excess = active.size() - prepared.size() - awaitingCommit.size() - limit;
        if (excess <= 0) {
            return;
        }
        List<Attempt> queued = new ArrayList<>();
        for (Attempt a : active.values()) {
            if (a.executorId != null && a.status == TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code() && a.request != null) {
                queued.add(a);
            }
        }
        queued.sort((x, y) -> Long.compare(y.id, x.id));
        List<Attempt> back = queued.subList(0, Math.min(excess, queued.size()));
        java.util.Set<String> taken = executor.withdraw(back.stream().map(a -> a.executorId).toList());
        for (Attempt a : back) { // newest first, so the oldest ends up first in line
            if (taken.contains(a.executorId)) {
                a.executorId = null; // not the executor's any more: polls leave it alone until it is handed again
                prepared.addFirst(a.request);
            }
        }
        if (!taken.isEmpty()) {
            log.info("concurrency limit {}: {} queued task instance(s) taken back until the limit allows", limit, taken.size());
        }
    }

    /** Hands attempts taken back earlier to the executor again, oldest first, while the concurrency limit allows. */
    private void handPrepared() {
        if (prepared.isEmpty() || stopRequest != null || handOverAsked || afterSubmit != null) {
            return;
        }
        if (outcomes.schedulingStopped()) { // fail fast: the ones taken back never start
            List<Attempt> dropped = new ArrayList<>();
            prepared.forEach(r -> java.util.Optional.ofNullable(active.get(r.taskInstanceId())).ifPresent(dropped::add));
            prepared.clear();
            reconciler.terminate(dropped);
            return;
        }
        int handed = active.size() - prepared.size() - awaitingCommit.size();
        List<InstanceRequest> go = new ArrayList<>();
        while (!prepared.isEmpty() && handed < limit) {
            InstanceRequest r = prepared.pollFirst();
            if (active.containsKey(r.taskInstanceId())) {
                go.add(r);
                handed++;
            }
        }
        if (!go.isEmpty()) {
            submitter.submit(go, () -> true);
        }
    }

    /** True when ready work waits and the executor, which tells its free slots, has room for it now. */
    private boolean slotFreedForReadyWork() {
        return state.hasReady() && active.size() < limit && !outcomes.schedulingStopped() && submitter.tellsFreeSlots()
                && submitter.executorHasRoom(pendingSlots());
    }

    private String endMessage() {
        int fatal = state.count(F);
        int blocked = n - state.count(D) - fatal;
        StringBuilder b = new StringBuilder();
        b.append(fatal).append(" task").append(fatal == 1 ? "" : "s").append(" failed (ERROR_FATAL)");
        if (blocked > 0) {
            b.append(" and ").append(blocked).append(" did not run because an upstream failed");
        }
        if (!outcomes.stopReason().isEmpty()) {
            b.append("; ").append(outcomes.stopReason());
        }
        return b.toString();
    }

    private void reportProgress() {
        Map<TaskStatus, Integer> counts = state.changedCounts();
        if (counts != null) {
            listener.progress(counts);
        }
    }
}

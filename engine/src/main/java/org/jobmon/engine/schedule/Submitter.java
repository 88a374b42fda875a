package org.jobmon.engine.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.Resources;
import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Task;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.jobmon.engine.store.CycleWrites;
import org.jobmon.persistence.dao.TaskInstanceDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns ready tasks into attempts and hands them to the executor: each attempt's row is written
 * before it is submitted (the loop submits only what its committed cycle holds), its ids come
 * from pools reserved ahead, and a task whose resources cannot be had fails without running.
 */
final class Submitter {
    private static final Logger log = LoggerFactory.getLogger(Submitter.class);
    private static final char I = TaskStatus.INSTANTIATED.code();
    private static final char E = TaskStatus.ERROR_RECOVERABLE.code();

    private final List<Task> tasks;
    private final RunState state;
    private final TaskResources resources;
    private final AttemptOutcomes outcomes;
    private final Map<Long, Attempt> active;
    private final IdPool instanceIds;
    private final IdPool parameterSetIds;
    private final Supplier<CycleWrites> writes;
    private final Executor executor;
    private final String executorName;
    private final ExecutorSettings settings;
    private final Path workDir;
    private final long runId;
    private final int batchSize;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** Committed attempts the platform could not take for now, in order. */
    private final List<InstanceRequest> deferred = new ArrayList<>();
    /** While backing off: when to submit again (System.nanoTime). */
    private long retryAt;
    private boolean backingOff;
    /** Set once a commit between batches said the run may not go on: nothing more is submitted. */
    private boolean stopped;
    private Duration backoff = Duration.ZERO;
    private long refusedSince;
    /** Where attempts' stdout and stderr go when the workflow names no folders: {@code logs} in the run's folder. */
    private final Path logs;
    /** The slots the head of the ready queue needs: it waits until the executor has them free. */
    private int headNeeds = 1;
    /** The most free slots the executor was seen to have: its size, for how far ahead attempts are written. */
    private int capacity;
    /** Attempts written ahead of free slots, at least. */
    private static final int MIN_AHEAD = 16;

    Submitter(List<Task> tasks, RunState state, TaskResources resources, AttemptOutcomes outcomes, Map<Long, Attempt> active,
            IdPool instanceIds, IdPool parameterSetIds, Supplier<CycleWrites> writes, Executor executor, String executorName,
            ExecutorSettings settings, Path workDir, long runId, int batchSize) {
        this.tasks = tasks;
        this.state = state;
        this.resources = resources;
        this.outcomes = outcomes;
        this.active = active;
        this.instanceIds = instanceIds;
        this.parameterSetIds = parameterSetIds;
        this.writes = writes;
        this.executor = executor;
        this.executorName = executorName;
        this.settings = settings;
        this.workDir = workDir;
        this.logs = workDir.resolve(LOGS);
        this.runId = runId;
        this.batchSize = batchSize;
    }

    /**
     * Takes ready tasks, up to {@code limit} instances live in all, and writes a new attempt for
     * each; returns the requests to submit once those writes are committed. An executor that tells
     * its free slots gets only what fits in them, less {@code pendingSlots} (attempts scheduled but
     * not yet submitted): the rest waits here, in order, where a lowered limit still applies.
     */
    /** The folder in a run's folder that attempts' stdout and stderr go to when the workflow names none. */
    static final String LOGS = "logs";

    List<InstanceRequest> schedule(int limit, int pendingSlots) {
        int room = roomFor(pendingSlots);
        List<InstanceRequest> launch = new ArrayList<>();
        while (!outcomes.schedulingStopped() && state.hasReady() && active.size() < limit && instanceIds.remaining() > 0
                && parameterSetIds.remaining() > 0 && room > 0) {
            int i = state.nextReady();
            if (i < 0) {
                break;
            }
            Optional<Resources> r = resourcesFor(i);
            if (r.isEmpty()) {
                continue;
            }
            int need = executor.slotsNeeded(r.get());
            if (need > room) {
                // the head waits for enough slots, and nothing overtakes it
                state.putBack(i);
                headNeeds = need;
                break;
            }
            headNeeds = 1;
            room -= need;
            state.newAttempt(i);
            long id = instanceIds.next();
            Attempt a = new Attempt(i, id);
            a.resources = r.get();
            a.dir = workDir.resolve(Long.toString(id));
            active.put(id, a);
            Task t = tasks.get(i);
            // the workflow's folders, else the run's own logs folder: every attempt's output is kept somewhere
            Optional<Path> stdout = Optional.of(settings.stdout().orElse(logs).resolve(fileSafe(t.name()) + ".o" + id));
            Optional<Path> stderr = Optional.of(settings.stderr().orElse(logs).resolve(fileSafe(t.name()) + ".e" + id));
            a.stderr = stderr.orElse(null);
            writes.get().newInstances.add(new TaskInstanceDao.NewInstance(id, runId, state.taskId(i), executorName, resources.parameterSet(i),
                    stdout.map(Path::toString).orElse(null), stderr.map(Path::toString).orElse(null)));
            writes.get().instance(id, (char) 0, TaskInstanceStatus.INSTANTIATED.code());
            state.set(i, I);
            a.request = new InstanceRequest(id, state.taskId(i), t.name(), t.command(), r.get(), a.dir,
                    stdout, stderr, settings.workingDir(), t.template().name());
            launch.add(a.request);
        }
        return launch;
    }

    /** {@link #schedule(int, int)} with nothing pending. */
    List<InstanceRequest> schedule(int limit) {
        return schedule(limit, 0);
    }

    /**
     * Whether the executor has room for the head of the ready queue, less {@code pendingSlots}:
     * always for an executor that does not tell its free slots.
     */
    boolean executorHasRoom(int pendingSlots) {
        return roomFor(pendingSlots) >= headNeeds;
    }

    /**
     * How many more slots' worth of attempts may be written now: the executor's free slots (less
     * what already waits in its queue) and a short queue ahead of them, so that a slot that frees
     * starts the next attempt at once, less what is written and not yet handed. Unbounded for an
     * executor that does not tell its free slots.
     */
    private int roomFor(int pendingSlots) {
        java.util.OptionalInt free = executor.freeSlots();
        if (free.isEmpty()) {
            return Integer.MAX_VALUE;
        }
        capacity = Math.max(capacity, free.getAsInt());
        return free.getAsInt() + Math.max(MIN_AHEAD, 2 * capacity) - pendingSlots;
    }

    /** Whether the executor tells its free slots (a local executor) rather than queueing what it is given. */
    boolean tellsFreeSlots() {
        return executor.freeSlots().isPresent();
    }

    /** The slots these requests take on the executor. */
    int slotsOf(java.util.Collection<InstanceRequest> requests) {
        int slots = 0;
        for (InstanceRequest r : requests) {
            slots += executor.slotsNeeded(r.resources());
        }
        return slots;
    }

    /** The resources for the next attempt, validated against the executor; empty when the task failed instead. */
    private Optional<Resources> resourcesFor(int i) {
        try {
            return Optional.of(resources.forNextAttempt(i));
        } catch (JobmonException e) {
            failWithoutRunning(i, e.getMessage());
            return Optional.empty();
        }
    }

    /** A task that cannot run at all (its resources cannot be had): one errored attempt records why. */
    private void failWithoutRunning(int i, String reason) {
        state.newAttempt(i);
        long id = instanceIds.next();
        writes.get().newInstances.add(new TaskInstanceDao.NewInstance(id, runId, state.taskId(i), executorName,
                resources.parameterSet(i) == 0 ? null : resources.parameterSet(i), null, null));
        writes.get().instance(id, (char) 0, TaskInstanceStatus.INSTANTIATED.code());
        writes.get().ended.add(new TaskInstanceDao.Ended(id, TaskInstanceStatus.ERROR.code(), null, null, null, null));
        writes.get().instance(id, TaskInstanceStatus.INSTANTIATED.code(), TaskInstanceStatus.ERROR.code());
        writes.get().errors.add(new TaskInstanceDao.ErrorLog(id, reason));
        state.set(i, I);
        state.set(i, E);
        outcomes.fatal(i, reason);
    }

    /**
     * Hands committed attempts to the executor in batches; {@code flush} commits what each batch's
     * answers wrote (executor ids are durable before the next batch goes out) and says whether the
     * run may go on. Attempts the platform could not take for now wait, with backoff, for
     * {@link #resubmitDue}; they keep their attempt.
     */
    void submit(List<InstanceRequest> launch, BooleanSupplier flush) {
        if (stopped) {
            return;
        }
        if (waiting()) {
            deferred.addAll(launch);
            return;
        }
        for (int from = 0; from < launch.size(); from += batchSize) {
            List<InstanceRequest> batch = launch.subList(from, Math.min(launch.size(), from + batchSize));
            if (waiting()) {
                deferred.addAll(batch); // the platform refused an earlier batch for now: do not hammer it
                continue;
            }
            List<Submission> results;
            try {
                results = executor.submit(batch);
            } catch (RuntimeException e) {
                log.warn("executor {} failed to submit {} instances: {}", executorName, batch.size(), e.toString());
                results = batch.stream().map(r -> Submission.refused(r.taskInstanceId(), "the executor failed to submit: " + e)).toList();
            }
            Map<Long, Submission> answers = new HashMap<>();
            for (Submission s : results) {
                answers.putIfAbsent(s.taskInstanceId(), s);
            }
            String transientReason = null;
            for (InstanceRequest r : batch) {
                Attempt a = active.get(r.taskInstanceId());
                if (a == null) {
                    continue;
                }
                Submission s = answers.get(r.taskInstanceId());
                if (s == null) {
                    outcomes.ended(a, TaskInstanceStatus.NO_EXECUTOR_ID.code(), null, null, null, null,
                            "the executor gave no answer for this instance when it was submitted", null);
                } else if (s.executorId().isPresent()) {
                    a.executorId = s.executorId().get();
                    if (a.status == TaskInstanceStatus.INSTANTIATED.code()) {
                        a.status = TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code();
                        writes.get().submitted.add(new TaskInstanceDao.Submitted(a.id, a.executorId));
                        writes.get().instance(a.id, TaskInstanceStatus.INSTANTIATED.code(), a.status);
                    }
                } else if (s.retryLater()) {
                    deferred.add(r);
                    transientReason = s.error().orElse("no reason given");
                } else {
                    outcomes.ended(a, TaskInstanceStatus.NO_EXECUTOR_ID.code(), null, null, null, null,
                            "the executor did not accept the instance: " + s.error().orElse("no reason given"), null);
                }
            }
            if (transientReason != null) {
                backOff(transientReason);
            } else if (refusedSince != 0 && answers.values().stream().anyMatch(s -> s.executorId().isPresent())) {
                log.info("executor {} accepts submissions again after {} s", executorName,
                        Duration.ofNanos(System.nanoTime() - refusedSince).toSeconds());
                refusedSince = 0;
                backoff = Duration.ZERO;
                backingOff = false;
            }
            if (!flush.getAsBoolean()) {
                // the run lost its lease or its database, or must hand over: submit nothing more
                stopped = true;
                return;
            }
        }
    }

    /** The platform refused for now: wait 1 s, doubling to at most 60 s, before the next submission. */
    private void backOff(String reason) {
        backoff = backoff.isZero() ? Duration.ofSeconds(1) : backoff.multipliedBy(2);
        if (backoff.compareTo(MAX_BACKOFF) > 0) {
            backoff = MAX_BACKOFF;
        }
        long jitter = java.util.concurrent.ThreadLocalRandom.current().nextLong(backoff.toNanos() / 5 + 1);
        retryAt = System.nanoTime() + backoff.toNanos() + jitter;
        backingOff = true;
        if (refusedSince == 0) {
            refusedSince = System.nanoTime();
            log.warn("executor {} cannot take submissions now ({}); {} instance(s) wait and are submitted again with backoff, "
                    + "without counting as attempts", executorName, reason, deferred.size());
        } else {
            log.debug("executor {} still refuses submissions ({}); next try in {} ms", executorName, reason, backoff.toMillis());
        }
    }

    /** True while the platform's refusal for now has not yet been waited out. */
    private boolean waiting() {
        return backingOff && System.nanoTime() - retryAt < 0;
    }

    /** When deferred attempts are due to be submitted again (System.nanoTime), or Long.MAX_VALUE. */
    long retryAt() {
        return deferred.isEmpty() || stopped ? Long.MAX_VALUE : backingOff ? retryAt : System.nanoTime();
    }

    /** Submits again the attempts the platform refused for now, once their backoff has passed. */
    void resubmitDue(BooleanSupplier flush) {
        if (deferred.isEmpty() || waiting() || stopped) {
            return;
        }
        List<InstanceRequest> again = new ArrayList<>();
        for (InstanceRequest r : deferred) {
            Attempt a = active.get(r.taskInstanceId());
            if (a != null && a.executorId == null && a.status == TaskInstanceStatus.INSTANTIATED.code()) {
                again.add(r);
            }
        }
        deferred.clear();
        submit(again, flush);
    }

    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

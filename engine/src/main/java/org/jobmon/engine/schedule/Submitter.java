package org.jobmon.engine.schedule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
        this.runId = runId;
        this.batchSize = batchSize;
    }

    /**
     * Takes ready tasks, up to {@code limit} instances live in all, and writes a new attempt for
     * each; returns the requests to submit once those writes are committed.
     */
    List<InstanceRequest> schedule(int limit) {
        List<InstanceRequest> launch = new ArrayList<>();
        while (!outcomes.schedulingStopped() && state.hasReady() && active.size() < limit && instanceIds.remaining() > 0
                && parameterSetIds.remaining() > 0) {
            int i = state.nextReady();
            if (i < 0) {
                break;
            }
            Optional<Resources> r = resourcesFor(i);
            if (r.isEmpty()) {
                continue;
            }
            state.newAttempt(i);
            long id = instanceIds.next();
            Attempt a = new Attempt(i, id);
            active.put(id, a);
            Task t = tasks.get(i);
            Optional<Path> stdout = settings.stdout().map(d -> d.resolve(fileSafe(t.name()) + ".o" + id));
            Optional<Path> stderr = settings.stderr().map(d -> d.resolve(fileSafe(t.name()) + ".e" + id));
            writes.get().newInstances.add(new TaskInstanceDao.NewInstance(id, runId, state.taskId(i), executorName, resources.parameterSet(i),
                    stdout.map(Path::toString).orElse(null), stderr.map(Path::toString).orElse(null)));
            writes.get().instance(id, (char) 0, TaskInstanceStatus.INSTANTIATED.code());
            state.set(i, I);
            launch.add(new InstanceRequest(id, state.taskId(i), t.name(), t.command(), r.get(), workDir.resolve(Long.toString(id)),
                    stdout, stderr, settings.workingDir()));
        }
        return launch;
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

    /** Hands committed attempts to the executor in batches; what it answers is written with the next cycle. */
    void submit(List<InstanceRequest> launch) {
        for (int from = 0; from < launch.size(); from += batchSize) {
            List<InstanceRequest> batch = launch.subList(from, Math.min(launch.size(), from + batchSize));
            List<Submission> results;
            try {
                results = executor.submit(batch);
            } catch (RuntimeException e) {
                log.warn("executor {} failed to submit {} instances", executorName, batch.size(), e);
                results = batch.stream().map(r -> Submission.refused(r.taskInstanceId(), "the executor failed to submit: " + e)).toList();
            }
            for (Submission s : results) {
                Attempt a = active.get(s.taskInstanceId());
                if (a == null) {
                    continue;
                }
                if (s.executorId().isPresent()) {
                    a.executorId = s.executorId().get();
                    if (a.status == TaskInstanceStatus.INSTANTIATED.code()) {
                        a.status = TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code();
                        writes.get().submitted.add(new TaskInstanceDao.Submitted(a.id, a.executorId));
                        writes.get().instance(a.id, TaskInstanceStatus.INSTANTIATED.code(), a.status);
                    }
                } else {
                    outcomes.ended(a, TaskInstanceStatus.NO_EXECUTOR_ID.code(), null, null, null, null,
                            "the executor did not accept the instance: " + s.error().orElse("no reason given"), null);
                }
            }
        }
    }

    private static String fileSafe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}

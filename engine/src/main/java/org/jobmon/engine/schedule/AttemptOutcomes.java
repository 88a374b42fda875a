package org.jobmon.engine.schedule;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Task;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.engine.store.CycleWrites;
import org.jobmon.persistence.dao.TaskInstanceDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the end of an attempt means for its task (the seed's transition rules): DONE releases the
 * downstream tasks; an error is retried until max_attempts, after scaling the resource that ran out
 * for a resource kill; then the task is ERROR_FATAL, and with fail_fast nothing more is scheduled.
 * An instance killed on order or by the run's own stop ends ERROR_FATAL without a retry. Late
 * reports about a task already final are recorded and move nothing.
 */
final class AttemptOutcomes {
    private static final Logger log = LoggerFactory.getLogger(AttemptOutcomes.class);
    private static final char I = TaskStatus.INSTANTIATED.code();
    private static final char R = TaskStatus.RUNNING.code();
    private static final char D = TaskStatus.DONE.code();
    private static final char E = TaskStatus.ERROR_RECOVERABLE.code();
    private static final char F = TaskStatus.ERROR_FATAL.code();

    private final RunState state;
    private final List<Task> tasks;
    private final TaskResources resources;
    private final Map<Long, Attempt> active;
    private final Supplier<CycleWrites> writes;
    private final boolean failFast;
    private boolean schedulingStopped;
    private String stopReason = "";

    AttemptOutcomes(RunState state, List<Task> tasks, TaskResources resources, Map<Long, Attempt> active, Supplier<CycleWrites> writes,
            boolean failFast) {
        this.state = state;
        this.tasks = tasks;
        this.resources = resources;
        this.active = active;
        this.writes = writes;
        this.failFast = failFast;
    }

    /** True once nothing more may be scheduled (fail_fast, a stop, a hand-over). */
    boolean schedulingStopped() {
        return schedulingStopped;
    }

    /** Why scheduling stopped early, or "". */
    String stopReason() {
        return stopReason;
    }

    /** Nothing more is scheduled; queued tasks stay queued in the database for a resume. */
    void stopScheduling(String reason) {
        schedulingStopped = true;
        if (stopReason.isEmpty() && reason != null) {
            stopReason = reason;
        }
        state.clearReady();
    }

    /** What an event of the executor means: an instance started, ended, or could not start. */
    void apply(InstanceEvent event) {
        Attempt a = active.get(event.taskInstanceId());
        if (a == null) {
            return;
        }
        if (event instanceof InstanceEvent.Started s) {
            if (a.executorId == null) {
                a.executorId = s.executorId();
            }
            char prev = a.status;
            a.status = TaskInstanceStatus.RUNNING.code();
            writes.get().started.add(new TaskInstanceDao.Started(a.id, s.hostname(), s.pid().isPresent() ? s.pid().getAsLong() : null));
            writes.get().instance(a.id, prev, a.status);
            if (state.status(a.task) == I) {
                state.set(a.task, R);
            }
        } else if (event instanceof InstanceEvent.Exited x) {
            exited(a, x.exit());
        } else if (event instanceof InstanceEvent.Failed f) {
            ended(a, TaskInstanceStatus.NO_EXECUTOR_ID.code(), null, null, null, null,
                    "the executor could not start the instance: " + f.reason(), null);
        }
    }

    /** An instance ended as {@code x} says. */
    void exited(Attempt a, ExitInfo x) {
        Integer code = x.exitCode().isPresent() ? x.exitCode().getAsInt() : null;
        Double wall = x.wallclockSeconds().isPresent() ? x.wallclockSeconds().getAsDouble() : null;
        Long rss = x.maxRssBytes().isPresent() ? x.maxRssBytes().getAsLong() : null;
        String host = x.hostname().orElse(null);
        switch (x.kind()) {
            case DONE -> {
                active.remove(a.id);
                writes.get().ended.add(new TaskInstanceDao.Ended(a.id, TaskInstanceStatus.DONE.code(), code, wall, rss, host));
                writes.get().instance(a.id, a.status, TaskInstanceStatus.DONE.code());
                int i = a.task;
                if (state.status(i) == I) {
                    state.set(i, R);
                }
                state.done(i);
            }
            case APPLICATION_ERROR, KILLED -> {
                if (a.killOrdered || a.stopReason != null) {
                    ended(a, TaskInstanceStatus.ERROR_FATAL.code(), code, wall, rss, host, a.killOrdered
                            ? "killed on order (KILL_SELF)" : a.stopReason, null);
                } else {
                    ended(a, TaskInstanceStatus.ERROR.code(), code, wall, rss, host, errorText(x, code), null);
                }
            }
            case RESOURCE_ERROR -> ended(a, TaskInstanceStatus.RESOURCE_ERROR.code(), code, wall, rss, host,
                    errorText(x, code), x.resource());
            case LOST, UNKNOWN -> ended(a, TaskInstanceStatus.UNKNOWN_ERROR.code(), code, wall, rss, host,
                    errorText(x, code), null);
        }
    }

    private static String errorText(ExitInfo x, Integer code) {
        StringBuilder b = new StringBuilder();
        if (x.kind() == ExitInfo.ExitKind.RESOURCE_ERROR) {
            b.append("resource error: ran out of ").append(x.resource().orElse("memory or runtime")).append(". ");
        }
        b.append(x.message());
        if (code != null && code == Executor.WRAPPER_FAILED_EXIT_CODE) {
            b.append(" (exit code 199: Jobmon's wrapper around the command failed, not the command itself)");
        }
        if (!x.stderrTail().isBlank()) {
            b.append("\n--- stderr (last lines) ---\n").append(x.stderrTail());
        }
        return b.toString();
    }

    /**
     * An attempt that ended in error: retried, after scaling its resources when it was killed for
     * them ({@code resource} non-null: present names what ran out), or fatal after max_attempts.
     */
    void ended(Attempt a, char instanceStatus, Integer code, Double wall, Long rss, String host, String error,
            Optional<String> resource) {
        active.remove(a.id);
        writes.get().ended.add(new TaskInstanceDao.Ended(a.id, instanceStatus, code, wall, rss, host));
        writes.get().instance(a.id, a.status, instanceStatus);
        int i = a.task;
        if (state.status(i) == D || state.status(i) == F) {
            writes.get().errors.add(new TaskInstanceDao.ErrorLog(a.id, error));
            return;
        }
        state.set(i, E);
        if (a.stopReason != null) {
            writes.get().errors.add(new TaskInstanceDao.ErrorLog(a.id, error));
            return;
        }
        if (state.attempts(i) >= tasks.get(i).maxAttempts()) {
            writes.get().errors.add(new TaskInstanceDao.ErrorLog(a.id, error));
            fatal(i, error);
            return;
        }
        if (resource != null) {
            state.set(i, TaskStatus.ADJUSTING_RESOURCES.code());
            error = error + "\nresources adjusted for the retry: " + resources.scaleAfterKill(i, resource);
        }
        writes.get().errors.add(new TaskInstanceDao.ErrorLog(a.id, error));
        state.release(i);
    }

    /** Task {@code i} failed for good; with fail_fast, nothing more is scheduled. */
    void fatal(int i, String reason) {
        state.set(i, F);
        log.info("task {} '{}' failed after {} attempt(s): {}", state.taskId(i), tasks.get(i).name(), state.attempts(i), firstLine(reason));
        if (failFast && !schedulingStopped) {
            stopScheduling("fail_fast stopped scheduling after task '" + tasks.get(i).name() + "' failed");
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

}

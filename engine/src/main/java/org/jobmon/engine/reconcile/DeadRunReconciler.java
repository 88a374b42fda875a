package org.jobmon.engine.reconcile;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.api.ExecutorNames;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.persistence.dao.TaskDao;
import org.jobmon.persistence.dao.TaskInstanceDao;
import org.jobmon.persistence.dao.WorkflowDao;
import org.jobmon.persistence.dao.WorkflowDao.RunRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles runs whose controller died (SIGKILL, a crashed machine): a run whose heartbeat expired
 * is marked ERROR, and each of its instances that still looks alive is settled from what it left
 * in its folder: an exit record is the attempt's result (a DONE attempt is never run again); a
 * process that is still running on this machine is left running; anything else was lost. After
 * this, the database shows no instance RUNNING whose process is gone.
 */
public final class DeadRunReconciler {
    private static final Logger log = LoggerFactory.getLogger(DeadRunReconciler.class);
    private static final String LIVE_RUN_STATUSES = "GBRCH";

    private final Jdbi jdbi;
    private final String localHost;
    private final WorkflowDao workflows = new WorkflowDao();
    private final TaskDao tasks = new TaskDao();
    private final TaskInstanceDao instances = new TaskInstanceDao();

    private final Predicate<String> batchExecutor;

    /** A reconciler that knows the batch-scheduler executors registered on this class path. */
    public DeadRunReconciler(Jdbi jdbi) {
        this(jdbi, discoveredBatchExecutors());
    }

    /**
     * @param batchExecutor which executor names are batch schedulers, whose queued jobs outlive a
     *     dead controller (their instances are settled only by asking the executor)
     */
    public DeadRunReconciler(Jdbi jdbi, Predicate<String> batchExecutor) {
        this.jdbi = jdbi;
        this.localHost = localHost();
        this.batchExecutor = batchExecutor;
    }

    private static Predicate<String> discoveredBatchExecutors() {
        java.util.Set<String> names = new java.util.HashSet<>();
        try {
            for (ExecutorFactory f : java.util.ServiceLoader.load(ExecutorFactory.class, DeadRunReconciler.class.getClassLoader())) {
                if (f.batchScheduler()) {
                    names.add(ExecutorNames.normalize(f.name()));
                    f.aliases().forEach(a -> names.add(ExecutorNames.normalize(a)));
                }
            }
        } catch (java.util.ServiceConfigurationError | RuntimeException e) {
            log.debug("cannot list the executor plugins: {}", e.toString());
        }
        return name -> name != null && names.contains(ExecutorNames.normalize(name));
    }

    /** An instance the reconciler looks at. */
    private record Open(long id, long taskId, char status, char taskStatus, String nodename, String executorType, String executorId) {
    }

    /** The runs of this workflow that still look alive, with their heartbeat age. */
    public List<RunRow> liveLookingRuns(long workflowId) {
        return jdbi.withHandle(h -> workflows.runs(h, workflowId, LIVE_RUN_STATUSES));
    }

    /**
     * True when the run's controller is gone: its lease expired (judged by the run's own interval in
     * the database's time), or it ran on this machine and its process is gone.
     */
    public boolean isDead(RunRow run) {
        return run.expired() || controllerGoneHere(run);
    }

    /**
     * True when the run's controller ran on this machine and no process with its pid lives: known
     * dead at once, without waiting for its lease to expire. (A reused pid only makes us wait.)
     */
    public boolean controllerGoneHere(RunRow run) {
        return isThisHost(run.hostname()) && run.pid() > 0 && run.pid() != ProcessHandle.current().pid()
                && ProcessHandle.of(run.pid()).map(p -> !p.isAlive()).orElse(true);
    }

    private boolean isThisHost(String host) {
        return host != null && (host.equals(localHost) || host.equals("localhost"));
    }

    /** Settles every dead run of the workflow; returns their ids. */
    public List<Long> settle(long workflowId) {
        List<Long> settled = new ArrayList<>();
        for (RunRow run : liveLookingRuns(workflowId)) {
            if (isDead(run) && settleRun(run)) {
                settled.add(run.id());
            }
        }
        return settled;
    }

    /** Settles the dead runs of every workflow (for status commands that show many). */
    public void settleAll() {
        List<Long> workflowIds = jdbi.withHandle(h -> h.createQuery(
                "SELECT DISTINCT workflow_id FROM workflow_run WHERE status IN ('G', 'B', 'R', 'C', 'H')").mapTo(Long.class).list());
        workflowIds.forEach(this::settle);
    }

    /** What to do with an instance whose process still runs on this machine. */
    public enum LiveInstances {
        /** Leave it running and recorded as it is. */
        LEAVE,
        /** Kill its process tree (and order it to kill itself); record it ERROR_FATAL. */
        KILL
    }

    /**
     * An instance of an earlier run whose process still runs: what a hot resume adopts.
     *
     * @param taskInstanceId the instance
     * @param taskId its task
     * @param dir its records folder
     * @param started its started record (empty: still queued in its batch scheduler)
     * @param executorId its batch scheduler's id, when its executor follows jobs across runs
     */
    public record LiveInstance(long taskInstanceId, long taskId, Path dir, Optional<InstanceRecords.Started> started,
            Optional<String> executorId) {
    }

    /**
     * Marks the run ERROR, guarded: only if it is still live-looking and its lease has expired
     * under the row's lock (or its controller is known gone), so a run that renewed meanwhile is
     * never settled. Only then are its instances settled.
     */
    private boolean settleRun(RunRow run) {
        boolean gone = controllerGoneHere(run);
        boolean marked = jdbi.inTransaction(h -> {
            boolean changed = workflows.markDead(h, run.id(), LIVE_RUN_STATUSES, gone);
            if (changed) {
                setWorkflowFailedIfItWasRunning(h, run.workflowId());
            }
            return changed;
        });
        if (!marked) {
            return false;
        }
        List<LiveInstance> live = settleInstances(run.id(), LiveInstances.LEAVE, false, "after workflow run " + run.id()
                + (gone ? " lost its controller (pid " + run.pid() + " is gone)" : " stopped heart-beating"));
        log.info("workflow run {} {}: marked ERROR; {} instance(s) still running", run.id(), gone ? "lost its controller (pid "
                + run.pid() + " on " + run.hostname() + " is gone)" : "stopped heart-beating " + run.sinceHeartbeat().toSeconds()
                + " s ago", live.size());
        return true;
    }

    /**
     * Settles the open instances (I, B, R, T, K) of a run that no controller watches any more: an
     * exit record is the result; a live process on this machine is left or killed as asked; the
     * rest were lost. Returns the instances left running.
     *
     * <p>An instance whose folder cannot be read from here (another machine's disk, no permission)
     * proves nothing: unless {@code decideUnreadable} (a resume that must take the workflow over),
     * it is left as it is.
     */
    public List<LiveInstance> settleInstances(long runId, LiveInstances action, boolean decideUnreadable, String when) {
        Optional<String> workDir = jdbi.withHandle(h -> h.createQuery("SELECT work_dir FROM workflow_run WHERE id = :r")
                .bind("r", runId).mapTo(String.class).findOne());
        List<Open> open = openInstances(runId);
        Settlement st = new Settlement();
        List<LiveInstance> live = new ArrayList<>();
        boolean runDirReadable = workDir.map(d -> java.nio.file.Files.isDirectory(Path.of(d))
                && java.nio.file.Files.isReadable(Path.of(d))).orElse(false);
        for (Open o : open) {
            Path dir = workDir.map(d -> Path.of(d, Long.toString(o.id()))).orElse(null);
            boolean readable = runDirReadable && (!java.nio.file.Files.exists(dir)
                    || (java.nio.file.Files.isDirectory(dir) && java.nio.file.Files.isReadable(dir)));
            if (!readable && !decideUnreadable) {
                log.info("instance {} of workflow run {}: its folder {} cannot be read from here; left as it is", o.id(), runId,
                        dir);
                continue;
            }
            Optional<InstanceRecords.Exited> exit = dir == null ? Optional.empty() : InstanceRecords.readExit(dir, o.id());
            if (exit.isEmpty() && batchExecutor.test(o.executorType())) {
                // a batch scheduler may still hold it (queued, or running elsewhere): only its executor can tell
                log.debug("instance {} of workflow run {} is job {} of {}: left for its executor to settle", o.id(), runId,
                        o.executorId(), o.executorType());
                continue;
            }
            Optional<InstanceRecords.Started> running = exit.isPresent() || dir == null ? Optional.empty() : stillAlive(dir, o);
            if (running.isPresent() && action == LiveInstances.KILL) {
                kill(dir, o.id(), running.get());
                exit = InstanceRecords.readExit(dir, o.id());
                if (exit.isEmpty()) {
                    st.end(o, TaskInstanceStatus.ERROR_FATAL.code(), null, "killed by a cold resume " + when);
                    continue;
                }
            } else if (running.isPresent()) {
                live.add(new LiveInstance(o.id(), o.taskId(), dir, running, Optional.empty()));
                continue;
            } else if (exit.isEmpty() && dir != null) {
                // read again: the wrapper may have written its record and quit between the two looks
                exit = InstanceRecords.readExit(dir, o.id());
            }
            if (exit.isPresent()) {
                int code = exit.get().exitCode();
                st.end(o, code == 0 ? TaskInstanceStatus.DONE.code() : TaskInstanceStatus.ERROR.code(), code, code == 0 ? null
                        : "exited " + code + " while no controller was watching (recorded from its exit record " + when + ")");
            } else {
                st.end(o, TaskInstanceStatus.UNKNOWN_ERROR.code(), null, "lost " + when
                        + ": the instance left no exit record and no running process");
            }
        }
        st.write(runId);
        return live;
    }

    private List<Open> openInstances(long runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT i.id, i.task_id, i.status, t.status, i.nodename, i.executor_type, "
                + "i.executor_id FROM task_instance i JOIN task t ON t.id = i.task_id "
                + "WHERE i.workflow_run_id = :r AND i.status IN ('I', 'B', 'R', 'T', 'K')").bind("r", runId)
                .map((rs, ctx) -> new Open(rs.getLong(1), rs.getLong(2), rs.getString(3).charAt(0), rs.getString(4).charAt(0),
                        rs.getString(5), rs.getString(6), rs.getString(7))).list());
    }

    /** True when the run's instances are jobs of a batch scheduler (settled through {@link #settleWithExecutor}). */
    public boolean ranOnBatchScheduler(long runId) {
        return openInstances(runId).stream().anyMatch(o -> batchExecutor.test(o.executorType()));
    }

    /**
     * Settles the open instances of an earlier run whose jobs live in a batch scheduler, by asking
     * its executor ({@code probe}, made for that run's folder): the jobs it still lists are deleted
     * (a cold resume) or adopted by their ids (a hot one, queued or running); the others ended as
     * their exit records and accounting say, or were lost. A scheduler that cannot be asked stops
     * the resume: nothing is decided on a guess.
     */
    public List<LiveInstance> settleWithExecutor(long runId, boolean hot, org.jobmon.api.executor.Executor probe, String when) {
        Optional<String> workDir = jdbi.withHandle(h -> h.createQuery("SELECT work_dir FROM workflow_run WHERE id = :r")
                .bind("r", runId).mapTo(String.class).findOne());
        // a job whose id was never recorded (the controller died right after qsub) names itself in its started record
        List<Open> open = new ArrayList<>();
        for (Open o : openInstances(runId)) {
            Optional<String> recorded = o.executorId() != null || workDir.isEmpty() ? Optional.empty()
                    : InstanceRecords.readStarted(Path.of(workDir.get(), Long.toString(o.id())), o.id())
                            .flatMap(InstanceRecords.Started::executorId);
            open.add(recorded.isEmpty() ? o : new Open(o.id(), o.taskId(), o.status(), o.taskStatus(), o.nodename(),
                    o.executorType(), recorded.get()));
        }
        List<String> ids = open.stream().map(Open::executorId).filter(java.util.Objects::nonNull).toList();
        java.util.Map<String, org.jobmon.api.executor.JobState> listed;
        try {
            listed = ids.isEmpty() ? java.util.Map.of() : probe.poll(ids);
        } catch (RuntimeException e) {
            throw new org.jobmon.api.JobmonException(org.jobmon.api.JobmonException.ErrorCode.REFUSED, "cannot ask the executor about "
                    + ids.size() + " job(s) of workflow run " + runId + " (" + e.getMessage() + "); nothing was changed: resume again "
                    + "when the scheduler answers");
        }
        Settlement st = new Settlement();
        List<LiveInstance> live = new ArrayList<>();
        List<Open> toDelete = new ArrayList<>();
        List<org.jobmon.api.executor.GoneInstance> gone = new ArrayList<>();
        java.util.Map<Long, Open> byId = new java.util.HashMap<>();
        for (Open o : open) {
            byId.put(o.id(), o);
            Path dir = workDir.map(d -> Path.of(d, Long.toString(o.id()))).orElse(Path.of("."));
            boolean finished = InstanceRecords.readExit(dir, o.id()).isPresent();
            if (o.executorId() == null) {
                // never handed to the scheduler, or handed over without an answer: should a job exist after all,
                // the kill order keeps its wrapper from starting the command
                workDir.ifPresent(d -> orderKillQuietly(dir, o.id()));
                st.end(o, TaskInstanceStatus.UNKNOWN_ERROR.code(), null, "lost " + when + ": it was never submitted, or its job id "
                        + "was never recorded (a job it may have become will not start its command)");
            } else if (listed.containsKey(o.executorId()) && !finished) {
                if (hot) {
                    live.add(new LiveInstance(o.id(), o.taskId(), dir, InstanceRecords.readStarted(dir, o.id()),
                            Optional.of(o.executorId())));
                } else {
                    toDelete.add(o);
                }
            } else {
                // gone from the scheduler, or still listed while it finishes: its records say how it ended
                gone.add(new org.jobmon.api.executor.GoneInstance(o.id(), o.executorId(), Optional.empty(), dir, Optional.empty()));
            }
        }
        if (!toDelete.isEmpty()) {
            for (Open o : toDelete) {
                // should the delete be lost, the job's wrapper still refuses to start
                workDir.ifPresent(d -> orderKillQuietly(Path.of(d, Long.toString(o.id())), o.id()));
            }
            try {
                probe.terminate(toDelete.stream().map(Open::executorId).toList());
            } catch (RuntimeException e) {
                throw new org.jobmon.api.JobmonException(org.jobmon.api.JobmonException.ErrorCode.REFUSED, "cannot delete "
                        + toDelete.size() + " job(s) of workflow run " + runId + " (" + e.getMessage() + "); resume again when the "
                        + "scheduler answers");
            }
            for (Open o : toDelete) {
                st.end(o, TaskInstanceStatus.ERROR_FATAL.code(), null, "job " + o.executorId() + " deleted by a cold resume " + when);
            }
        }
        if (!gone.isEmpty()) {
            java.util.Map<Long, org.jobmon.api.executor.ExitInfo> exits;
            try {
                exits = probe.exitInfos(gone);
            } catch (RuntimeException e) {
                exits = java.util.Map.of();
            }
            for (org.jobmon.api.executor.GoneInstance g : gone) {
                Open o = byId.get(g.taskInstanceId());
                org.jobmon.api.executor.ExitInfo x = exits.get(g.taskInstanceId());
                if (x == null) {
                    st.end(o, TaskInstanceStatus.UNKNOWN_ERROR.code(), null, "lost " + when + ": job " + o.executorId()
                            + " is gone from its scheduler without an exit record or an accounting record");
                    continue;
                }
                Integer code = x.exitCode().isPresent() ? x.exitCode().getAsInt() : null;
                char status = switch (x.kind()) {
                    case DONE -> TaskInstanceStatus.DONE.code();
                    case RESOURCE_ERROR -> TaskInstanceStatus.RESOURCE_ERROR.code();
                    case APPLICATION_ERROR, KILLED -> TaskInstanceStatus.ERROR.code();
                    case LOST, UNKNOWN -> TaskInstanceStatus.UNKNOWN_ERROR.code();
                };
                st.end(o, status, code, x.kind() == org.jobmon.api.executor.ExitInfo.ExitKind.DONE ? null
                        : x.message() + " (while no controller was watching; recorded " + when + ")");
            }
        }
        st.write(runId);
        log.info("workflow run {}: {} job(s) still in the scheduler {}, {} ended meanwhile", runId, toDelete.size() + live.size(),
                hot ? "adopted" : "deleted", gone.size());
        return live;
    }


    /** The writes that settle a run's instances and their tasks, made in one guarded transaction. */
    private final class Settlement {
        final List<TaskInstanceDao.Ended> ended = new ArrayList<>();
        final List<TaskInstanceDao.StatusChange> instanceChanges = new ArrayList<>();
        final List<TaskInstanceDao.ErrorLog> errors = new ArrayList<>();
        final List<TaskDao.TaskUpdate> taskRows = new ArrayList<>();
        final List<TaskDao.StatusChange> taskChanges = new ArrayList<>();

        /** The instance ends {@code status}; its task goes DONE with it or back to be retried. */
        void end(Open o, char status, Integer code, String error) {
            ended.add(new TaskInstanceDao.Ended(o.id(), status, code, null, null, null));
            instanceChanges.add(new TaskInstanceDao.StatusChange(o.id(), o.status(), status));
            if (error != null) {
                errors.add(new TaskInstanceDao.ErrorLog(o.id(), error));
            }
            taskTo(o, status == TaskInstanceStatus.DONE.code() ? TaskStatus.DONE.code() : TaskStatus.ERROR_RECOVERABLE.code());
        }

        void taskTo(Open o, char taskNext) {
            if (o.taskStatus() != TaskStatus.DONE.code() && o.taskStatus() != TaskStatus.ERROR_FATAL.code()
                    && o.taskStatus() != taskNext) {
                taskRows.add(new TaskDao.TaskUpdate(o.taskId(), o.taskStatus(), taskNext, attempts(o.taskId())));
                taskChanges.add(new TaskDao.StatusChange(o.taskId(), o.taskStatus(), taskNext));
            }
        }

        void write(long runId) {
            jdbi.useTransaction(h -> {
                // guarded: an instance or task that changed since it was read keeps that change
                java.util.Set<Long> missed = instances.ended(h, ended);
                instances.audit(h, instanceChanges.stream().filter(c -> !missed.contains(c.taskInstanceId())).toList());
                instances.errors(h, errors.stream().filter(e -> !missed.contains(e.taskInstanceId())).toList());
                java.util.Set<Long> skipped = tasks.updateTasks(h, taskRows);
                tasks.audit(h, runId, taskChanges.stream().filter(c -> !skipped.contains(c.taskId())).toList());
            });
        }
    }

    /** Writes a kill order into the instance's folder, so that its wrapper never starts the command. */
    private static void orderKillQuietly(Path dir, long tiId) {
        try {
            InstanceRecords.orderKill(dir, tiId);
        } catch (RuntimeException e) {
            log.debug("cannot write the kill order for instance {}: {}", tiId, e.getMessage());
        }
    }

    /** Kills an instance's process tree on this machine, leaving a kill order for its wrapper too. */
    private static void kill(Path dir, long tiId, InstanceRecords.Started started) {
        orderKillQuietly(dir, tiId);
        InstanceRecords.process(started).ifPresent(p -> {
            List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
            p.destroyForcibly();
            tree.forEach(ProcessHandle::destroyForcibly);
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("instance {} (pid {}) did not end within 5 s of being killed", tiId, started.pid());
            }
        });
    }

    private int attempts(long taskId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT num_attempts FROM task WHERE id = :t").bind("t", taskId)
                .mapTo(Integer.class).one());
    }

    /** The started record of an instance whose process still runs (or runs elsewhere and cannot be checked). */
    private Optional<InstanceRecords.Started> stillAlive(Path dir, Open o) {
        Optional<InstanceRecords.Started> started = InstanceRecords.readStarted(dir, o.id());
        if (started.isEmpty()) {
            return Optional.empty();
        }
        String host = started.get().host();
        if (!host.isBlank() && !host.equals(localHost) && !host.equals("localhost")) {
            // Another machine's process cannot be checked from here; its executor decides on resume.
            return started;
        }
        return InstanceRecords.process(started.get()).filter(ProcessHandle::isAlive).map(p -> started.get());
    }

    private void setWorkflowFailedIfItWasRunning(Handle h, long workflowId) {
        h.createUpdate("UPDATE workflow SET status = :f, status_date = CURRENT_TIMESTAMP(6) WHERE id = :w AND status = :r")
                .bind("f", String.valueOf(WorkflowStatus.FAILED.code())).bind("r", String.valueOf(WorkflowStatus.RUNNING.code()))
                .bind("w", workflowId).execute();
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

package org.jobmon.engine.schedule;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.GoneInstance;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.JobState;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.store.CycleWrites;
import org.jobmon.engine.store.RunStore;
import org.jobmon.engine.store.StoreUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the run's view of its instances true to the executor's: KILL_SELF orders carried out, one
 * batched poll per instance heartbeat (report-by dates renewed, instances the executor no longer
 * knows triaged and asked about), instances adopted from an earlier run followed through their
 * records. What an instance's end means for its task is the loop's to decide ({@link Outcomes}).
 */
final class InstanceReconciler {
    private static final Logger log = LoggerFactory.getLogger(InstanceReconciler.class);

    /** What the reconciler found, for the loop to act on. */
    interface Outcomes {
        /** A polling executor's instance started since the last look. */
        void started(Attempt a);

        /** The instance ended as {@code exit} says. */
        void exited(Attempt a, ExitInfo exit);

        /** The instance ended without the executor saying how: {@code status} and why. */
        void ended(Attempt a, char status, String host, String why);
    }

    private final RunStore store;
    private final Executor executor;
    private final String executorName;
    private final EngineConfig config;
    private final Supplier<CycleWrites> writes;
    private final Outcomes outcomes;
    /** How long a polled job may be missing without any record before it is taken as lost. */
    static final Duration LOST_AFTER = Duration.ofSeconds(60);
    /** When polls began to fail (System.nanoTime), or 0. */
    private long pollFailingSince;

    InstanceReconciler(RunStore store, Executor executor, String executorName, EngineConfig config, Supplier<CycleWrites> writes,
            Outcomes outcomes) {
        this.store = store;
        this.executor = executor;
        this.executorName = executorName;
        this.config = config;
        this.writes = writes;
        this.outcomes = outcomes;
    }

    /**
     * At each poll: one batched poll of the executor for the live instances; renews their report-by
     * dates when {@code renew} (once per instance heartbeat); carries out KILL_SELF orders; ends what
     * the platform will not run (in error at once, held past the never-started deadline); and asks,
     * in one call, how the instances it no longer lists ended. One missing answer is not proof that
     * an instance is gone: without an exit the executor can tell, it is taken as lost only when the
     * next poll misses it too, and then it is terminated before its task is retried.
     */
    void reconcile(Map<Long, Attempt> active, boolean renew) {
        List<Long> killOrders;
        try {
            killOrders = store.killOrders();
        } catch (StoreUnavailableException e) {
            log.debug("cannot read kill orders now: {}", e.getMessage());
            return;
        }
        List<Attempt> toKill = new ArrayList<>();
        for (long id : killOrders) {
            Attempt a = active.get(id);
            if (a != null && !a.killOrdered) {
                a.killOrdered = true;
                toKill.add(a);
            }
        }
        if (!toKill.isEmpty()) {
            log.info("carrying out KILL_SELF for {} instance(s)", toKill.size());
            terminate(toKill);
        }
        List<String> ids = new ArrayList<>();
        for (Attempt a : active.values()) {
            if (a.executorId != null) {
                ids.add(a.executorId);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        Map<String, JobState> states;
        try {
            states = executor.poll(ids);
        } catch (RuntimeException e) {
            // one line per outage: the polls that follow are tried quietly until one answers
            if (pollFailingSince == 0) {
                pollFailingSince = System.nanoTime();
                log.warn("executor {} cannot be polled ({}); its instances keep their last known state, and polls go on", executorName,
                        e.getMessage());
            } else {
                log.debug("executor {} still cannot be polled: {}", executorName, e.getMessage());
            }
            return;
        }
        if (pollFailingSince != 0) {
            log.info("executor {} answers polls again after {} s", executorName,
                    Duration.ofNanos(System.nanoTime() - pollFailingSince).toSeconds());
            pollFailingSince = 0;
        }
        long now = System.nanoTime();
        List<Long> live = new ArrayList<>();
        List<Attempt> gone = new ArrayList<>();
        List<Attempt> refused = new ArrayList<>();
        List<Attempt> heldTooLong = new ArrayList<>();
        for (Attempt a : new ArrayList<>(active.values())) {
            if (a.executorId == null) {
                continue;
            }
            JobState s = states.get(a.executorId);
            if (s == null) {
                if (a.missedPolls++ == 0) {
                    a.firstMissed = now;
                }
                // Executors that report events get one more poll for their exit event to arrive.
                if (a.missedPolls >= 2 || !executor.reportsEvents()) {
                    gone.add(a);
                }
                continue;
            }
            a.missedPolls = 0;
            live.add(a.id);
            switch (s.state()) {
                case RUNNING -> {
                    a.heldSince = 0;
                    if (!executor.reportsEvents() && a.status == TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code()) {
                        // a polling executor's instance started since the last look
                        outcomes.started(a);
                    }
                }
                case QUEUED -> a.heldSince = 0;
                case HELD -> {
                    if (a.heldSince == 0) {
                        a.heldSince = now;
                        String held = "job " + a.executorId + " is held by " + executorName + ": " + reason(s)
                                + "; it is deleted if still held after " + config.neverStartedDeadline().toSeconds() + " s";
                        log.info("task instance {}: {}", a.id, held);
                        // shown by task_status while it waits
                        writes.get().errors.add(new org.jobmon.persistence.dao.TaskInstanceDao.ErrorLog(a.id, held));
                    }
                    a.heldReason = reason(s);
                    if (now - a.heldSince >= config.neverStartedDeadline().toNanos()) {
                        heldTooLong.add(a);
                    }
                }
                case ERROR -> refused.add(a);
            }
            if (s.state() == Executor.InstanceState.ERROR) {
                a.heldReason = reason(s);
            }
        }
        if (renew) {
            writes.get().renew(live, config.instanceExpiry());
        }
        if (!refused.isEmpty() || !heldTooLong.isEmpty()) {
            List<Attempt> ending = new ArrayList<>(refused);
            ending.addAll(heldTooLong);
            deleteQuietly(ending);
            for (Attempt a : refused) {
                outcomes.ended(a, TaskInstanceStatus.ERROR.code(), null, executorName + " will not run job " + a.executorId
                        + " as submitted: " + a.heldReason + " (the job was deleted)");
            }
            for (Attempt a : heldTooLong) {
                outcomes.ended(a, TaskInstanceStatus.NO_HEARTBEAT.code(), null, "job " + a.executorId + " was held by "
                        + executorName + " for " + Duration.ofNanos(now - a.heldSince).toSeconds() + " s and never started: "
                        + a.heldReason + " (deleted after the never-started deadline of "
                        + config.neverStartedDeadline().toSeconds() + " s)");
            }
        }
        if (!gone.isEmpty()) {
            settleGone(gone);
        }
    }

    private static String reason(JobState s) {
        return s.reason().isBlank() ? "no reason given" : s.reason();
    }

    /** Asks, in one call, how the instances the platform no longer lists ended; what it cannot tell yet waits one more poll. */
    private void settleGone(List<Attempt> gone) {
        List<GoneInstance> ask = new ArrayList<>();
        for (Attempt a : gone) {
            ask.add(new GoneInstance(a.id, a.executorId, java.util.Optional.ofNullable(a.resources),
                    a.dir != null ? a.dir : Path.of("."), java.util.Optional.ofNullable(a.stderr)));
        }
        Map<Long, ExitInfo> answers;
        try {
            answers = executor.exitInfos(ask);
        } catch (RuntimeException e) {
            // no answer is not "no record": nothing is called lost on it
            log.warn("executor {} could not say how {} instance(s) ended; asking again at the next poll: {}", executorName, gone.size(),
                    e.toString());
            return;
        }
        long now = System.nanoTime();
        List<Attempt> lost = new ArrayList<>();
        for (Attempt a : gone) {
            ExitInfo x = answers.get(a.id);
            if (x == null) {
                // Missing from two polls and without a record; for a batch scheduler also for a while, since its
                // accounting record may be written some seconds after the job leaves its queue.
                if (a.missedPolls >= 2 && (executor.reportsEvents() || now - a.firstMissed >= LOST_AFTER.toNanos())) {
                    lost.add(a);
                }
                continue;
            }
            if (a.status == TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code()
                    && (x.kind() == ExitInfo.ExitKind.LOST || x.kind() == ExitInfo.ExitKind.UNKNOWN)) {
                outcomes.ended(a, TaskInstanceStatus.NO_HEARTBEAT.code(), null,
                        "submitted to the executor as " + a.executorId + " but never reported that it started: " + x.message());
                continue;
            }
            triage(a);
            outcomes.exited(a, x);
        }
        if (!lost.isEmpty()) {
            // gone twice without a trace: make sure it cannot come back before its task is retried
            deleteQuietly(lost);
            for (Attempt a : lost) {
                if (a.status == TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code()) {
                    outcomes.ended(a, TaskInstanceStatus.NO_HEARTBEAT.code(), null, "submitted to the executor as " + a.executorId
                            + " but never reported that it started, and " + executorName + " has no record of it");
                } else {
                    triage(a);
                    outcomes.exited(a, ExitInfo.lost("job " + a.executorId + " is gone from " + executorName
                            + " without an exit record or an accounting record (missing from two polls in a row)"));
                }
            }
        }
    }

    private void triage(Attempt a) {
        if (a.status == TaskInstanceStatus.RUNNING.code()) {
            writes.get().triaging.add(a.id);
            writes.get().instance(a.id, a.status, TaskInstanceStatus.TRIAGING.code());
            a.status = TaskInstanceStatus.TRIAGING.code();
        }
    }

    /**
     * Terminates these instances at their executor, logging (not throwing) a failure. A kill order
     * goes into each one's folder first: should the delete fail, or a held job be released later,
     * its wrapper does not start the command.
     */
    private void deleteQuietly(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            if (a.dir != null) {
                try {
                    InstanceRecords.orderKill(a.dir, a.id);
                } catch (RuntimeException e) {
                    log.debug("cannot write a kill order for instance {}: {}", a.id, e.getMessage());
                }
            }
        }
        List<String> ids = attempts.stream().map(a -> a.executorId).toList();
        try {
            executor.terminate(ids);
        } catch (RuntimeException e) {
            log.warn("executor {} failed to terminate {} instance(s): {}", executorName, ids.size(), e.toString());
        }
    }

    /** Adopted instances end when their exit record appears, or are lost when their process is gone without one. */
    void watchAdopted(Map<Long, Attempt> active) {
        for (Attempt a : new ArrayList<>(active.values())) {
            if (a.adopted == null) {
                continue;
            }
            if (a.executorId != null || a.adopted.started().isEmpty()) {
                continue; // followed by its executor's polls
            }
            InstanceRecords.Started started = a.adopted.started().get();
            Optional<InstanceRecords.Exited> exit = InstanceRecords.readExit(a.adopted.dir(), a.id);
            if (exit.isPresent()) {
                int code = exit.get().exitCode();
                double wall = Math.max(0, java.time.Duration.between(started.time(), exit.get().time()).toMillis() / 1000.0);
                outcomes.exited(a, code == 0 ? ExitInfo.done(started.host(), wall)
                        : ExitInfo.failed(code, stderrTail(a.adopted.dir()), "exited " + code + " (an instance adopted by a hot resume)"));
            } else if (isLocal(started) && !stillRunning(started)
                    && InstanceRecords.readExit(a.adopted.dir(), a.id).isEmpty()) {
                // read again: the wrapper may have written its record and quit between the two looks
                outcomes.ended(a, TaskInstanceStatus.UNKNOWN_ERROR.code(), started.host(),
                        "lost: the process of this instance (adopted by a hot resume) ended without an exit record");
            }
        }
    }

    /** Instances on other machines cannot be checked from here: only their exit record ends them. */
    private static boolean isLocal(InstanceRecords.Started started) {
        String host = started.host();
        return host.isBlank() || host.equals("localhost") || host.equals(LOCAL_HOST);
    }

    private static final String LOCAL_HOST = localHostName();

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "localhost";
        }
    }

    private static boolean stillRunning(InstanceRecords.Started started) {
        return InstanceRecords.process(started).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String stderrTail(Path dir) {
        Path err = dir.resolve(InstanceRecords.STDERR);
        try {
            if (!java.nio.file.Files.exists(err)) {
                return "";
            }
            List<String> lines = java.nio.file.Files.readAllLines(err);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return "";
        }
    }

    void terminate(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            if (a.adopted != null && a.executorId == null && a.adopted.started().isPresent()) {
                try {
                    InstanceRecords.orderKill(a.adopted.dir(), a.id);
                } catch (RuntimeException e) {
                    log.debug("cannot write a kill order for instance {}: {}", a.id, e.getMessage());
                }
                InstanceRecords.process(a.adopted.started().get()).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
                outcomes.exited(a, new ExitInfo(ExitInfo.ExitKind.KILLED, java.util.OptionalInt.empty(), Optional.empty(), "",
                        Optional.of(a.adopted.started().get().host()), java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(),
                        "killed"));
            }
        }
        for (Attempt a : attempts) {
            // never handed over, or taken back by a lowered concurrency limit: no executor has it
            if (a.adopted == null && a.executorId == null && a.status != TaskInstanceStatus.RUNNING.code()) {
                outcomes.exited(a, killed("ended before it was submitted"));
            }
        }
        List<Attempt> submitted = attempts.stream().filter(a -> a.executorId != null).toList();
        if (!submitted.isEmpty()) {
            try {
                executor.terminate(submitted.stream().map(a -> a.executorId).toList());
            } catch (RuntimeException e) {
                log.warn("executor {} failed to terminate {} instance(s): {}", executorName, submitted.size(), e.toString());
            }
        }
    }

    /**
     * For an executor that reports no events: which of these terminated instances its platform no
     * longer lists, ended as killed. Polled, never assumed: a job a scheduler was told to delete may
     * linger, or outlive the order.
     */
    /** True when ends are learnt by polling (the executor reports no events). */
    boolean pollsForEnds() {
        return !executor.reportsEvents();
    }

    void confirmTerminated(List<Attempt> attempts) {
        if (executor.reportsEvents()) {
            return;
        }
        List<Attempt> submitted = attempts.stream().filter(a -> a.executorId != null).toList();
        if (submitted.isEmpty()) {
            return;
        }
        Map<String, JobState> states;
        try {
            states = executor.poll(submitted.stream().map(a -> a.executorId).toList());
        } catch (RuntimeException e) {
            log.debug("executor {} could not be polled: {}", executorName, e.toString());
            return;
        }
        for (Attempt a : submitted) {
            if (!states.containsKey(a.executorId)) {
                // one that finished on its own before the delete keeps its result
                Optional<InstanceRecords.Exited> exit = a.dir == null ? Optional.empty() : InstanceRecords.readExit(a.dir, a.id);
                outcomes.exited(a, exit.isPresent() && exit.get().exitCode() == 0 && !exit.get().refusedByKillOrder()
                        ? new ExitInfo(ExitInfo.ExitKind.DONE, java.util.OptionalInt.of(0), Optional.empty(), "", Optional.empty(),
                                java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(), "exited 0 before it could be deleted")
                        : killed("deleted from " + executorName + " (job " + a.executorId + ")"));
            }
        }
    }

    private static ExitInfo killed(String message) {
        return new ExitInfo(ExitInfo.ExitKind.KILLED, java.util.OptionalInt.empty(), Optional.empty(), "", Optional.empty(),
                java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(), message);
    }

}

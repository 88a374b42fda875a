package org.jobmon.engine.schedule;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceRecords;
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
     * Once per instance heartbeat: one batched poll of the executor for the live instances, renews
     * their report-by dates, triages those the executor no longer knows, and carries out KILL_SELF orders.
     */
    void reconcile(Map<Long, Attempt> active) {
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
        Map<String, Executor.InstanceState> states;
        try {
            states = executor.poll(ids);
        } catch (RuntimeException e) {
            log.warn("executor {} could not be polled; trying again in one heartbeat", executorName, e);
            return;
        }
        List<Long> live = new ArrayList<>();
        List<Attempt> gone = new ArrayList<>();
        for (Attempt a : active.values()) {
            if (a.executorId == null) {
                continue;
            }
            Executor.InstanceState s = states.get(a.executorId);
            if (s != null) {
                live.add(a.id);
                a.missedPolls = 0;
                if (!executor.reportsEvents() && s == Executor.InstanceState.RUNNING
                        && a.status == TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code()) {
                    // a polling executor's instance started since the last look
                    outcomes.started(a);
                }
            } else if (!executor.reportsEvents() || ++a.missedPolls >= 2) {
                // Executors that report events get one more heartbeat for their exit event to arrive.
                gone.add(a);
            }
        }
        writes.get().renew(live, config.instanceExpiry());
        if (!gone.isEmpty()) {
            for (Attempt a : gone) {
                if (a.status == TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code()) {
                    outcomes.ended(a, TaskInstanceStatus.NO_HEARTBEAT.code(), null,
                            "submitted to the executor as " + a.executorId + " but never reported that it started");
                    continue;
                }
                writes.get().triaging.add(a.id);
                writes.get().instance(a.id, a.status, TaskInstanceStatus.TRIAGING.code());
                a.status = TaskInstanceStatus.TRIAGING.code();
                ExitInfo x;
                try {
                    x = executor.exitInfo(a.executorId);
                } catch (RuntimeException e) {
                    x = ExitInfo.lost("the executor could not say why instance " + a.executorId + " is gone: " + e);
                }
                outcomes.exited(a, x);
            }
        }
    }

    /** Adopted instances end when their exit record appears, or are lost when their process is gone without one. */
    void watchAdopted(Map<Long, Attempt> active) {
        for (Attempt a : new ArrayList<>(active.values())) {
            if (a.adopted == null) {
                continue;
            }
            InstanceRecords.Started started = a.adopted.started();
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
            if (a.adopted != null) {
                try {
                    InstanceRecords.orderKill(a.adopted.dir(), a.id);
                } catch (RuntimeException e) {
                    log.debug("cannot write a kill order for instance {}: {}", a.id, e.getMessage());
                }
                InstanceRecords.process(a.adopted.started()).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
                outcomes.exited(a, new ExitInfo(ExitInfo.ExitKind.KILLED, java.util.OptionalInt.empty(), Optional.empty(), "",
                        Optional.of(a.adopted.started().host()), java.util.OptionalDouble.empty(), java.util.OptionalLong.empty(),
                        "killed"));
            }
        }
        List<String> ids = attempts.stream().filter(a -> a.executorId != null).map(a -> a.executorId).toList();
        try {
            executor.terminate(ids);
        } catch (RuntimeException e) {
            log.warn("executor {} failed to terminate {} instance(s)", executorName, ids.size(), e);
        }
    }

}

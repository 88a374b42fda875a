package org.jobmon.executor.local;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceEventSink;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.Submission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs instances as processes on this machine, first come first served, in a fixed number of slots.
 * An instance holds {@link #slotsFor} slots while it runs; the head of the queue waits until enough
 * are free and nothing overtakes it, so big instances are never starved.
 *
 * <p>Each slot has at most one worker thread (daemon, created on demand) that starts the head,
 * reports {@link InstanceEvent.Started}, waits for the process and reports {@link InstanceEvent.Exited}.
 * No thread is created per instance. All bookkeeping is guarded by one lock; events are sent
 * outside it. One more thread, the {@link ResourceMonitor}, enforces each instance's m_mem_free and
 * max_runtime_seconds and acts on KILL_SELF orders in instance folders.
 *
 * <p>Engine config keys: {@code local.monitor_interval_ms} (how often memory is sampled, default
 * 500) and {@code local.process_group}: {@code true} starts each attempt as the leader of its own
 * process group and session (with {@code setsid}), so it can be killed as a group and a terminal's
 * Ctrl-C, Ctrl-Z or hang-up reaches Jobmon, not the attempts; {@code false} does not, which saves
 * the start of that program (about 0.35 ms of wall time and 0.7 ms of CPU per attempt on a 2-core
 * VM); {@code auto}, the default, is {@code true} when Jobmon runs in the foreground of a terminal
 * (where those signals would hit the attempts) and {@code false} otherwise.
 */
public abstract class SlotQueueExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SlotQueueExecutor.class);
    private static final String ID_PREFIX = "local-";
    /** The engine config key for process groups (setsid): true, false or auto. */
    public static final String PROCESS_GROUP_CONFIG = "local.process_group";
    /** The engine config key for the monitor's sampling interval in milliseconds. */
    public static final String MONITOR_INTERVAL_CONFIG = ResourceMonitor.INTERVAL_CONFIG;

    private final String name;
    private final int slots;
    private final InstanceEventSink events;
    private final LocalProcessLauncher launcher;
    private final ResourceMonitor monitor;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition headStartable = lock.newCondition();
    /** Waiting instances in submission order, by executor id. */
    private final LinkedHashMap<String, LocalInstance> queue = new LinkedHashMap<>();
    /** Waiting and running instances, by executor id. */
    private final Map<String, LocalInstance> active = new HashMap<>();
    private final Map<String, ExitInfo> finished = new HashMap<>();
    private final List<Thread> workers = new ArrayList<>();
    private int freeSlots;
    private int busyWorkers;
    private volatile boolean closed;

    /**
     * @param context the run's context
     * @param name the executor's name, for thread names and logs
     * @param slots how many slots this machine offers (at least 1)
     */
    protected SlotQueueExecutor(ExecutorContext context, String name, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be at least 1, not " + slots);
        }
        this.name = name;
        this.slots = slots;
        this.freeSlots = slots;
        this.events = context.events();
        this.launcher = new LocalProcessLauncher(context.settings(),
                processGroups(context));
        this.monitor = new ResourceMonitor(name,
                longConfig(context, ResourceMonitor.INTERVAL_CONFIG, ResourceMonitor.DEFAULT_INTERVAL_MILLIS));
        log.info("The {} executor runs up to {} slot(s) at once on {}{}", name, slots, launcher.hostname(),
                launcher.leadsProcessGroups() ? ", each attempt in its own process group" : "");
    }

    private static long longConfig(ExecutorContext context, String key, long defaultValue) {
        String value = context.config().get(key);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= 1) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "The engine config '" + key + "' is '" + value
                + "', which is not a whole number of milliseconds of 1 or more: e.g. " + key + "=" + defaultValue + ".");
    }

    /** The {@code local.process_group} setting: true, false, or auto (the default). */
    private static boolean processGroups(ExecutorContext context) {
        String value = context.config().get(PROCESS_GROUP_CONFIG);
        String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "":
            case "auto":
                return ProcessTree.inTerminalForeground();
            case "true":
            case "yes":
            case "1":
                return true;
            case "false":
            case "no":
            case "0":
                return false;
            default:
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "The engine config '" + PROCESS_GROUP_CONFIG
                        + "' is '" + value + "'; it takes true, false or auto.");
        }
    }

    /**
     * Refuses settings other than the subclass's own ({@code own}) and the ones every
     * slot-queue executor reads ({@value #PROCESS_GROUP_CONFIG}, {@value #MONITOR_INTERVAL_CONFIG}):
     * for a factory's {@code preflight}.
     */
    public static void requireOnly(org.jobmon.api.ExecutorSettings settings, String... own) {
        java.util.List<String> known = new java.util.ArrayList<>(java.util.List.of(own));
        known.add(PROCESS_GROUP_CONFIG);
        known.add(MONITOR_INTERVAL_CONFIG);
        settings.requireOnly(known.toArray(String[]::new));
    }

    /**
     * This machine's physical memory in MiB (its container's limit where it has one), or 0 when the
     * JVM cannot tell. Asked once per JVM: the JVM reads it from cgroup files on every call, and
     * every attempt's resources are checked against it.
     */
    public static long machineMemoryMib() {
        return MachineMemory.MIB;
    }

    private static final class MachineMemory {
        static final long MIB = java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() / (1024 * 1024) : 0;
    }

    /**
     * Refuses a request for more memory than this machine has, before the run is written: most
     * often a number meant as MiB, which Jobmon (as the original) reads as GiB.
     *
     * @throws JobmonException INVALID_RESOURCES naming the value, the machine's memory and the unit rule
     */
    public static Resources requireMemoryOfThisMachine(Resources requested, long machineMib) {
        if (machineMib > 0 && requested.memoryMib() > machineMib) {
            String asked = LocalInstance.memoryLimit(requested.memoryMib());
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, "m_mem_free is " + asked + ", more than the "
                    + LocalInstance.memoryLimit(machineMib) + " of memory this machine has. A number without a unit is GiB, as in "
                    + "the original Jobmon (m_mem_free: 2048 means 2048G): write the unit, e.g. m_mem_free: 2048M, and ask for at most "
                    + Math.max(1, machineMib / 1024) + "G");
        }
        return requested;
    }

    /** How many slots an instance with these resources holds while it runs; clamped to 1..slots. */
    protected abstract int slotsFor(Resources resources);

    /** {@link #slotsFor}, clamped to 1..slots: a bigger request would wait forever. */
    @Override
    public final int slotsNeeded(Resources resources) {
        return Math.max(1, Math.min(slots, slotsFor(resources)));
    }

    /** The slots not held by running instances, less those claimed by queued ones (negative when more wait than are free). */
    @Override
    public java.util.OptionalInt freeSlots() {
        lock.lock();
        try {
            int claimed = 0;
            for (LocalInstance queued : queue.values()) {
                claimed += queued.slots();
            }
            return java.util.OptionalInt.of(closed ? 0 : freeSlots - claimed);
        } finally {
            lock.unlock();
        }
    }

    /** Takes queued instances back: they never start and send no event. */
    @Override
    public java.util.Set<String> withdraw(Collection<String> executorIds) {
        java.util.Set<String> taken = new java.util.HashSet<>();
        lock.lock();
        try {
            for (String id : executorIds) {
                if (queue.remove(id) != null) {
                    active.remove(id);
                    taken.add(id);
                }
            }
        } finally {
            lock.unlock();
        }
        if (!taken.isEmpty()) {
            log.debug("Withdrew {} queued instance(s)", taken.size());
        }
        return taken;
    }

    /** The number of slots this executor offers. */
    public final int slots() {
        return slots;
    }

    @Override
    public final boolean reportsEvents() {
        return true;
    }

    @Override
    public List<Submission> submit(List<InstanceRequest> batch) {
        List<Submission> result = new ArrayList<>(batch.size());
        lock.lock();
        try {
            for (InstanceRequest request : batch) {
                long ti = request.taskInstanceId();
                String id = ID_PREFIX + ti;
                if (closed) {
                    result.add(Submission.refused(ti, "the " + name + " executor is closed"));
                } else if (active.containsKey(id)) {
                    result.add(Submission.refused(ti, "task instance " + ti + " is already queued or running"));
                } else {
                    int need = slotsNeeded(request.resources());
                    LocalInstance instance = new LocalInstance(request, id, need);
                    queue.put(id, instance);
                    active.put(id, instance);
                    finished.remove(id);
                    result.add(Submission.accepted(ti, id));
                    log.debug("Queued {} ({}, {} slot(s))", id, request.taskName(), need);
                }
            }
            addWorkersIfNeeded();
            if (startableHead() != null) {
                headStartable.signal();
            }
        } finally {
            lock.unlock();
        }
        return result;
    }

    @Override
    public Map<String, JobState> poll(Collection<String> executorIds) {
        Map<String, JobState> states = new HashMap<>();
        lock.lock();
        try {
            for (String id : executorIds) {
                if (queue.containsKey(id)) {
                    states.put(id, JobState.QUEUED);
                } else if (active.containsKey(id)) {
                    states.put(id, JobState.RUNNING);
                }
            }
        } finally {
            lock.unlock();
        }
        return states;
    }

    @Override
    public void terminate(Collection<String> executorIds) {
        List<LocalInstance> toKill = new ArrayList<>();
        List<InstanceEvent> dropped = new ArrayList<>();
        lock.lock();
        try {
            for (String id : executorIds) {
                LocalInstance instance = active.get(id);
                if (instance == null) {
                    continue;
                }
                if (queue.remove(id) != null) {
                    active.remove(id);
                    ExitInfo exit = LocalInstance.killedBeforeStart();
                    finished.put(id, exit);
                    dropped.add(new InstanceEvent.Exited(instance.taskInstanceId(), id, exit));
                    log.debug("Dropped queued {}", id);
                } else {
                    // Running, or being started: the worker kills it as soon as it has a process.
                    instance.requestKill();
                    if (instance.process() != null) {
                        toKill.add(instance);
                    }
                }
            }
            if (!dropped.isEmpty() && startableHead() != null) {
                headStartable.signal();
            }
        } finally {
            lock.unlock();
        }
        for (LocalInstance instance : toKill) {
            log.debug("Killing {} (pid {}) and its descendants", instance.executorId(), instance.process().pid());
        }
        LocalInstance.killProcessTrees(toKill);
        dropped.forEach(this::send);
    }

    @Override
    public ExitInfo exitInfo(String executorId) {
        lock.lock();
        try {
            ExitInfo exit = finished.get(executorId);
            if (exit != null) {
                return exit;
            }
            return ExitInfo.lost(active.containsKey(executorId)
                    ? executorId + " has not finished yet."
                    : "The " + name + " executor knows nothing about " + executorId + ".");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting work and drops the queue; running processes keep running, unwatched, and
     * the worker threads end.
     */
    @Override
    public void close() {
        List<Thread> toStop;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (LocalInstance instance : queue.values()) {
                active.remove(instance.executorId());
                finished.put(instance.executorId(),
                        ExitInfo.lost("The " + name + " executor was closed before the instance started."));
            }
            if (!queue.isEmpty()) {
                log.debug("Closing the {} executor dropped {} queued instance(s)", name, queue.size());
            }
            queue.clear();
            toStop = List.copyOf(workers);
            headStartable.signalAll();
        } finally {
            lock.unlock();
        }
        toStop.forEach(Thread::interrupt);
        monitor.stop();
    }

    /** Ensures a worker for every running instance plus every queued one, up to one per slot. Under the lock. */
    private void addWorkersIfNeeded() {
        int wanted = Math.min(slots, busyWorkers + queue.size());
        while (workers.size() < wanted) {
            Thread worker = new Thread(this::work, "jobmon-" + name + "-" + (workers.size() + 1));
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    /** The head of the queue if enough slots are free for it, else null. Under the lock. */
    private LocalInstance startableHead() {
        if (queue.isEmpty()) {
            return null;
        }
        LocalInstance head = queue.values().iterator().next();
        return head.slots() <= freeSlots ? head : null;
    }

    private void work() {
        try {
            while (true) {
                LocalInstance instance;
                lock.lock();
                try {
                    while (!closed && startableHead() == null) {
                        headStartable.await();
                    }
                    if (closed) {
                        return;
                    }
                    instance = queue.values().iterator().next();
                    queue.remove(instance.executorId());
                    freeSlots -= instance.slots();
                    busyWorkers++;
                    if (startableHead() != null) {
                        headStartable.signal();
                    }
                } finally {
                    lock.unlock();
                }
                try {
                    run(instance);
                } catch (RuntimeException | Error e) {
                    // A bug, or an Error such as a JVM out of native threads when the process starts,
                    // must not leak the instance's slots, leave it running forever or end this worker.
                    log.error("Watching {} failed", instance.executorId(), e);
                    monitor.remove(instance);
                    finish(instance, ExitInfo.unknown("Jobmon lost track of the command: " + e + ".").ranOn(launcher.hostname(), -1));
                }
            }
        } catch (InterruptedException e) {
            // close(): leave the process running, unwatched.
            Thread.currentThread().interrupt();
        }
    }

    /** Starts one instance, reports it, waits for it and reports its end. */
    private void run(LocalInstance instance) throws InterruptedException {
        String id = instance.executorId();
        long ti = instance.taskInstanceId();
        Process process;
        try {
            process = launch(instance.request());
        } catch (IOException | RuntimeException e) {
            log.debug("Could not start {}: {}", id, e.getMessage());
            String cause = e.getMessage() != null ? e.getMessage() : e.toString();
            finish(instance, LocalInstance.startFailed(cause, launcher.hostname()));
            return;
        }
        instance.started(process, System.nanoTime(), launcher.leadsProcessGroups());
        monitor.add(instance);
        log.debug("Started {} as pid {}", id, process.pid());
        send(new InstanceEvent.Started(ti, id, launcher.hostname(), OptionalLong.of(process.pid())));
        if (instance.killRequested()) {
            instance.killProcessTree();
        }
        int exitCode;
        try {
            exitCode = process.waitFor();
        } finally {
            monitor.remove(instance);
        }
        finish(instance, instance.exitInfo(exitCode, System.nanoTime(), launcher.hostname()));
    }

    /** Starts an instance's process; tests override it to fail as a JVM out of native threads does. */
    Process launch(InstanceRequest request) throws IOException {
        return launcher.start(request, launchPrefix(request));
    }

    /**
     * The program (and its arguments) that an attempt's shell runs under, for executors that run
     * processes differently: {@code List.of("nice", "-n", "10")} runs {@code nice -n 10 /bin/sh -c
     * <wrapper>}. The program must exec its last arguments in the same process (as {@code nice},
     * {@code ionice}, {@code taskset}, {@code chrt} and {@code prlimit} do), so that the shell's pid
     * is the one Jobmon watches, kills and records. The default is none. Called on the worker thread
     * that starts the attempt, once per attempt.
     */
    protected java.util.List<String> launchPrefix(InstanceRequest request) {
        return java.util.List.of();
    }

    /** Records the end, frees the slots and reports it. */
    private void finish(LocalInstance instance, ExitInfo exit) {
        String id = instance.executorId();
        lock.lock();
        try {
            active.remove(id);
            finished.put(id, exit);
            freeSlots += instance.slots();
            busyWorkers--;
            if (startableHead() != null) {
                headStartable.signal();
            }
        } finally {
            lock.unlock();
        }
        log.debug("{} ended: {} {}", id, exit.kind(), exit.message());
        send(new InstanceEvent.Exited(instance.taskInstanceId(), id, exit));
    }

    private void send(InstanceEvent event) {
        if (closed) {
            return;
        }
        try {
            events.accept(event);
        } catch (RuntimeException e) {
            log.warn("The event sink failed on {}", event, e);
        }
    }
}

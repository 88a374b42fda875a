package org.jobmon.executor.local;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.InstanceRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread per executor that watches every running instance: it samples the resident memory of
 * each instance's process tree every interval, kills a tree past its m_mem_free or its
 * max_runtime_seconds, and acts on a KILL_SELF order ({@link InstanceRecords#KILL}) in an instance's
 * folder. It wakes at the next runtime deadline if that comes before the next sample, so a runtime
 * kill lands at the limit, not up to an interval after it. Workers only add and remove instances
 * (a set insertion each), so an instance shorter than the interval costs the monitor nothing.
 */
final class ResourceMonitor {
    /** The engine config key for the sampling interval in milliseconds. */
    static final String INTERVAL_CONFIG = "local.monitor_interval_ms";
    static final long DEFAULT_INTERVAL_MILLIS = 500;

    private static final Logger log = LoggerFactory.getLogger(ResourceMonitor.class);
    private static final AtomicBoolean warnedNoProc = new AtomicBoolean();

    private final long intervalNanos;
    private final boolean measureMemory = ProcessTree.PROC_AVAILABLE;
    private final Set<LocalInstance> running = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final AtomicBoolean threadStarted = new AtomicBoolean();
    /** When the monitor will next wake, in nanoTime; a new instance with an earlier deadline wakes it. */
    private volatile long wakeAt;
    private volatile boolean stopped;

    ResourceMonitor(String executorName, long intervalMillis) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("the monitor interval must be at least 1 ms, not " + intervalMillis);
        }
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.thread = new Thread(this::watch, "jobmon-" + executorName + "-monitor");
        this.thread.setDaemon(true);
        if (!measureMemory && warnedNoProc.compareAndSet(false, true)) {
            log.warn("This system has no /proc: the local executors cannot measure memory, so m_mem_free is not "
                    + "enforced and no max RSS is recorded; max_runtime_seconds still is.");
        }
    }

    long intervalMillis() {
        return intervalNanos / 1_000_000L;
    }

    /** Starts watching an instance whose process has started. */
    void add(LocalInstance instance) {
        running.add(instance);
        if (threadStarted.compareAndSet(false, true)) {
            wakeAt = System.nanoTime() + intervalNanos;
            thread.start();
            return;
        }
        if (instance.hasRuntimeLimit() && instance.runtimeDeadlineNanos() - wakeAt < 0) {
            LockSupport.unpark(thread);
        }
    }

    /** Stops watching an instance (it ended, or the executor stopped watching it). */
    void remove(LocalInstance instance) {
        running.remove(instance);
    }

    /** Ends the thread; running processes are left alone. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    private void watch() {
        while (!stopped) {
            long now = System.nanoTime();
            long next = now + intervalNanos;
            wakeAt = next;
            for (LocalInstance instance : running) {
                try {
                    check(instance, now);
                } catch (RuntimeException e) {
                    log.warn("Could not check {}", instance.executorId(), e);
                }
                if (instance.hasRuntimeLimit() && !instance.killRequested()
                        && instance.runtimeDeadlineNanos() - next < 0) {
                    next = instance.runtimeDeadlineNanos();
                }
            }
            wakeAt = next;
            long wait = next - System.nanoTime();
            if (wait > 0 && !stopped) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    private void check(LocalInstance instance, long now) {
        Process process = instance.process();
        if (process == null || instance.killRequested()) {
            return;
        }
        Resources resources = instance.resources();
        if (instance.hasRuntimeLimit() && now - instance.runtimeDeadlineNanos() >= 0) {
            double ran = (now - instance.startNanos()) / 1e9;
            kill(instance, LocalInstance.Reason.RUNTIME, String.format(Locale.ROOT,
                    "The command ran %.2f s, more than its max_runtime_seconds of %d; killed.", ran,
                    resources.maxRuntimeSeconds()));
            return;
        }
        if (InstanceRecords.killOrdered(instance.request().instanceDir(), instance.taskInstanceId())) {
            log.debug("{} has a kill order in its folder", instance.executorId());
            instance.requestKill();
            instance.killProcessTree();
            return;
        }
        if (!measureMemory) {
            return;
        }
        List<Long> tree = ProcessTree.members(process.pid());
        if (tree.isEmpty()) {
            return;
        }
        long rss = ProcessTree.rssBytes(tree);
        instance.sampledRss(rss);
        long limitMib = resources.memoryMib();
        if (limitMib > 0 && rss > limitMib * LocalInstance.MIB) {
            kill(instance, LocalInstance.Reason.MEMORY, String.format(Locale.ROOT,
                    "The command used %d MiB, more than its m_mem_free of %s; killed.", rss / LocalInstance.MIB,
                    LocalInstance.memoryLimit(limitMib)));
        }
    }

    private void kill(LocalInstance instance, LocalInstance.Reason reason, String message) {
        if (instance.killForResource(reason, message)) {
            log.debug("Killing {}: {}", instance.executorId(), message);
            instance.killProcessTree();
        }
    }
}

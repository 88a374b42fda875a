package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A base for executors that watch their own instances and push events: it keeps each instance's
 * state from what the subclass reports, and so answers {@link #poll} and {@link #exitInfo} itself.
 * A subclass calls {@link #queued} for each instance it accepts in {@code submit}, then
 * {@link #started} and {@link #exited} from wherever it watches them, and writes only
 * {@code submit}, {@code terminate} and {@code close}.
 *
 * <p>It also settles the usual race between a terminate and an instance's own end: the first
 * {@link #exited} for an instance wins and is the one {@link InstanceEvent.Exited} the engine gets;
 * later ones return {@code false} and send nothing. A {@link #started} that comes after the end
 * (a start reported late) is dropped too. Thread-safe.
 *
 * <p>Jobmon's local executors ({@code SlotQueueExecutor} in {@code jobmon-executor-local}) keep
 * their own, richer bookkeeping; this class is for plugins that watch instances some other way
 * (a cloud service's callbacks, a remote agent).
 */
public abstract class EventReportingExecutor implements Executor {
    /** How many endings are kept for {@link #exitInfo} after their event was sent. */
    private static final int REMEMBERED_ENDINGS = 10_000;

    private final InstanceEventSink events;
    private final Object lock = new Object();
    /** Live instances by executor id: false while queued, true once started. */
    private final Map<String, Boolean> live = new HashMap<>();
    private final Map<String, ExitInfo> ended = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExitInfo> eldest) {
            return size() > REMEMBERED_ENDINGS;
        }
    };

    protected EventReportingExecutor(ExecutorContext context) {
        this.events = requireNonNull(context, "context is null").events();
    }

    /** Records an accepted instance as queued; call it in {@code submit} before returning its submission. */
    protected final void queued(String executorId) {
        synchronized (lock) {
            ended.remove(executorId);
            live.put(executorId, false);
        }
    }

    /**
     * Reports that an instance's command started. Returns false (and reports nothing) when the
     * instance is unknown or already ended.
     */
    protected final boolean started(long taskInstanceId, String executorId, String hostname, OptionalLong pid) {
        synchronized (lock) {
            if (!live.containsKey(executorId)) {
                return false;
            }
            live.put(executorId, true);
        }
        events.accept(new InstanceEvent.Started(taskInstanceId, executorId, hostname, pid));
        return true;
    }

    /**
     * Reports how an instance ended: the first call for an instance sends the one
     * {@link InstanceEvent.Exited} and returns true; later calls return false and send nothing.
     */
    protected final boolean exited(long taskInstanceId, String executorId, ExitInfo exit) {
        requireNonNull(exit, "exit is null");
        synchronized (lock) {
            if (live.remove(executorId) == null) {
                return false;
            }
            ended.put(executorId, exit);
        }
        events.accept(new InstanceEvent.Exited(taskInstanceId, executorId, exit));
        return true;
    }

    /** Whether the instance is queued or running (not ended, and known). */
    protected final boolean isLive(String executorId) {
        synchronized (lock) {
            return live.containsKey(executorId);
        }
    }

    @Override
    public final boolean reportsEvents() {
        return true;
    }

    @Override
    public Map<String, JobState> poll(Collection<String> executorIds) {
        Map<String, JobState> states = new HashMap<>();
        synchronized (lock) {
            for (String id : executorIds) {
                Boolean running = live.get(id);
                if (running != null) {
                    states.put(id, running ? JobState.RUNNING : JobState.QUEUED);
                }
            }
        }
        return states;
    }

    @Override
    public ExitInfo exitInfo(String executorId) {
        synchronized (lock) {
            ExitInfo exit = ended.get(executorId);
            if (exit != null) {
                return exit;
            }
            return ExitInfo.lost(live.containsKey(executorId) ? executorId + " has not ended yet."
                    : "This executor knows nothing about " + executorId + ".");
        }
    }
}

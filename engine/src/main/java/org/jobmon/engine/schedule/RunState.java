package org.jobmon.engine.schedule;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Task;

/**
 * A run's tasks in memory: each one's status, attempts, and how many upstreams it still waits for.
 * A task that ends DONE releases its downstream tasks by event, so a cycle costs what changed, not
 * the size of the DAG. Every status change is handed to {@link Transitions} (the cycle's writes).
 */
final class RunState {
    static final char G = TaskStatus.REGISTERED.code();
    static final char Q = TaskStatus.QUEUED_FOR_INSTANTIATION.code();
    static final char D = TaskStatus.DONE.code();
    static final char F = TaskStatus.ERROR_FATAL.code();

    /** Where status changes go. */
    interface Transitions {
        void task(long taskId, char previous, char next, int attempts);
    }

    private final int n;
    private final long[] taskId;
    private final char[] status;
    private final int[] attempts;
    private final int[] waitingOn;
    private final int[][] children;
    private final int[] countByStatus = new int[128];
    private final ArrayDeque<Integer> ready = new ArrayDeque<>();
    private final Transitions transitions;
    private boolean countsChanged = true;

    /**
     * @param tasks the workflow's tasks, index-aligned with the arrays
     * @param taskId each task's id
     * @param status each task's status at the start (copied)
     * @param attempts each task's attempts so far (copied)
     */
    RunState(List<Task> tasks, long[] taskId, char[] status, int[] attempts, Transitions transitions) {
        this.n = tasks.size();
        this.taskId = taskId;
        this.status = status.clone();
        this.attempts = attempts.clone();
        this.transitions = transitions;
        this.waitingOn = new int[n];
        this.children = new int[n][];
        Map<Task, Integer> index = new IdentityHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            index.put(tasks.get(i), i);
        }
        for (int i = 0; i < n; i++) {
            Task t = tasks.get(i);
            int[] c = new int[t.downstreams().size()];
            int k = 0;
            for (Task d : t.downstreams()) {
                Integer j = index.get(d);
                if (j != null) {
                    c[k++] = j;
                }
            }
            children[i] = k == c.length ? c : Arrays.copyOf(c, k);
            countByStatus[this.status[i]]++;
        }
        for (int i = 0; i < n; i++) {
            if (this.status[i] != D) {
                for (int c : children[i]) {
                    waitingOn[c]++;
                }
            }
        }
    }

    int size() {
        return n;
    }

    long taskId(int i) {
        return taskId[i];
    }

    char status(int i) {
        return status[i];
    }

    int attempts(int i) {
        return attempts[i];
    }

    /** Counts a new attempt of task {@code i} (written with its next transition). */
    void newAttempt(int i) {
        attempts[i]++;
    }

    int count(char s) {
        return countByStatus[s];
    }

    /** Releases every REGISTERED task that waits for nothing: the start of a run. */
    void releaseRoots() {
        for (int i = 0; i < n; i++) {
            if (status[i] == G && waitingOn[i] == 0) {
                release(i);
            }
        }
    }

    /** Moves task {@code i} to {@code next} (no change if it has it already). */
    void set(int i, char next) {
        char prev = status[i];
        if (prev == next) {
            return;
        }
        countByStatus[prev]--;
        countByStatus[next]++;
        status[i] = next;
        transitions.task(taskId[i], prev, next, attempts[i]);
        countsChanged = true;
    }

    /** Queues task {@code i} to be instantiated. */
    void release(int i) {
        set(i, Q);
        ready.add(i);
    }

    /** Task {@code i} is DONE: its downstream tasks that waited only for it are released. */
    void done(int i) {
        set(i, D);
        for (int c : children[i]) {
            if (--waitingOn[c] == 0 && status[c] == G) {
                release(c);
            }
        }
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /** The next queued task still QUEUED, or -1. */
    int nextReady() {
        while (!ready.isEmpty()) {
            int i = ready.poll();
            if (status[i] == Q) {
                return i;
            }
        }
        return -1;
    }

    /** Puts task {@code i}, just taken with {@link #nextReady()}, back at the head of the queue. */
    void putBack(int i) {
        ready.addFirst(i);
    }

    void clearReady() {
        ready.clear();
    }

    /** The counts by status if they changed since the last call; null otherwise. */
    Map<TaskStatus, Integer> changedCounts() {
        if (!countsChanged) {
            return null;
        }
        countsChanged = false;
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            counts.put(s, countByStatus[s.code()]);
        }
        return counts;
    }

    /** Makes the next {@link #changedCounts()} report, changed or not. */
    void countsChanged() {
        countsChanged = true;
    }
}

package org.jobmon.executor.local;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceEventSink;

/** Collects an executor's events in arrival order; tests wait on it with a deadline instead of sleeping. */
public final class RecordingSink implements InstanceEventSink {
    private final List<InstanceEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(InstanceEvent event) {
        events.add(event);
        notifyAll();
    }

    /** Every event so far, in arrival order. */
    public synchronized List<InstanceEvent> events() {
        return List.copyOf(events);
    }

    /** Waits until {@code n} Exited events have arrived in all; returns them in arrival order. */
    public List<InstanceEvent.Exited> awaitExited(int n, Duration within) throws InterruptedException {
        return await(within, "" + n + " Exited events", all -> {
            List<InstanceEvent.Exited> exited = all.stream().filter(InstanceEvent.Exited.class::isInstance)
                    .map(InstanceEvent.Exited.class::cast).toList();
            return exited.size() >= n ? Optional.of(exited) : Optional.empty();
        });
    }

    /** Waits for the Exited event of one task instance. */
    public InstanceEvent.Exited awaitExited(long taskInstanceId, Duration within) throws InterruptedException {
        return await(within, "Exited of " + taskInstanceId, all -> all.stream()
                .filter(e -> e instanceof InstanceEvent.Exited && e.taskInstanceId() == taskInstanceId)
                .map(InstanceEvent.Exited.class::cast).findFirst());
    }

    /** Waits for the Started event of one task instance. */
    public InstanceEvent.Started awaitStarted(long taskInstanceId, Duration within) throws InterruptedException {
        return await(within, "Started of " + taskInstanceId, all -> all.stream()
                .filter(e -> e instanceof InstanceEvent.Started && e.taskInstanceId() == taskInstanceId)
                .map(InstanceEvent.Started.class::cast).findFirst());
    }

    private synchronized <T> T await(Duration within, String what, Function<List<InstanceEvent>, Optional<T>> check)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            Optional<T> found = check.apply(events);
            if (found.isPresent()) {
                return found.get();
            }
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return fail("No %s within %s; events: %s", what, within, events);
            }
            wait(leftMillis);
        }
    }
}

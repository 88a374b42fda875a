package org.jobmon.engine;

import static java.util.Objects.requireNonNull;

import java.util.function.Consumer;

/**
 * A run whose loop is going: its id, and a way to stop it from any thread. The engine hands it to
 * the run's {@link RunListener#running}; {@link RunControl} keeps it for callers.
 */
public final class ActiveRun {
    private final long workflowRunId;
    private final Consumer<String> requestStop;
    private volatile boolean ended;

    private ActiveRun(long workflowRunId, Consumer<String> requestStop) {
        this.workflowRunId = workflowRunId;
        this.requestStop = requestStop;
    }

    /** Tells the listener that run {@code workflowRunId} is going; closing the scope marks it ended. */
    static Scope begin(long workflowRunId, Consumer<String> requestStop, RunListener listener) {
        ActiveRun run = new ActiveRun(workflowRunId, requireNonNull(requestStop, "requestStop is null"));
        listener.running(run);
        return () -> run.ended = true;
    }

    /** The run's row in {@code workflow_run}. */
    public long workflowRunId() {
        return workflowRunId;
    }

    /** False once the run has ended, however it ended. */
    public boolean isActive() {
        return !ended;
    }

    /**
     * Asks the run to stop, as Ctrl-C does in {@code jobmon run}: it stops scheduling, kills its
     * running instances (or leaves them, with {@code on_stop=leave}) and ends STOPPED, saying
     * {@code reason} and how to resume. Other runs in this JVM are not touched. The run's thread
     * returns within about one cycle.
     *
     * @return false when the run had already ended
     */
    public boolean stop(String reason) {
        requireNonNull(reason, "reason is null");
        if (ended) {
            return false;
        }
        requestStop.accept(reason);
        return true;
    }

    @Override
    public String toString() {
        return "ActiveRun[" + workflowRunId + (ended ? ", ended" : "") + "]";
    }

    /** The engine's side: open while the loop runs. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}

package org.jobmon.engine;

import static java.util.Objects.requireNonNull;

import java.util.OptionalLong;

/**
 * Stops one run from another thread, and tells its id: pass it to {@link JobmonEngine#run} or
 * {@link JobmonEngine#resume} as the run's listener (it forwards to the listener you give it).
 * One control per run. The engine never stops a run on Ctrl-C by itself: {@link StopOnSignals}
 * does that for the controls you register.
 *
 * <pre>{@code
 * RunControl control = new RunControl();
 * Future<WorkflowRunResult> result = pool.submit(() -> engine.run(workflow, options, control));
 * ...
 * control.stop("cancelled by the user");   // this run ends STOPPED; other runs go on
 * }</pre>
 */
public final class RunControl extends ForwardingRunListener {
    private volatile long workflowRunId = -1;
    /** The run once its loop started; guarded by this. */
    private ActiveRun run;
    /** A stop asked before the loop started; guarded by this. */
    private String stopBeforeStart;

    /** A control that only controls. */
    public RunControl() {
        this(RunListener.NONE);
    }

    /** A control that also reports the run to {@code listener}. */
    public RunControl(RunListener listener) {
        super(listener);
    }

    /** The run's id, once the workflow is bound and the run created. */
    public OptionalLong workflowRunId() {
        long id = workflowRunId;
        return id < 0 ? OptionalLong.empty() : OptionalLong.of(id);
    }

    /** True from the start of the run's loop until it ends. */
    public synchronized boolean isRunning() {
        return run != null && run.isActive();
    }

    /**
     * Asks the run to stop ({@link ActiveRun#stop}: it ends STOPPED, saying {@code reason}). A stop
     * asked before the run's loop starts (while the workflow is validated and bound) is applied as
     * soon as it starts. Thread-safe.
     *
     * @return false when the run had already ended
     */
    public boolean stop(String reason) {
        requireNonNull(reason, "reason is null");
        ActiveRun started;
        synchronized (this) {
            if (run == null) {
                if (stopBeforeStart == null) {
                    stopBeforeStart = reason;
                }
                return true;
            }
            started = run;
        }
        return started.stop(reason);
    }

    @Override
    public void bound(long workflowId, long runId, int tasks, int previouslyDone) {
        this.workflowRunId = runId;
        super.bound(workflowId, runId, tasks, previouslyDone);
    }

    @Override
    public void running(ActiveRun started) {
        String pending;
        synchronized (this) {
            run = started;
            pending = stopBeforeStart;
        }
        super.running(started);
        if (pending != null) {
            started.stop(pending);
        }
    }

    @Override
    public String toString() {
        return "RunControl[" + workflowRunId().stream().mapToObj(Long::toString).findFirst().orElse("not bound yet") + "]";
    }
}

package org.jobmon.engine;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import org.jobmon.api.Statuses.TaskStatus;

/**
 * A listener that passes every call on to another: extend it and override what you watch. A new
 * {@link RunListener} method is added here, and so reaches every such listener.
 */
public abstract class ForwardingRunListener implements RunListener {
    private final RunListener delegate;

    protected ForwardingRunListener(RunListener delegate) {
        this.delegate = requireNonNull(delegate, "listener is null");
    }

    @Override
    public void bound(long workflowId, long runId, int tasks, int previouslyDone) {
        delegate.bound(workflowId, runId, tasks, previouslyDone);
    }

    @Override
    public void waiting(String message) {
        delegate.waiting(message);
    }

    @Override
    public void running(ActiveRun started) {
        delegate.running(started);
    }

    @Override
    public void progress(Map<TaskStatus, Integer> counts) {
        delegate.progress(counts);
    }

    @Override
    public void warning(String message) {
        delegate.warning(message);
    }

    @Override
    public void stopping(String message) {
        delegate.stopping(message);
    }
}

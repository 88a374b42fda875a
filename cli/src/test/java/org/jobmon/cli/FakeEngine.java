package org.jobmon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.RunListener;

/** An engine that records what it was asked to run and answers as told. */
public final class FakeEngine implements RunEngine {
    public record Call(String databaseUrl, Workflow workflow, RunOptions options) {
    }

    private final List<Call> calls = new ArrayList<>();
    private Consumer<RunListener> events = l -> {
    };
    private RuntimeException failure;
    private WorkflowRunResult result;

    /** Ends every run DONE with all tasks done. */
    public static FakeEngine done() {
        return new FakeEngine();
    }

    /** Throws this instead of running. */
    public FakeEngine failing(RuntimeException e) {
        this.failure = e;
        return this;
    }

    /** Returns this result. */
    public FakeEngine returning(WorkflowRunResult r) {
        this.result = r;
        return this;
    }

    /** Reports these events to the listener during the run. */
    public FakeEngine reporting(Consumer<RunListener> e) {
        this.events = e;
        return this;
    }

    public List<Call> calls() {
        return calls;
    }

    @Override
    public WorkflowRunResult run(String databaseUrl, Workflow workflow, RunOptions options, RunListener listener) {
        calls.add(new Call(databaseUrl, workflow, options));
        if (failure != null) {
            throw failure;
        }
        int n = workflow.tasks().size();
        listener.bound(7, 11, n, 0);
        events.accept(listener);
        return result != null ? result : new WorkflowRunResult(7, 11, WorkflowRunStatus.DONE, n, n, 0, 0, "all tasks done");
    }
}

package org.jobmon.samples;

import java.util.List;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;

/**
 * The quickstart's "Making a Workflow Fail On First Failure": with fail_fast, the run stops
 * scheduling as soon as one task has failed for good, to show quickly where the problems are.
 *
 * <pre>
 * t1 = "not a command 1"          fails (exit 127) on each of its 3 attempts
 * t2 = "sleep 10", after t1       never runs
 * </pre>
 * The run ends ERROR. In the seed fail_fast is an argument of the Workflow; here it is a run
 * option: run the workflow with {@link #runOptions()} ({@code RunOptions.defaults().withFailFast(true)}).
 * fail_fast matters most when other branches of the DAG could still run: without it, Jobmon runs
 * everything that does not depend on the failed task before the run ends.
 *
 * <p>To run it: {@code java -cp <classpath> org.jobmon.samples.FailFastExample}; it exits 1,
 * because the workflow does not end DONE, which is the point.
 */
public final class FailFastExample {
    private FailFastExample() {
    }

    /** The two-task workflow, ready to run with {@link #runOptions()}. */
    public static Workflow build() {
        Tool tool = Tool.create("fail_fast_example_tool");
        // The seed uses workflow_args "testing"; this example leaves them unset (a random UUID) so
        // that it can run again: a fixed value would make the second run a resume of the first.
        Workflow workflow = tool.createWorkflow("fail_fast_example").setExecutor(ExecutorNames.MULTIPROCESS);

        // The seed's BashTask: a template whose whole command is one arg.
        TaskTemplate bash = tool.getTaskTemplate("bash", "{command}", List.of("command"), List.of(), List.of());
        Task t1 = bash.createTask().name("t1").arg("command", "not a command 1").build();
        Task t2 = bash.createTask().name("t2").arg("command", "sleep 10").upstream(t1).build();
        return workflow.addTasks(List.of(t1, t2));
    }

    /** The seed's {@code fail_fast=True}. */
    public static RunOptions runOptions() {
        return RunOptions.defaults().withFailFast(true);
    }

    /** Builds and runs the workflow with fail_fast; it ends ERROR, so this exits 1. */
    public static void main(String[] args) {
        ExampleScripts.exit(build().run(runOptions()));
    }
}

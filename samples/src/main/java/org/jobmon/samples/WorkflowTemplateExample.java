package org.jobmon.samples;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;

/**
 * The quickstart's first example ("Create a Workflow", {@code workflow_template_example}): a tool,
 * a workflow, two task templates, executor parameters, and three tasks that run one after the
 * other.
 *
 * <p>The steps are the seed's:
 * <ol>
 * <li>create a {@link Tool};
 * <li>create a {@link Workflow} from the tool and choose its executor;
 * <li>create {@link ExecutorParameters} for the tasks;
 * <li>create {@link TaskTemplate}s from the tool;
 * <li>create {@link Task}s from the templates, each waiting for the one before;
 * <li>add the tasks to the workflow;
 * <li>run the workflow.
 * </ol>
 * The seed's second template runs a Python script; this one runs a shell script,
 * {@code test.sh}, so that the example needs nothing but {@code /bin/sh}.
 *
 * <p>To run it: {@code java -cp <classpath> org.jobmon.samples.WorkflowTemplateExample [WORK_DIR]}
 * (see {@code samples/README.md}). The task's output goes to {@code WORK_DIR/logs}; without
 * WORK_DIR a temporary folder is used.
 */
public final class WorkflowTemplateExample {
    private WorkflowTemplateExample() {
    }

    /**
     * The workflow, ready to run.
     *
     * @param workDir the folder the tasks run in; the script is copied there and the tasks'
     *     stdout and stderr go to {@code workDir/logs}
     */
    public static Workflow build(Path workDir) {
        Path script = ExampleScripts.install("test.sh", workDir);
        Path logs = workDir.resolve("logs");

        // 1. A tool: the project the workflow and its templates belong to.
        Tool tool = Tool.create("example tool");

        // 2. A workflow of the tool, and its executor. No workflow_args: a one-off workflow
        //    (its args default to a random UUID, so every run is a new workflow).
        Workflow workflow = tool.createWorkflow("template_workflow_" + UUID.randomUUID())
                .description("template_workflow");
        workflow.setExecutor(ExecutorSettings.of(ExecutorNames.MULTIPROCESS)
                .withStdout(logs).withStderr(logs).withWorkingDir(workDir));

        // 3. Task templates: a command with {placeholders}. node_args tell the template's tasks
        //    apart in the DAG, task_args make a task's command unique, op_args (the interpreter,
        //    the script's location) are neither. The seed makes echo's "output" a task arg, but
        //    then task1 and task2 would be one node (same template, same node args), which Jobmon
        //    refuses: the arg that varies between tasks of one template must be a node arg.
        TaskTemplate echoTemplate = tool.getTaskTemplate("echo_template", "echo {output}",
                List.of("output"), List.of(), List.of());
        TaskTemplate scriptTemplate = tool.getTaskTemplate("script_template",
                "{shell} {script_path} --args1 {val1} --args2 {val2}",
                List.of(), List.of("val1", "val2"), List.of("shell", "script_path"));

        // 4. Executor parameters: what each task asks for.
        ExecutorParameters echoParameters = ExecutorParameters.builder()
                .numCores(1).queue("all.q").maxRuntimeSeconds(10).mMemFree("128M").build();
        ExecutorParameters scriptParameters = ExecutorParameters.builder()
                .numCores(2).queue("all.q").maxRuntimeSeconds(1000).mMemFree("2G").build();

        // 5. Tasks: every arg of the template filled, upstreams say what to wait for.
        Task task1 = echoTemplate.createTask()
                .name("task1")
                .executorParameters(echoParameters)
                .arg("output", "task1")
                .build();
        Task task2 = echoTemplate.createTask()
                .name("task2")
                .executorParameters(echoParameters)
                .upstream(task1)
                .arg("output", "task2")
                .build();
        Task task3 = scriptTemplate.createTask()
                .name("task3")
                .executorParameters(scriptParameters)
                .upstream(task2)
                .arg("shell", "sh")
                .arg("script_path", script)
                .arg("val1", "val1")
                .arg("val2", "val2")
                .build();

        // 6. Add the tasks to the workflow.
        return workflow.addTasks(List.of(task1, task2, task3));
    }

    /** Builds and runs the workflow (7.); exits 0 when it ends DONE. Optional argument: WORK_DIR. */
    public static void main(String[] args) {
        Workflow workflow = build(ExampleScripts.workDir(args, 0, "jobmon-template-example"));
        ExampleScripts.exit(workflow.run());
    }
}

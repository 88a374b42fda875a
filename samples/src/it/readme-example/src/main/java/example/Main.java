package example;

import java.nio.file.Path;
import java.util.List;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.JobmonEngine;

public class Main {
    public static void main(String[] args) {
        Tool tool = Tool.create("hello_tool");
        TaskTemplate greet = tool.getTaskTemplate("greet", "echo {word} > {word}.txt", List.of("word"), List.of(), List.of());
        TaskTemplate join = tool.getTaskTemplate("join", "cat hello.txt world.txt > {output}", List.of("output"), List.of(), List.of());

        Workflow workflow = tool.createWorkflow("hello_workflow")
                .setExecutor(ExecutorSettings.of("multiprocess").withStderr(Path.of("logs")));
        Task hello = greet.createTask().arg("word", "hello").build();
        Task world = greet.createTask().arg("word", "world").build();
        Task both = join.createTask().arg("output", "hello_world.txt").upstream(hello).upstream(world).build();
        workflow.addTasks(List.of(hello, world, both));

        try (JobmonEngine engine = JobmonEngine.builder()
                .databaseUrl("jdbc:h2:file:./jobmon/db")      // a plain H2 URL: Jobmon adds the settings it needs
                .workRoot(Path.of("jobmon/runs"))              // the attempts' records; default: runs in ~/.jobmon
                .build()) {
            WorkflowRunResult result = engine.run(workflow, RunOptions.defaults());
            System.out.println("workflow " + result.workflowId() + ": " + result.status() + ", " + result.done() + " of "
                    + result.tasks() + " tasks done");
            if (result.status() != WorkflowRunStatus.DONE) {
                System.exit(1);
            }
        }
    }
}

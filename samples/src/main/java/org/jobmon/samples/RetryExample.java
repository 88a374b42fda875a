package org.jobmon.samples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;

/**
 * The quickstart's "A Workflow that retries Tasks": one task that fails on its first three runs
 * and succeeds on the fourth, with {@code max_attempts} 4. Jobmon retries a failed task until it
 * has used its attempts (3 by default), so the workflow ends DONE after three failed task
 * instances and one that succeeds. Each failed instance's stderr is kept in the database's
 * error log ({@code task_instance_error_log}).
 *
 * <p>The task runs {@code fail_then_write.sh}, which counts its runs in a counter file in the work
 * folder (the seed's {@code remote_sleep_and_write.py --fail_count 3}, without the sleep).
 * {@link #build} deletes an old counter file, so each build starts from zero.
 *
 * <p>While debugging a task, set {@code maxAttempts(1)} so a bug is not run again and again; use
 * retries in production, against a flaky node or file system.
 *
 * <p>To run it: {@code java -cp <classpath> org.jobmon.samples.RetryExample [WORK_DIR]}.
 */
public final class RetryExample {
    /** The task's name. */
    public static final String TASK_NAME = "retry_task";
    /** How many runs of the task fail before one succeeds. */
    public static final int FAIL_COUNT = 3;
    /** The task's attempts: one more than the failures. */
    public static final int MAX_ATTEMPTS = 4;

    private RetryExample() {
    }

    /**
     * The one-task workflow, ready to run.
     *
     * @param workDir the folder the task runs in; it holds the script, the counter file
     *     ({@code retry_task.count}), the output ({@code retry_output}) and {@code logs/}
     */
    public static Workflow build(Path workDir) {
        Path script = ExampleScripts.install("fail_then_write.sh", workDir);
        Path counter = counterFile(workDir);
        try {
            Files.deleteIfExists(counter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the old counter file " + counter, e);
        }

        Tool tool = Tool.create("retry_example_tool");
        // The seed's workflow_args are "workflow_with_many_retries". Fixed args make a workflow
        // resumable, but a workflow that ended DONE cannot run again, so this example leaves them
        // unset (a random UUID) to stay runnable any number of times.
        Path logs = workDir.resolve("logs");
        Workflow workflow = tool.createWorkflow("workflow_with_many_retries")
                .setExecutor(ExecutorSettings.of(ExecutorNames.MULTIPROCESS)
                        .withStdout(logs).withStderr(logs).withWorkingDir(workDir));

        TaskTemplate template = tool.getTaskTemplate("fail_then_write",
                "{shell} {script} --fail_count {fail_count} --counter {counter}"
                        + " --output_file_path {output_file_path} --name {name}",
                List.of("name"), List.of("fail_count", "counter", "output_file_path"), List.of("shell", "script"));

        ExecutorParameters parameters = ExecutorParameters.builder()
                .numCores(1)
                .mMemFree("1G")
                .maxRuntimeSeconds(100)
                .queue("all.q")
                // After a resource kill (not the case here: the task fails by itself), the next
                // attempt asks for 50% more memory and runtime.
                .resourceScales(Map.of("m_mem_free", 0.5, "max_runtime_seconds", 0.5))
                .build();

        return workflow.addTask(template.createTask()
                .name(TASK_NAME)
                .maxAttempts(MAX_ATTEMPTS)
                .executorParameters(parameters)
                .arg("shell", "sh")
                .arg("script", script)
                .arg("name", TASK_NAME)
                .arg("fail_count", FAIL_COUNT)
                .arg("counter", counter)
                .arg("output_file_path", outputFile(workDir))
                .build());
    }

    /** The file counting the task's runs. */
    public static Path counterFile(Path workDir) {
        return workDir.resolve(TASK_NAME + ".count").toAbsolutePath();
    }

    /** The file the successful run writes. */
    public static Path outputFile(Path workDir) {
        return workDir.resolve("retry_output").toAbsolutePath();
    }

    /** Builds and runs the workflow; three task instances fail, the fourth succeeds. Exits 0 when DONE. */
    public static void main(String[] args) {
        ExampleScripts.exit(build(ExampleScripts.workDir(args, 0, "jobmon-retry-example")).run());
    }
}

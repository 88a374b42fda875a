package org.jobmon.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowTemplateExampleTest {
    @TempDir
    Path dir;

    @Test
    void theThreeChainedTasksRunInOrderAndTheWorkflowEndsDone() throws IOException {
        Path work = dir.resolve("work");
        Workflow workflow = WorkflowTemplateExample.build(work);
        assertThat(workflow.tasks()).extracting(t -> t.name()).containsExactly("task1", "task2", "task3");
        assertThat(workflow.findTask("task3").orElseThrow().upstreams()).extracting(t -> t.name()).containsExactly("task2");

        try (SampleEngine engine = new SampleEngine(dir)) {
            WorkflowRunResult r = engine.engine().run(workflow, RunOptions.defaults());

            assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
            assertThat(r.done()).isEqualTo(3);
            assertThat(engine.number("SELECT count(*) FROM task WHERE workflow_id = ? AND status = 'D'", r.workflowId()))
                    .isEqualTo(3);
            // Each task started only after its upstream ended.
            List<String> order = engine.jdbi().withHandle(h -> h.createQuery("SELECT t.name FROM task_instance i "
                    + "JOIN task t ON t.id = i.task_id WHERE t.workflow_id = :w ORDER BY i.start_date")
                    .bind("w", r.workflowId()).mapTo(String.class).list());
            assertThat(order).containsExactly("task1", "task2", "task3");
        }
        assertThat(stdoutOf(work, "task1")).isEqualTo("task1\n");
        assertThat(stdoutOf(work, "task3")).startsWith("test.sh ran with --args1 val1 --args2 val2");
    }

    private static String stdoutOf(Path work, String task) throws IOException {
        try (Stream<Path> files = Files.list(work.resolve("logs"))) {
            Path file = files.filter(f -> f.getFileName().toString().startsWith(task + ".o")).findFirst().orElseThrow();
            return Files.readString(file);
        }
    }
}

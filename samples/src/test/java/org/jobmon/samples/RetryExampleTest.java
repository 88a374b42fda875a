package org.jobmon.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetryExampleTest {
    @TempDir
    Path dir;

    @Test
    void theTaskFailsThreeTimesThenSucceedsOnItsFourthAttempt() throws IOException {
        Path work = dir.resolve("work");
        try (SampleEngine engine = new SampleEngine(dir)) {
            WorkflowRunResult r = engine.engine().run(RetryExample.build(work), RunOptions.defaults());

            assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
            long taskId = engine.number("SELECT id FROM task WHERE workflow_id = ? AND name = ?", r.workflowId(),
                    RetryExample.TASK_NAME);
            assertThat(engine.number("SELECT count(*) FROM task_instance WHERE task_id = ?", taskId)).isEqualTo(4);
            assertThat(engine.number("SELECT count(*) FROM task_instance WHERE task_id = ? AND status = 'E' AND exit_code = 1",
                    taskId)).isEqualTo(3);
            assertThat(engine.number("SELECT count(*) FROM task_instance WHERE task_id = ? AND status = 'D'", taskId))
                    .isEqualTo(1);
            assertThat(engine.number("SELECT num_attempts FROM task WHERE id = ?", taskId)).isEqualTo(4);
            List<String> errors = engine.jdbi().withHandle(h -> h.createQuery("SELECT l.description FROM "
                    + "task_instance_error_log l JOIN task_instance i ON i.id = l.task_instance_id WHERE i.task_id = :t "
                    + "ORDER BY l.id").bind("t", taskId).mapTo(String.class).list());
            assertThat(errors).hasSize(3);
            assertThat(errors.get(2)).contains("retry_task: run 3 of 4 fails on purpose");
        }
        assertThat(Files.readString(RetryExample.counterFile(work)).strip()).isEqualTo("4");
        assertThat(Files.readString(RetryExample.outputFile(work))).contains("succeeded on run 4");
    }

    @Test
    void buildingAgainStartsTheCounterFromZero() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        Files.writeString(RetryExample.counterFile(work), "7\n");
        RetryExample.build(work);
        assertThat(RetryExample.counterFile(work)).doesNotExist();
    }
}

package org.jobmon.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailFastExampleTest {
    @TempDir
    Path dir;

    @Test
    void t1FailsTheRunEndsErrorAndT2NeverRuns() {
        assertThat(FailFastExample.runOptions().failFast()).isTrue();
        try (SampleEngine engine = new SampleEngine(dir)) {
            WorkflowRunResult r = engine.engine().run(FailFastExample.build(), FailFastExample.runOptions());

            assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
            assertThat(r.fatal()).isEqualTo(1);
            assertThat(r.done()).isZero();
            assertThat(r.message()).contains("fail_fast").contains("'t1'");
            long t1 = engine.number("SELECT id FROM task WHERE workflow_id = ? AND name = 't1'", r.workflowId());
            long t2 = engine.number("SELECT id FROM task WHERE workflow_id = ? AND name = 't2'", r.workflowId());
            assertThat(engine.text("SELECT status FROM task WHERE id = ?", t1)).isEqualTo("F");
            // "not a command" is exit code 127 from the shell, on each of the default 3 attempts.
            assertThat(engine.number("SELECT count(*) FROM task_instance WHERE task_id = ? AND exit_code = 127", t1)).isEqualTo(3);
            assertThat(engine.text("SELECT status FROM task WHERE id = ?", t2)).isEqualTo("G");
            assertThat(engine.number("SELECT count(*) FROM task_instance WHERE task_id = ?", t2)).isZero();
            assertThat(engine.text("SELECT status FROM workflow WHERE id = ?", r.workflowId())).isEqualTo("F");
        }
    }
}

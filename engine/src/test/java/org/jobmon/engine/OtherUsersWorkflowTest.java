package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a shared database, resuming a colleague's workflow is refused unless asked for explicitly. */
class OtherUsersWorkflowTest {
    @TempDir
    Path dir;

    private Workflow workflow() {
        Tool tool = Tool.create("shared_by_a_team");
        TaskTemplate t = tool.getTaskTemplate("t", "{cmd}", List.of("cmd"), List.of(), List.of());
        return tool.createWorkflow("colleague").workflowArgs("colleague_1").setExecutor(ExecutorSettings.of("sequential")
                .withWorkingDir(dir)).addTask(t.createTask().arg("cmd", "test -f ok").maxAttempts(1).build());
    }

    @Test
    void aResumeOfAWorkflowOnlyOtherUsersRanIsRefusedUnlessAskedFor() throws Exception {
        try (JobmonEngine engine = EngineFixture.engine(org.jobmon.persistence.DatabaseUrls.embedded(dir.resolve("db")),
                dir.resolve("runs"))) {
            assertThat(engine.run(workflow(), RunOptions.defaults()).status()).isEqualTo(WorkflowRunStatus.ERROR);
            engine.database().jdbi().useHandle(h -> h.execute("UPDATE workflow_run SET user = 'alice'"));
            java.nio.file.Files.createFile(dir.resolve("ok"));

            assertThatThrownBy(() -> engine.run(workflow(), RunOptions.defaults().withResume(true)))
                    .isInstanceOf(JobmonException.class).hasMessageContaining("was run by alice")
                    .hasMessageContaining("--other-user").hasMessageContaining("withOtherUsersWorkflow(true)");
            assertThat(engine.run(workflow(), RunOptions.defaults().withResume(true).withOtherUsersWorkflow(true)).status())
                    .isEqualTo(WorkflowRunStatus.DONE);
        }
    }
}

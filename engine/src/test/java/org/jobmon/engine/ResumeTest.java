package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's resume story, in one controller process. */
class ResumeTest {
    @TempDir
    Path dir;
    JobmonEngine engine;
    Jdbi jdbi;

    @BeforeEach
    void open() {
        engine = EngineFixture.engine(DatabaseUrls.embedded(dir.resolve("db")), dir.resolve("runs"));
        jdbi = engine.database().jdbi();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /**
     * The controller: prepare writes a line and succeeds; model runs {@code script} (an op arg, so
     * fixing it keeps the workflow); publish needs model.
     */
    Workflow controller(String script) {
        Tool tool = Tool.create("resume_story");
        TaskTemplate prepare = tool.getTaskTemplate("prepare", "echo prepared >> prepare.log; echo {run}", List.of("run"),
                List.of(), List.of());
        TaskTemplate model = tool.getTaskTemplate("model", "sh {script} {location}", List.of("location"), List.of(), List.of("script"));
        TaskTemplate publish = tool.getTaskTemplate("publish", "echo published >> publish.log; echo {run}", List.of("run"),
                List.of(), List.of());
        Task p = prepare.createTask().arg("run", 1).maxAttempts(1).build();
        Task m = model.createTask().arg("location", 7).arg("script", script).maxAttempts(1).upstream(p).build();
        Task out = publish.createTask().arg("run", 1).maxAttempts(1).upstream(m).build();
        return tool.createWorkflow("story").workflowArgs("resume_story")
                .setExecutor(ExecutorSettings.of("sequential").withWorkingDir(dir)).addTasks(List.of(p, m, out));
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void aFailedWorkflowResumedWithAFixedOpArgEndsDoneWithoutRerunningWhatWasDone() throws Exception {
        Files.writeString(dir.resolve("broken.sh"), "echo 'model crashed' >&2; exit 1\n");
        Files.writeString(dir.resolve("fixed.sh"), "echo modelled $1\n");
        WorkflowRunResult first = engine.run(controller("broken.sh"), RunOptions.defaults());
        assertThat(first.status()).isEqualTo(WorkflowRunStatus.ERROR);

        assertThatThrownBy(() -> engine.run(controller("fixed.sh"), RunOptions.defaults()))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKFLOW_ALREADY_EXISTS))
                .hasMessageContaining("pass resume");

        WorkflowRunResult second = engine.run(controller("fixed.sh"), RunOptions.defaults().withResume(true));
        assertThat(second.status()).as(second.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(second.workflowId()).isEqualTo(first.workflowId());
        assertThat(second.previouslyDone()).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM workflow_run WHERE workflow_id = " + first.workflowId())).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("prepare.log"))).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("publish.log"))).hasSize(1);
        String command = jdbi.withHandle(h -> h.createQuery("SELECT command FROM task WHERE name LIKE 'model%'")
                .mapTo(String.class).one());
        assertThat(command).isEqualTo("sh fixed.sh 7");

        assertThatThrownBy(() -> engine.run(controller("fixed.sh"), RunOptions.defaults().withResume(true)))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKFLOW_ALREADY_COMPLETE));
    }

    @Test
    void theStoredWorkflowResumesWithoutItsController() throws Exception {
        Files.writeString(dir.resolve("model.sh"), "echo 'model crashed' >&2; exit 1\n");
        WorkflowRunResult first = engine.run(controller("model.sh"), RunOptions.defaults());
        assertThat(first.status()).isEqualTo(WorkflowRunStatus.ERROR);
        Files.writeString(dir.resolve("model.sh"), "echo modelled $1\n");

        WorkflowRunResult second = engine.resume(first.workflowId(), RunOptions.defaults(), RunListener.NONE);
        assertThat(second.status()).as(second.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(second.workflowId()).isEqualTo(first.workflowId());
        assertThat(Files.readAllLines(dir.resolve("prepare.log"))).hasSize(1);
        assertThat(Files.readAllLines(dir.resolve("publish.log"))).hasSize(1);
        assertThatThrownBy(() -> engine.resume(999, RunOptions.defaults(), RunListener.NONE))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }
}

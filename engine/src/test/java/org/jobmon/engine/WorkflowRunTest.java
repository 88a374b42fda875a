package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorParameters;
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

class WorkflowRunTest {
    @TempDir
    Path dir;
    JobmonEngine engine;
    Jdbi jdbi;
    Tool tool;
    TaskTemplate shell;

    @BeforeEach
    void open() {
        engine = EngineFixture.engine(DatabaseUrls.embedded(dir.resolve("db")), dir.resolve("runs"));
        jdbi = engine.database().jdbi();
        tool = Tool.create("run_test");
        shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    Task sh(String cmd, int maxAttempts) {
        return shell.createTask().arg("cmd", cmd).maxAttempts(maxAttempts).build();
    }

    Workflow workflow(String executor) {
        return tool.createWorkflow("wf").setExecutor(ExecutorSettings.of(executor).withWorkingDir(dir));
    }

    long count(String sql, Object... binds) {
        return jdbi.withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < binds.length; i++) {
                q.bind(i, binds[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }

    @Test
    void aTaskThatFailsTwiceThenSucceedsEndsDoneWithThreeInstancesAndTwoErrorLogs() {
        Task flaky = sh("n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; "
                + "if [ $n -lt 3 ]; then echo \"flaky failure $n\" >&2; exit 1; fi", 3);
        WorkflowRunResult r = engine.run(workflow("sequential").addTask(flaky), RunOptions.defaults());

        assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
        long taskId = count("SELECT id FROM task WHERE workflow_id = ?", r.workflowId());
        assertThat(count("SELECT count(*) FROM task_instance WHERE task_id = ?", taskId)).isEqualTo(3);
        assertThat(count("SELECT num_attempts FROM task WHERE id = ?", taskId)).isEqualTo(3);
        List<String> logs = jdbi.withHandle(h -> h.createQuery("SELECT l.description FROM task_instance_error_log l "
                + "JOIN task_instance i ON i.id = l.task_instance_id WHERE i.task_id = :t ORDER BY l.id").bind("t", taskId)
                .mapTo(String.class).list());
        assertThat(logs).hasSize(2);
        assertThat(logs.get(0)).contains("flaky failure 1");
        assertThat(logs.get(1)).contains("flaky failure 2");
        assertThat(count("SELECT count(*) FROM task_instance WHERE task_id = ? AND status = 'E' AND exit_code = 1", taskId)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM task_instance WHERE task_id = ? AND status = 'D' AND exit_code = 0 "
                + "AND nodename IS NOT NULL AND start_date IS NOT NULL AND end_date IS NOT NULL", taskId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM task_status_audit WHERE task_id = ?", taskId)).isGreaterThanOrEqualTo(10);
    }

    @Test
    void aTaskThatAlwaysFailsIsFatalAfterThreeAttemptsAndItsDownstreamNeverRuns() {
        Task bad = sh("echo always broken >&2; exit 2", 3);
        Task downstream = sh("touch downstream_ran", 3);
        downstream.addUpstream(bad);
        WorkflowRunResult r = engine.run(workflow("multiprocess").addTasks(List.of(bad, downstream)), RunOptions.defaults());

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(r.fatal()).isEqualTo(1);
        assertThat(r.message()).contains("1 task failed").contains("1 did not run");
        assertThat(count("SELECT count(*) FROM task_instance i JOIN task t ON t.id = i.task_id WHERE t.workflow_id = ? "
                + "AND t.status = 'F'", r.workflowId())).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM task WHERE workflow_id = ? AND status = 'G'", r.workflowId())).isEqualTo(1);
        assertThat(dir.resolve("downstream_ran")).doesNotExist();
        String workflowStatus = jdbi.withHandle(h -> h.createQuery("SELECT status FROM workflow WHERE id = :w")
                .bind("w", r.workflowId()).mapTo(String.class).one());
        assertThat(workflowStatus).isEqualTo("F");
    }

    @Test
    void failFastStopsSchedulingAfterTheFirstFatalTask() {
        Task fails = sh("exit 1", 1);
        Task slow = sh("sleep 1", 1);
        Task after = sh("touch after_ran", 1);
        after.addUpstream(slow);
        WorkflowRunResult r = engine.run(workflow("multiprocess").addTasks(List.of(fails, slow, after)),
                RunOptions.defaults().withFailFast(true));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(r.message()).contains("fail_fast");
        assertThat(dir.resolve("after_ran")).doesNotExist();
        assertThat(count("SELECT count(*) FROM task WHERE workflow_id = ? AND status = 'D'", r.workflowId())).isEqualTo(1);
    }

    @Test
    void withoutFailFastTheSameWorkflowRunsTheIndependentBranch() {
        Task fails = sh("exit 1", 1);
        Task slow = sh("sleep 1", 1);
        Task after = sh("touch after_ran", 1);
        after.addUpstream(slow);
        WorkflowRunResult r = engine.run(workflow("multiprocess").addTasks(List.of(fails, slow, after)), RunOptions.defaults());

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(dir.resolve("after_ran")).exists();
    }

    @Test
    void maxConcurrentlyRunningTwoNeverRunsMoreThanTwoAtOnce() throws IOException {
        Workflow wf = tool.createWorkflow("limited").setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir)
                .withExtra(Map.of("slots", "4")));
        for (int i = 0; i < 6; i++) {
            wf.addTask(sh("echo + >> marks; sleep 0.3; echo - >> marks # " + i, 1));
        }
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withMaxConcurrentlyRunning(2));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.DONE);
        int running = 0;
        int max = 0;
        for (String mark : Files.readAllLines(dir.resolve("marks"))) {
            running += mark.equals("+") ? 1 : -1;
            max = Math.max(max, running);
        }
        assertThat(max).isEqualTo(2);
    }

    @Test
    void aTwoSecondTimeoutEndsARunOfSleepingTasksInError() {
        Workflow wf = workflow("multiprocess").addTasks(List.of(sh("sleep 30", 1), sh("sleep 31", 1)));
        long start = System.nanoTime();
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withSecondsUntilTimeout(2));

        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(r.message()).contains("timed out after 2 s");
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(15);
    }

    @Test
    void rerunningACompleteWorkflowSaysSoAndAnIncompleteOneNeedsResume() {
        Workflow wf = workflow("sequential").workflowArgs("fixed").addTask(sh("true", 1));
        assertThat(engine.run(wf, RunOptions.defaults()).isDone()).isTrue();
        Workflow again = tool.createWorkflow("wf").workflowArgs("fixed").setExecutor("sequential");
        again.addTask(shell.createTask(Map.of("cmd", "true")));
        assertThatThrownBy(() -> engine.run(again, RunOptions.defaults()))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKFLOW_ALREADY_COMPLETE))
                .hasMessageContaining("already complete");

        Workflow failing = tool.createWorkflow("wf2").workflowArgs("fixed2").setExecutor("sequential").addTask(sh("exit 3", 1));
        assertThat(engine.run(failing, RunOptions.defaults()).status()).isEqualTo(WorkflowRunStatus.ERROR);
        Workflow same = tool.createWorkflow("wf2").workflowArgs("fixed2").setExecutor("sequential").addTask(sh("exit 3", 1));
        assertThatThrownBy(() -> engine.run(same, RunOptions.defaults()))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKFLOW_ALREADY_EXISTS))
                .hasMessageContaining("pass resume");
        Workflow different = tool.createWorkflow("wf2").workflowArgs("fixed2").setExecutor("sequential").addTask(sh("exit 4", 1));
        assertThatThrownBy(() -> engine.run(different, RunOptions.defaults()))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKFLOW_ALREADY_EXISTS))
                .hasMessageContaining("with different tasks").hasMessageContaining("exit 4");
    }

    @Test
    void aWorkflowWhoseArgsAreTakenByOtherTasksNamesWhatDiffers() {
        TaskTemplate step = tool.getTaskTemplate("step", "exit {code} # {part} {note}", List.of("part"), List.of("note"), List.of("code"));
        java.util.function.BiFunction<String, String, Task> task = (part, note) -> step.createTask()
                .arg("part", part).arg("note", note).arg("code", 3).build();
        Task a = task.apply("a", "x");
        Task b = task.apply("b", "x");
        Workflow first = workflow("sequential").workflowArgs("clash").addTasks(List.of(a, b));
        WorkflowRunResult ran = engine.run(first, RunOptions.defaults());
        assertThat(ran.status()).isEqualTo(WorkflowRunStatus.ERROR);

        java.util.function.Function<List<Task>, String> clash = ts -> {
            Workflow again = workflow("sequential").workflowArgs("clash").addTasks(ts);
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> engine.run(again, RunOptions.defaults().withResume(true)));
            assertThat(t).isInstanceOfSatisfying(JobmonException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.WORKFLOW_ALREADY_EXISTS));
            return t.getMessage();
        };
        // a node args value no task of the workflow has (though the node itself exists in another workflow)
        Workflow other = workflow("sequential").workflowArgs("elsewhere").addTask(task.apply("c", "x"));
        assertThat(engine.run(other, RunOptions.defaults()).status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(clash.apply(List.of(task.apply("a", "x"), task.apply("c", "x")))).contains("(node args {part=c}) is not in it");
        assertThat(clash.apply(List.of(task.apply("a", "x"), task.apply("b", "y")))).contains("has different task args {note=y}");
        assertThat(clash.apply(List.of(task.apply("a", "x")))).contains("is missing from this one");
        Task a2 = task.apply("a", "x");
        Task b2 = step.createTask().arg("part", "b").arg("note", "x").arg("code", 3).upstreams(List.of(a2)).build();
        assertThat(clash.apply(List.of(a2, b2))).contains("the dependency").contains("was added");
        // the same tasks resume
        assertThat(engine.run(workflow("sequential").workflowArgs("clash").addTasks(List.of(task.apply("a", "x"), task.apply("b", "x"))),
                RunOptions.defaults().withResume(true)).workflowId()).isEqualTo(ran.workflowId());
    }

    @Test
    void argValuesThatCollideUnderConcatenationAreDifferentTasks() {
        TaskTemplate two = tool.getTaskTemplate("two", "echo {a}{b}", List.of("a", "b"), List.of(), List.of());
        Workflow wf = workflow("sequential").addTasks(List.of(two.createTask(Map.of("a", "1", "b", "23")),
                two.createTask(Map.of("a", "12", "b", "3"))));
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults());

        assertThat(r.isDone()).isTrue();
        assertThat(count("SELECT count(DISTINCT node_id) FROM task WHERE workflow_id = ?", r.workflowId())).isEqualTo(2);
    }

    @Test
    void executorSettingsAndContextArgsReachTheCommand() throws IOException {
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Workflow wf = tool.createWorkflow("settings").setExecutor(ExecutorSettings.of("MultiprocessExecutor")
                .withStdout(out).withStderr(err).withWorkingDir(dir));
        wf.addTask(shell.createTask().arg("cmd", "echo \"$GREETING from $(pwd)\"; echo to-stderr >&2").name("hello")
                .executorParameters(ExecutorParameters.builder().contextArgs(Map.of("GREETING", "hi")).build()).build());
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults());

        assertThat(r.isDone()).isTrue();
        try (var files = Files.list(out)) {
            Path stdout = files.findFirst().orElseThrow();
            assertThat(stdout.getFileName().toString()).startsWith("hello.o");
            assertThat(Files.readString(stdout)).contains("hi from " + dir.toRealPath());
        }
        try (var files = Files.list(err)) {
            assertThat(Files.readString(files.findFirst().orElseThrow())).contains("to-stderr");
        }
        assertThat(count("SELECT count(*) FROM executor_parameter_set WHERE parameter_set_type = 'O'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM executor_parameter_set WHERE parameter_set_type = 'V'")).isEqualTo(1);
    }
}

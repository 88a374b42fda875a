package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of bad input is one clear error, and nothing is written for it. */
class BadInputTest {
    @TempDir
    Path dir;
    JobmonEngine engine;
    Tool tool;
    TaskTemplate tt;
    Workflow wf;

    @BeforeEach
    void open() {
        engine = EngineFixture.engine(DatabaseUrls.embedded(dir.resolve("db")), dir.resolve("runs"));
        tool = Tool.create("bad_input");
        tt = tool.getTaskTemplate("t", "echo {loc} {out}", List.of("loc"), List.of("out"), List.of());
        wf = tool.createWorkflow("bad").setExecutor("sequential");
    }

    @AfterEach
    void close() {
        assertThat(rows("workflow")).as("workflows written").isZero();
        assertThat(rows("task")).as("tasks written").isZero();
        engine.close();
    }

    int rows(String table) {
        return engine.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }

    Task task(int loc) {
        return tt.createTask(Map.of("loc", loc, "out", "o" + loc));
    }

    void fails(ErrorCode code, String text, Executable action) {
        assertThatThrownBy(action::execute).isInstanceOfSatisfying(JobmonException.class,
                e -> assertThat(e.code()).isEqualTo(code)).hasMessageContaining(text);
    }

    @Test
    void aCycleIsNamed() {
        Task a = task(1);
        Task b = task(2);
        Task c = task(3);
        b.addUpstream(a);
        c.addUpstream(b);
        a.addUpstream(c);
        wf.addTasks(List.of(a, b, c));
        fails(ErrorCode.INVALID_DAG, "cycle", () -> engine.run(wf, RunOptions.defaults()));
        fails(ErrorCode.INVALID_DAG, "'t_2' -> 't_3' -> 't_1' -> 't_2'", () -> engine.run(wf, RunOptions.defaults()));
    }

    @Test
    void twoTasksOfOneTemplateWithTheSameNodeArgs() {
        wf.addTask(tt.createTask(Map.of("loc", 1, "out", "a")));
        wf.addTask(tt.createTask(Map.of("loc", 1, "out", "b")));
        fails(ErrorCode.INVALID_DAG, "the same node args {loc=1}", () -> engine.run(wf, RunOptions.defaults()));
    }

    @Test
    void theSameTaskAddedTwice() {
        Task a = task(1);
        wf.addTask(a);
        fails(ErrorCode.INVALID_DAG, "added to workflow 'bad' twice", () -> wf.addTask(a));
    }

    @Test
    void anUpstreamNeverAdded() {
        Task a = task(1);
        Task b = task(2);
        b.addUpstream(a);
        wf.addTask(b);
        fails(ErrorCode.INVALID_DAG, "upstream task 't_1', which was never added", () -> engine.run(wf, RunOptions.defaults()));
    }

    @Test
    void aMissingOrUnknownTemplateArg() {
        fails(ErrorCode.INVALID_ARGUMENT, "is missing args [out]", () -> tt.createTask(Map.of("loc", 1)));
        fails(ErrorCode.INVALID_ARGUMENT, "has unknown args [colour]",
                () -> tt.createTask(Map.of("loc", 1, "out", "x", "colour", "red")));
    }

    @Test
    void unparsableResources() {
        fails(ErrorCode.INVALID_RESOURCES, "m_mem_free '1Q'", () -> ExecutorParameters.builder().mMemFree("1Q"));
        fails(ErrorCode.INVALID_RESOURCES, "num_cores '0'", () -> ExecutorParameters.builder().numCores(0));
        fails(ErrorCode.INVALID_RESOURCES, "max_runtime_seconds 'soon'", () -> ExecutorParameters.builder().maxRuntime("soon"));
    }

    @Test
    void anUnknownExecutor() {
        wf.setExecutor("CondorExecutor").addTask(task(1));
        fails(ErrorCode.UNKNOWN_EXECUTOR, "unknown executor 'condor': available are", () -> engine.run(wf, RunOptions.defaults()));
    }

    @Test
    void anEmptyWorkflow() {
        fails(ErrorCode.INVALID_DAG, "has no tasks", () -> engine.run(wf, RunOptions.defaults()));
    }
}

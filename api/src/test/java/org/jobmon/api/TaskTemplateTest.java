package org.jobmon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TaskTemplateTest {
    final Tool tool = Tool.create("t");

    @Test
    void anIdenticalDefinitionIsTheSameVersionAndAChangedOneANewVersion() {
        TaskTemplate a = tool.getTaskTemplate("x", "run {a} {b}", List.of("a"), List.of("b"), List.of());
        TaskTemplate same = tool.getTaskTemplate("x", "run {a} {b}", List.of("a"), List.of("b"), List.of());
        TaskTemplate changed = tool.getTaskTemplate("x", "run2 {a} {b}", List.of("a"), List.of("b"), List.of());
        TaskTemplate moved = tool.getTaskTemplate("x", "run2 {a} {b}", List.of("a", "b"), List.of(), List.of());
        assertThat(same).isSameAs(a);
        assertThat(changed).isNotSameAs(a);
        assertThat(moved).isNotSameAs(changed);
        assertThat(tool.getTaskTemplate("x", "run {a} {b}", List.of("a"), List.of("b"), List.of()))
                .as("every definition asked for is kept, not only the latest").isSameAs(a);
        assertThat(tool.getTaskTemplate("x", "run2 {a} {b}", List.of("a"), List.of("b"), List.of())).isSameAs(changed);
    }

    @Test
    void placeholdersMustMatchDeclaredArgs() {
        assertThatThrownBy(() -> tool.getTaskTemplate("y", "run {a} {c}", List.of("a"), List.of(), List.of()))
                .hasMessageContaining("[c]").hasMessageContaining("without declaring");
        assertThatThrownBy(() -> tool.getTaskTemplate("y", "run {a}", List.of("a"), List.of("b"), List.of()))
                .hasMessageContaining("[b]").hasMessageContaining("never uses");
        assertThatThrownBy(() -> tool.getTaskTemplate("y", "run {a}", List.of("a"), List.of("a"), List.of()))
                .hasMessageContaining("more than once");
    }

    @Test
    void aTaskRendersItsCommandAndSortsItsArgs() {
        TaskTemplate tt = tool.getTaskTemplate("z", "{python} {script} --loc {loc} --out {out}", List.of("loc"),
                List.of("out"), List.of("python", "script"));
        Task t = tt.createTask(Map.of("python", "python3", "script", "s.py", "loc", 7, "out", "o/7"));
        assertThat(t.command()).isEqualTo("python3 s.py --loc 7 --out o/7");
        assertThat(t.nodeArgs()).containsExactly(Map.entry("loc", "7"));
        assertThat(t.taskArgs()).containsExactly(Map.entry("out", "o/7"));
        assertThat(t.opArgs()).containsKeys("python", "script");
        assertThat(t.name()).isEqualTo("z_7");
        assertThat(t.maxAttempts()).isEqualTo(3);
    }

    @Test
    void valuesWithRegexCharactersRenderLiterally() {
        TaskTemplate tt = tool.getTaskTemplate("w", "echo {v}", List.of("v"), List.of(), List.of());
        assertThat(tt.createTask(Map.of("v", "$1 \\ {x}")).command()).isEqualTo("echo $1 \\ {x}");
    }

    @Test
    void executorNamesAcceptTheSeedsClassNamesAndShortNames() {
        assertThat(ExecutorNames.normalize("SGEExecutor")).isEqualTo("sge");
        assertThat(ExecutorNames.normalize("MultiprocessExecutor")).isEqualTo("multiprocess");
        assertThat(ExecutorNames.normalize("jobmon.client.execution.strategies.sequential.SequentialExecutor")).isEqualTo("sequential");
        assertThat(ExecutorNames.normalize("multiprocess")).isEqualTo("multiprocess");
    }

    @Test
    void parametersLayerLaterWins() {
        ExecutorParameters wf = ExecutorParameters.builder().mMemFree("1G").queue("all.q").numCores(1).build();
        ExecutorParameters template = ExecutorParameters.builder().mMemFree("2G").build();
        ExecutorParameters task = ExecutorParameters.builder().maxRuntime(60).build();
        Resources r = task.over(template.over(wf)).resolve();
        assertThat(r.memoryMib()).isEqualTo(2048);
        assertThat(r.queue()).contains("all.q");
        assertThat(r.maxRuntimeSeconds()).isEqualTo(60);
        assertThat(r.numCores()).isEqualTo(1);
        assertThat(r.resourceScales()).containsKeys("m_mem_free", "max_runtime_seconds");
    }

    @Test
    void bashAndPythonTasksAsInTheSeed() {
        Task echo = BashTask.builder("echo task1").maxAttempts(1).build();
        assertThat(echo.command()).isEqualTo("echo task1");
        assertThat(echo.nodeArgs()).containsEntry("command", "echo task1");
        Task py = PythonTask.builder("/x/test.py", List.of("--args1", "val 1", 3)).build();
        assertThat(py.command()).isEqualTo("python3 /x/test.py --args1 'val 1' 3");
        assertThat(py.opArgs()).containsEntry("python", "python3");
    }
}

package org.jobmon.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Notifications;
import org.jobmon.api.Resources;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;
import org.jobmon.cli.TestSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecLoaderTest {
    @TempDir
    Path dir;

    private final SpecLoader loader = new SpecLoader(TestSpecs.executors());

    private LoadedSpec load(String yaml) {
        return loader.load(TestSpecs.write(dir, "spec.yaml", yaml));
    }

    private static List<String> names(Workflow w) {
        return w.tasks().stream().map(Task::name).toList();
    }

    private static Task task(Workflow w, String name) {
        return w.findTask(name).orElseThrow(() -> new AssertionError("no task " + name + " in " + names(w)));
    }

    private static List<String> upstreamNames(Task t) {
        return t.upstreams().stream().map(Task::name).sorted().toList();
    }

    /** A spec with one template {@code t} over args a and b, and the given task entries. */
    private LoadedSpec twoArgs(String tasks) {
        return load("""
                tool: t
                workflow: {name: w}
                task_templates:
                  t: {command_template: "echo {a} {b}", node_args: [a, b]}
                tasks:
                """ + tasks.indent(2));
    }

    @Test
    void threePhaseExampleMakes31TasksWithTheirUpstreams() {
        LoadedSpec spec = load(TestSpecs.THREE_PHASE);
        Workflow w = spec.workflow();

        assertThat(w.tasks()).hasSize(31);
        assertThat(names(w)).startsWith("transform_1_1", "transform_1_2", "transform_2_1")
                .contains("transform_10_2", "aggregate_1", "aggregate_10").endsWith("summarize_0");
        Task t32 = task(w, "transform_3_2");
        assertThat(t32.command()).isEqualTo("python3 scripts/transform.py --location_id 3 --sex_id 2 --out out/t_3_2");
        assertThat(t32.nodeArgs()).containsExactly(Map.entry("location_id", "3"), Map.entry("sex_id", "2"));
        assertThat(t32.taskArgs()).containsExactly(Map.entry("out", "out/t_3_2"));
        assertThat(t32.maxAttempts()).isEqualTo(3);
        assertThat(t32.attributes()).containsExactly(Map.entry("release_id", "3"));
        assertThat(t32.upstreams()).isEmpty();
        assertThat(upstreamNames(task(w, "aggregate_3"))).containsExactly("transform_3_1", "transform_3_2");
        assertThat(upstreamNames(task(w, "aggregate_10"))).containsExactly("transform_10_1", "transform_10_2");
        Task summarize = task(w, "summarize_0");
        assertThat(summarize.upstreams()).hasSize(10);
        assertThat(summarize.command()).isEqualTo("python3 scripts/summarize.py --location_hierarchy_id 0 --out out/summary");
        assertThat(summarize.maxAttempts()).isEqualTo(1);
        assertThat(w.workflowArgs()).isEqualTo("three_phase_demo");
        assertThat(spec.hasWorkflowArgs()).isTrue();
        assertThat(w.tool().name()).isEqualTo("demo_tool");
    }

    @Test
    void rangesIncludeBothEndsAndTakeAStep() {
        Workflow w = twoArgs("""
                - template: t
                  name: "up_{a}_{b}"
                  foreach: {a: {from: 0, to: 10, step: 5}, b: {from: 3, to: 1, step: -1}}
                """).workflow();
        assertThat(names(w)).containsExactly("up_0_3", "up_0_2", "up_0_1", "up_5_3", "up_5_2", "up_5_1",
                "up_10_3", "up_10_2", "up_10_1");
    }

    @Test
    void foreachIsTheCartesianProductWithTheFirstVariableSlowest() {
        Workflow w = twoArgs("""
                - template: t
                  name: "x_{b}_{a}"
                  foreach: {b: [p, q], a: [1, 2, 3]}
                """).workflow();
        assertThat(names(w)).containsExactly("x_p_1", "x_p_2", "x_p_3", "x_q_1", "x_q_2", "x_q_3");
        assertThat(task(w, "x_q_2").command()).isEqualTo("echo 2 q");
    }

    @Test
    void anEntryWithoutForeachIsOneTask() {
        Workflow w = twoArgs("""
                - {template: t, name: single, args: {a: 1, b: two}}
                """).workflow();
        assertThat(names(w)).containsExactly("single");
        assertThat(task(w, "single").command()).isEqualTo("echo 1 two");
    }

    @Test
    void aTaskWithoutANameGetsTheApiDefault() {
        Workflow w = twoArgs("""
                - {template: t, args: {a: 1, b: two}}
                """).workflow();
        assertThat(names(w)).containsExactly("t_1_two");
    }

    @Test
    void foreachVariablesThatAreNotArgsFillNamesAndArgValues() {
        Workflow w = twoArgs("""
                - template: t
                  name: "draw_{draw}"
                  foreach: {draw: [7, 8]}
                  args: {a: "in/{draw}.csv", b: "{{literal}} awk '{print $1}'"}
                """).workflow();
        assertThat(names(w)).containsExactly("draw_7", "draw_8");
        assertThat(task(w, "draw_8").command()).isEqualTo("echo in/8.csv {literal} awk '{print $1}'");
    }

    @Test
    void argValuesMayUsePlainArgsAndNamesMayUseAnyArg() {
        Workflow w = load("""
                tool: t
                workflow: {name: w}
                task_templates:
                  t: {command_template: "run {root} {out} {loc}", node_args: [loc], task_args: [out], op_args: [root]}
                tasks:
                  - template: t
                    name: "{loc}:{out}"
                    foreach: {loc: [1]}
                    args: {root: /data, out: "{root}/out_{loc}"}
                    attributes: {path: "{out}", flag: null}
                """).workflow();
        Task t = task(w, "1:/data/out_1");
        assertThat(t.command()).isEqualTo("run /data /data/out_1 1");
        assertThat(t.attributes()).containsEntry("path", "/data/out_1").containsEntry("flag", null);
    }

    @Test
    void upstreamsAreNamesOrPatternsFilledFromTheTask() {
        Workflow w = load("""
                tool: t
                workflow: {name: w}
                task_templates:
                  t: {command_template: "echo {a}", node_args: [a]}
                tasks:
                  - {template: t, name: "last", args: {a: last}, upstreams: ["*"]}
                  - {template: t, name: "b_{a}", foreach: {a: [1, 2]}, upstreams: ["a_{a}_x", "c_*_{a}"]}
                  - {template: t, name: "a_{a}_x", foreach: {a: [1, 2]}}
                  - {template: t, name: "c_{a}_{n}", foreach: {a: [x, y], n: [1, 2]}}
                """).workflow();
        assertThat(upstreamNames(task(w, "b_1"))).containsExactly("a_1_x", "c_x_1", "c_y_1");
        assertThat(upstreamNames(task(w, "b_2"))).containsExactly("a_2_x", "c_x_2", "c_y_2");
        // "*" matches every other task: a task never waits for itself
        assertThat(task(w, "last").upstreams()).hasSize(w.tasks().size() - 1);
        assertThat(task(w, "a_1_x").downstreams()).extracting(Task::name).containsExactlyInAnyOrder("b_1", "last");
    }

    @Test
    void executorConfigPathsAreRelativeToTheSpecFolder() {
        Path specDir = dir.resolve("project/specs");
        String home = System.getProperty("user.home");
        LoadedSpec spec = loader.load(TestSpecs.write(specDir, "spec.yaml", """
                tool: t
                workflow:
                  name: w
                  executor: SGEExecutor
                  executor_config: {stdout: out/, stderr: ../err, project: proj_x, slots: 2, mode: fast}
                task_templates:
                  t: {command_template: "echo hi"}
                tasks:
                  - {template: t, name: one}
                """));
        var settings = spec.workflow().executor();
        assertThat(settings.executorName()).isEqualTo("sge");
        assertThat(settings.stdout()).contains(specDir.resolve("out").toAbsolutePath());
        assertThat(settings.stderr()).contains(dir.resolve("project/err").toAbsolutePath());
        assertThat(settings.workingDir()).contains(specDir.toAbsolutePath());
        assertThat(settings.project()).contains("proj_x");
        assertThat(settings.extra()).isEqualTo(Map.of("slots", "2", "mode", "fast"));

        LoadedSpec other = loader.load(TestSpecs.write(specDir, "other.yaml", """
                tool: t
                workflow: {name: w, executor_config: {working_dir: "~/work", stdout: /abs/out}}
                task_templates: {t: {command_template: "echo hi"}}
                tasks: [{template: t}]
                """));
        assertThat(other.workflow().executor().workingDir()).contains(Path.of(home, "work"));
        assertThat(other.workflow().executor().stdout()).contains(Path.of("/abs/out"));
        assertThat(other.workflow().executor().executorName()).isEqualTo("multiprocess");
    }

    @Test
    void executorParametersAreSetAtTheirLevelAndLayerWorkflowUnderTemplateUnderTask() {
        Workflow w = load(TestSpecs.THREE_PHASE).workflow();
        Task transform = task(w, "transform_1_1");
        Task aggregate = task(w, "aggregate_1");

        assertThat(w.defaultExecutorParameters().memoryMib()).hasValue(1024);
        assertThat(transform.template().defaultExecutorParameters().memoryMib()).hasValue(2048);
        assertThat(transform.executorParameters()).isEqualTo(ExecutorParameters.builder().maxRuntimeSeconds(60).build());

        Resources t = layered(transform, w);
        assertThat(t.numCores()).isEqualTo(1);
        assertThat(t.memoryMib()).isEqualTo(2048);
        assertThat(t.maxRuntimeSeconds()).isEqualTo(60);
        assertThat(t.queue()).contains("all.q");
        Resources a = layered(aggregate, w);
        assertThat(a.memoryMib()).isEqualTo(1024);
        assertThat(a.maxRuntimeSeconds()).isEqualTo(600);
    }

    private static Resources layered(Task t, Workflow w) {
        return t.executorParameters().over(t.template().defaultExecutorParameters()).over(w.defaultExecutorParameters())
                .resolve();
    }

    @Test
    void everyExecutorParameterKeyIsRead() {
        Workflow w = load("""
                tool: t
                workflow:
                  name: w
                  default_executor_parameters:
                    num_cores: 2
                    m_mem_free: 500M
                    max_runtime_seconds: "01:00:00"
                    queue: long.q
                    context_args: {FOO: bar, N: 3}
                    resource_scales: {m_mem_free: 0.2, max_runtime_seconds: [7200, 14400]}
                    hard_limits: true
                    executor_class: SequentialExecutor
                task_templates: {t: {command_template: "echo hi"}}
                tasks: [{template: t}]
                """).workflow();
        ExecutorParameters p = w.defaultExecutorParameters();
        assertThat(p.numCores()).hasValue(2);
        assertThat(p.memoryMib()).hasValue(500);
        assertThat(p.maxRuntimeSeconds()).hasValue(3600);
        assertThat(p.queue()).contains("long.q");
        assertThat(p.contextArgs()).contains(Map.of("FOO", "bar", "N", "3"));
        assertThat(p.resourceScales().orElseThrow()).containsOnlyKeys("m_mem_free", "max_runtime_seconds");
        assertThat(p.resourceScales().orElseThrow().get("max_runtime_seconds").values()).containsExactly(7200, 14400);
        assertThat(p.hardLimits()).contains(true);
        assertThat(p.executorClass()).contains("sequential");
    }

    @Test
    void workflowSettingsAndRunOptions() {
        LoadedSpec spec = load("""
                tool: t
                workflow:
                  name: w
                  workflow_args: 2024
                  description: the yearly run
                  executor: sequential
                  max_concurrently_running: 5
                  fail_fast: true
                  seconds_until_timeout: 10h
                  attributes: {release_id: 3}
                task_templates: {t: {command_template: "echo hi"}}
                tasks: [{template: t}]
                """);
        Workflow w = spec.workflow();
        assertThat(w.name()).isEqualTo("w");
        assertThat(w.workflowArgs()).isEqualTo("2024");
        assertThat(w.description()).isEqualTo("the yearly run");
        assertThat(w.attributes()).containsExactly(Map.entry("release_id", "3"));
        assertThat(w.executor().executorName()).isEqualTo("sequential");
        assertThat(spec.runOptions().maxConcurrentlyRunning()).isEqualTo(5);
        assertThat(spec.runOptions().failFast()).isTrue();
        assertThat(spec.runOptions().secondsUntilTimeout()).isEqualTo(36_000);
        assertThat(spec.runOptions().resume()).isFalse();
    }

    @Test
    void withoutWorkflowArgsTheWorkflowIsAOneOff() {
        LoadedSpec spec = load("""
                tool: t
                workflow: {name: w}
                task_templates: {t: {command_template: "echo hi"}}
                tasks: [{template: t}]
                """);
        assertThat(spec.hasWorkflowArgs()).isFalse();
        assertThat(spec.workflow().workflowArgs()).isNotBlank();
        assertThat(spec.runOptions().maxConcurrentlyRunning()).isEqualTo(10_000);
    }

    @Test
    void jsonSpecsAreReadByExtensionOrContent() {
        String json = """
                {"tool": "t", "workflow": {"name": "w"},
                 "task_templates": {"t": {"command_template": "echo {a}", "node_args": ["a"]}},
                 "tasks": [{"template": "t", "name": "t_{a}", "foreach": {"a": {"from": 1, "to": 3}}}]}
                """;
        assertThat(names(loader.load(TestSpecs.write(dir, "spec.json", json)).workflow()))
                .containsExactly("t_1", "t_2", "t_3");
        assertThat(names(loader.load(TestSpecs.write(dir, "spec.txt", json)).workflow())).hasSize(3);
    }

    @Test
    void notifyNamesACommandAWebhookTheirEventsAndTimeout() {
        Workflow w = load("""
                tool: t
                workflow:
                  name: w
                  notify: {command: "mail -s jobmon me", webhook: "https://hooks.example.com/services/X", on: [failed, TASK_FATAL], timeout_seconds: 5}
                task_templates:
                  t: {command_template: "true"}
                tasks: [{template: t}]
                """).workflow();
        assertThat(w.notifications().command()).hasValue("mail -s jobmon me");
        assertThat(w.notifications().webhook()).hasValueSatisfying(u -> assertThat(u.getHost()).isEqualTo("hooks.example.com"));
        assertThat(w.notifications().on()).containsExactlyInAnyOrder(Notifications.Event.FAILED, Notifications.Event.TASK_FATAL);
        assertThat(w.notifications().timeout()).isEqualTo(java.time.Duration.ofSeconds(5));
        String spec = """
                tool: t
                workflow:
                  name: w
                  notify: %s
                task_templates:
                  t: {command_template: "true"}
                tasks: [{template: t}]
                """;
        assertThatThrownBy(() -> load(spec.formatted("{on: [done]}"))).hasMessageContaining("workflow.notify")
                .hasMessageContaining("give a command, a webhook, or both");
        assertThatThrownBy(() -> load(spec.formatted("{command: x, on: [sometimes]}"))).hasMessageContaining("workflow.notify.on")
                .hasMessageContaining("'sometimes' is not one of failed, done, task_fatal");
        assertThatThrownBy(() -> load(spec.formatted("{webhook: \"ftp://x.org/secret\"}"))).hasMessageContaining("workflow.notify.webhook")
                .hasMessageContaining("http or https URL").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> load(spec.formatted("{command: x, mail: me}"))).hasMessageContaining("unknown key 'mail'");
    }

    @Test
    void apiErrorsKeepTheirCodeAndGainThePath() {
        assertThatThrownBy(() -> load("""
                tool: t
                workflow: {name: w}
                task_templates:
                  t: {command_template: "echo {a} {b}", node_args: [a]}
                tasks: [{template: t}]
                """))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(dir.resolve("spec.yaml") + ": task_templates.t: ")
                .hasMessageContaining("[b]");
    }

    @Test
    void errorsNameTheFileAndThePath() {
        assertThatThrownBy(() -> twoArgs("""
                - {template: t, name: "x_{a}", foreach: {a: [1, 2], b: []}}
                """))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC))
                .hasMessageStartingWith(dir.resolve("spec.yaml") + ": tasks[0].foreach.b: ")
                .hasMessageContaining("empty");
    }

    @Test
    void anEmptyRangeIsAnError() {
        assertThatThrownBy(() -> twoArgs("""
                - {template: t, name: "x_{a}_{b}", foreach: {a: {from: 5, to: 1}, b: [1]}}
                """))
                .hasMessageContaining("tasks[0].foreach.a: ")
                .hasMessageContaining("from 5 to 1");
    }

    @Test
    void aForeachVariableUsedNowhereIsAnError() {
        assertThatThrownBy(() -> twoArgs("""
                - {template: t, name: "x_{a}", foreach: {a: [1], bb: [1, 2]}, args: {b: 1}}
                """))
                .hasMessageContaining("tasks[0].foreach.bb: ")
                .hasMessageContaining("'bb' is neither an arg of template 't'")
                .hasMessageContaining("did you mean 'b'");
    }

    @Test
    void anArgInBothArgsAndForeachIsAnError() {
        assertThatThrownBy(() -> twoArgs("""
                - {template: t, name: "x_{a}", foreach: {a: [1]}, args: {a: 2, b: 1}}
                """))
                .hasMessageContaining("tasks[0].args.a: ")
                .hasMessageContaining("both under args and under foreach");
    }

    @Test
    void anUnknownPlaceholderIsAnError() {
        assertThatThrownBy(() -> twoArgs("""
                - {template: t, name: "x_{location}", args: {a: 1, b: 2}}
                """))
                .hasMessageContaining("tasks[0].name: ")
                .hasMessageContaining("{location} is not a foreach variable or an arg of this task")
                .hasMessageContaining("{{location}}");
    }

    @Test
    void aPatternMatchingOnlyItselfIsAnError() {
        assertThatThrownBy(() -> twoArgs("""
                - {template: t, name: "x", args: {a: 1, b: 2}, upstreams: ["x*"]}
                """))
                .hasMessageContaining("tasks[0].upstreams[0]: ")
                .hasMessageContaining("matches only the task itself");
    }

    @Test
    void misspeltKeysGetASuggestion() {
        assertThatThrownBy(() -> load("""
                tool: t
                workflow: {name: w, exector: sge}
                task_templates: {t: {command_template: "echo hi"}}
                tasks: [{template: t}]
                """))
                .hasMessageContaining("workflow: unknown key 'exector' (did you mean 'executor'?)")
                .hasMessageContaining("name, workflow_args, description, executor");
    }

    @Test
    void scalarValuesBecomeTheirText() {
        Workflow w = twoArgs("""
                - {template: t, name: "v_{a}", foreach: {a: [1.5, true, "007"]}, args: {b: 1}}
                """).workflow();
        assertThat(names(w)).containsExactly("v_1.5", "v_true", "v_007");
    }

    @Test
    void unknownExecutorsAreRejectedAndPluginsAccepted() {
        String spec = """
                tool: t
                workflow: {name: w, executor: slurm}
                task_templates: {t: {command_template: "echo hi"}}
                tasks: [{template: t}]
                """;
        assertThatThrownBy(() -> load(spec))
                .isInstanceOfSatisfying(JobmonException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_SPEC))
                .hasMessageContaining("workflow.executor: 'slurm' is not an executor");
        SpecLoader withSlurm = new SpecLoader(KnownExecutors.of(List.of("multiprocess", "SlurmExecutor")));
        assertThat(withSlurm.load(TestSpecs.write(dir, "s.yaml", spec)).workflow().executor().executorName())
                .isEqualTo("slurm");
    }

    @Test
    void aMissingFileIsAnError() {
        assertThatThrownBy(() -> loader.load(dir.resolve("nope.yaml")))
                .hasMessageContaining("nope.yaml does not exist");
        assertThatThrownBy(() -> loader.load(dir))
                .hasMessageContaining("is a folder");
    }
}

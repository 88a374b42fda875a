package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.FakeEngine;
import org.jobmon.cli.TestSpecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad spec ends with exit 2 and one line naming the file, the place and the value, without a
 * stack trace, and never reaches the engine (so nothing is written to the database).
 */
class RunCommandBadSpecTest {
    @TempDir
    Path dir;

    private final FakeEngine engine = FakeEngine.done();

    @AfterEach
    void engineWasNotCalled() {
        assertThat(engine.calls()).as("a bad spec must not reach the engine").isEmpty();
    }

    private CliResult run(String fileName, String spec, String... extraArgs) {
        Path file = TestSpecs.write(dir, fileName, spec);
        String[] args = new String[extraArgs.length + 2];
        args[0] = "run";
        args[1] = file.toString();
        System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
        return CliResult.run(TestSpecs.context(engine), args);
    }

    private CliResult run(String spec) {
        return run("spec.yaml", spec);
    }

    /** Exit 2 with exactly {@code jobmon: <file>: ...} on stderr and nothing on stdout. */
    private String userError(CliResult r) {
        r.exits(ExitCodes.USAGE);
        assertThat(r.err()).as("stderr").startsWith("jobmon: ").doesNotContain("\tat ", "Exception");
        assertThat(r.out()).as("stdout").isEmpty();
        return r.err();
    }

    /** The three-phase example with one text replaced. */
    private static String threePhaseWith(String from, String to) {
        assertThat(TestSpecs.THREE_PHASE).contains(from);
        return TestSpecs.THREE_PHASE.replace(from, to);
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        String err = userError(run(threePhaseWith("sex_id: [1, 2]}", "sex_id: [1, 2}")));
        assertThat(err).contains("spec.yaml: YAML syntax error at line 27");
        assertThat(err).contains("foreach: {location_id: {from: 1, to: 10}, sex_id: [1, 2}");
    }

    @Test
    void jsonSyntaxErrorNamesTheLine() {
        String err = userError(run("spec.json", "{\"tool\": \"t\",\n \"workflow\": {\"name\": \"w\"\n}"));
        assertThat(err).contains("spec.json: JSON syntax error at line 3");
    }

    @Test
    void aKeyTwiceInOneMapIsAnError() {
        String err = userError(run(threePhaseWith("  name: three_phase\n", "  name: three_phase\n  name: again\n")));
        assertThat(err).contains("line 4").contains("the key 'name' appears twice");
    }

    @Test
    void unknownKeyIsNamedWithItsPathAndTheAllowedKeys() {
        String err = userError(run(threePhaseWith("    max_attempts: 3", "    max_attempt: 3")));
        assertThat(err).contains("tasks[0]: unknown key 'max_attempt' (did you mean 'max_attempts'?)")
                .contains("template, name, foreach, args, max_attempts, executor_parameters, attributes, upstreams");
    }

    @Test
    void unknownTopLevelKey() {
        String err = userError(run(TestSpecs.THREE_PHASE + "extra: 1\n"));
        assertThat(err).contains("(top level): unknown key 'extra'").contains("tool, workflow, task_templates, tasks");
    }

    @Test
    void unknownExecutorName() {
        String err = userError(run(threePhaseWith("executor: multiprocess", "executor: multiprocesss")));
        assertThat(err).contains("workflow.executor: 'multiprocesss' is not an executor (did you mean 'multiprocess'?)")
                .contains("multiprocess, sequential, sge");
    }

    @Test
    void badMemory() {
        String err = userError(run(threePhaseWith("m_mem_free: 2G", "m_mem_free: \"1Q\"")));
        assertThat(err).contains("task_templates.transform.default_executor_parameters.m_mem_free: m_mem_free '1Q'")
                .contains("512M, 1G");
    }

    @Test
    void zeroCores() {
        String err = userError(run(threePhaseWith("{max_runtime_seconds: 60}", "{max_runtime_seconds: 60, num_cores: 0}")));
        assertThat(err).contains("tasks[0].executor_parameters.num_cores: num_cores '0'").contains("at least 1");
    }

    @Test
    void missingTemplateArg() {
        String err = userError(run(threePhaseWith("script: scripts/aggregate.py, ", "")));
        assertThat(err).contains("tasks[1].args: template 'aggregate' needs the arg script")
                .contains("op_args [python, script]");
    }

    @Test
    void unknownTemplateArg() {
        String err = userError(run(threePhaseWith("out: out/summary}", "out: out/summary, outt: x}")));
        assertThat(err).contains("tasks[2].args.outt: 'outt' is not an arg of template 'summarize'");
    }

    @Test
    void twoTasksWithTheSameName() {
        String err = userError(run(threePhaseWith("name: \"aggregate_{location_id}\"", "name: \"transform_{location_id}_1\"")));
        assertThat(err).contains("tasks[1].name: the task name 'transform_1_1' of tasks[1] (location_id=1)")
                .contains("tasks[0] (location_id=1, sex_id=1)").contains("must be unique");
    }

    @Test
    void foreachWithoutTheVariableInTheNameMakesDuplicates() {
        String err = userError(run(threePhaseWith("name: \"transform_{location_id}_{sex_id}\"", "name: \"transform_{location_id}\"")));
        assertThat(err).contains("'transform_1' of tasks[0] (location_id=1, sex_id=2)")
                .contains("is also the name of tasks[0] (location_id=1, sex_id=1)");
    }

    @Test
    void upstreamPatternMatchingNothing() {
        String err = userError(run(threePhaseWith("upstreams: [\"transform_{location_id}_*\"]", "upstreams: [\"transfrom_{location_id}_*\"]")));
        assertThat(err).contains("tasks[1].upstreams[0]: the upstream 'transfrom_{location_id}_*' (here 'transfrom_1_*')")
                .contains("of tasks[1] (location_id=1) matches no task")
                .contains("transform_1_1, aggregate_1, summarize_0");
    }

    @Test
    void emptyTasks() {
        String spec = TestSpecs.THREE_PHASE.substring(0, TestSpecs.THREE_PHASE.indexOf("tasks:")) + "tasks: []\n";
        assertThat(userError(run(spec))).contains("tasks: tasks is empty");
    }

    @Test
    void missingTemplate() {
        String err = userError(run(threePhaseWith("template: summarize", "template: summarise")));
        assertThat(err).contains("tasks[2].template: there is no task template 'summarise' (did you mean 'summarize'?)")
                .contains("transform, aggregate, summarize");
    }

    @Test
    void missingRequiredKey() {
        String err = userError(run(threePhaseWith("tool: demo_tool\n", "")));
        assertThat(err).contains("the required key 'tool' is missing");
    }

    @Test
    void wrongKindOfValue() {
        String err = userError(run(threePhaseWith("max_attempts: 1", "max_attempts: once")));
        assertThat(err).contains("tasks[2].max_attempts: expected a whole number, found 'once'");
    }

    @Test
    void emptyFile() {
        assertThat(userError(run(""))).contains("spec.yaml: the spec is empty");
    }

    @Test
    void missingFile() {
        CliResult r = CliResult.run(TestSpecs.context(engine), "run", dir.resolve("absent.yaml").toString());
        assertThat(userError(r)).contains("absent.yaml does not exist");
    }

    @Test
    void resumeWithoutWorkflowArgs() {
        String err = userError(run("spec.yaml", threePhaseWith("  workflow_args: three_phase_demo\n", ""), "--resume"));
        assertThat(err).contains("has no workflow.workflow_args").contains("nothing to resume");
    }
}

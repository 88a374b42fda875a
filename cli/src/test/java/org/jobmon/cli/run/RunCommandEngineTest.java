package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jobmon.cli.CliContext;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code jobmon run} end to end: the real engine, an embedded database, tiny sh commands. */
@Tag("engine")
class RunCommandEngineTest {
    /** Three phases writing files next to the spec (its folder is the working directory). */
    static final String THREE_PHASE_SH = """
            tool: cli_e2e
            workflow:
              name: three_phase
              workflow_args: cli_e2e_three_phase
              executor: multiprocess
              default_executor_parameters: {num_cores: 1, m_mem_free: 100M, max_runtime_seconds: 60}
            task_templates:
              transform:
                command_template: "sh -c 'echo {location_id} {sex_id} > {out}'"
                node_args: [location_id, sex_id]
                task_args: [out]
              aggregate:
                command_template: "sh -c 'cat t_{location_id}_*.txt > {out}'"
                node_args: [location_id]
                task_args: [out]
              summarize:
                command_template: "sh -c 'cat a_*.txt > {out}'"
                task_args: [out]
            tasks:
              - template: transform
                name: "transform_{location_id}_{sex_id}"
                foreach: {location_id: {from: 1, to: 10}, sex_id: [1, 2]}
                args: {out: "t_{location_id}_{sex_id}.txt"}
              - template: aggregate
                name: "aggregate_{location_id}"
                foreach: {location_id: {from: 1, to: 10}}
                args: {out: "a_{location_id}.txt"}
                upstreams: ["transform_{location_id}_*"]
              - template: summarize
                name: summarize
                args: {out: summary.txt}
                upstreams: ["aggregate_*"]
            """;

    @TempDir
    Path dir;

    private String db;
    private CliContext context;

    @BeforeEach
    void embeddedDatabase() {
        db = DatabaseUrls.embedded(dir.resolve("db"));
        context = CliTestSupport.realEngine(dir);
    }

    private CliResult jobmon(String... args) {
        return CliResult.run(context, args);
    }

    private Path spec(String name, String text) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        return Files.writeString(folder.resolve("spec.yaml"), text);
    }

    @Test
    void threePhaseSpecRunsDone() throws Exception {
        Path spec = spec("three_phase", THREE_PHASE_SH);
        CliResult r = jobmon("run", spec.toString(), "--db", db, "-n").exits(ExitCodes.OK);

        JsonNode json = new ObjectMapper().readTree(r.lastOutLine());
        assertThat(json.properties()).extracting(java.util.Map.Entry::getKey).containsExactly("workflow_id",
                "workflow_run_id", "status", "tasks", "done", "fatal", "previously_done");
        assertThat(json.get("status").asText()).isEqualTo("DONE");
        assertThat(json.get("tasks").asInt()).isEqualTo(31);
        assertThat(json.get("done").asInt()).isEqualTo(31);
        assertThat(json.get("fatal").asInt()).isZero();
        assertThat(json.get("workflow_id").asLong()).isPositive();
        assertThat(json.get("workflow_run_id").asLong()).isPositive();
        assertThat(Files.readAllLines(spec.resolveSibling("summary.txt"))).hasSize(20);
    }

    @Test
    void runningACompleteWorkflowAgainIsRefused() throws Exception {
        Path spec = spec("again", THREE_PHASE_SH);
        jobmon("run", spec.toString(), "--db", db).exits(ExitCodes.OK);

        CliResult again = jobmon("run", spec.toString(), "--db", db).exits(ExitCodes.FAILED);
        assertThat(again.err()).startsWith("jobmon: ").contains("already complete").doesNotContain("\tat ");
    }

    @Test
    void aFailedTaskEndsTheRunWithExitOneAndResumeFinishesIt() throws Exception {
        Path spec = spec("resume", """
                tool: cli_e2e
                workflow: {name: flaky, workflow_args: cli_e2e_flaky}
                task_templates:
                  check: {command_template: "test -f {flag}", node_args: [flag]}
                tasks:
                  - {template: check, name: "first", args: {flag: spec.yaml}}
                  - {template: check, name: "second", args: {flag: ready.flag}, max_attempts: 1, upstreams: [first]}
                """);
        CliResult failed = jobmon("run", spec.toString(), "--db", db, "--json").exits(ExitCodes.FAILED);
        JsonNode json = new ObjectMapper().readTree(failed.lastOutLine());
        assertThat(json.get("status").asText()).isNotEqualTo("DONE");
        assertThat(json.get("fatal").asInt()).isEqualTo(1);
        assertThat(failed.err()).contains("jobmon task_status -t").contains("jobmon run " + spec + " --resume");

        Files.writeString(spec.resolveSibling("ready.flag"), "");
        CliResult resumed = jobmon("run", spec.toString(), "--db", db, "--resume", "-n").exits(ExitCodes.OK);
        JsonNode after = new ObjectMapper().readTree(resumed.lastOutLine());
        assertThat(after.get("status").asText()).isEqualTo("DONE");
        assertThat(after.get("previously_done").asInt()).isEqualTo(1);
        assertThat(after.get("workflow_id").asLong()).isEqualTo(json.get("workflow_id").asLong());
    }

    @Test
    void aCycleThroughUpstreamsIsRejectedNamingIt() throws Exception {
        Path spec = spec("cycle", """
                tool: cli_e2e
                workflow: {name: cycle, workflow_args: cli_e2e_cycle}
                task_templates:
                  step: {command_template: "echo {n}", node_args: [n]}
                tasks:
                  - {template: step, name: step_a, args: {n: a}, upstreams: [step_c]}
                  - {template: step, name: step_b, args: {n: b}, upstreams: [step_a]}
                  - {template: step, name: step_c, args: {n: c}, upstreams: [step_b]}
                """);
        CliResult r = jobmon("run", spec.toString(), "--db", db).exits(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("jobmon: ").contains("cycle").contains("step_a", "step_b", "step_c")
                .doesNotContain("\tat ");
    }

    @Test
    void workflowResumeFinishesAFailedWorkflowAfterItsScriptWasFixedWithoutTheController() throws Exception {
        Path spec = spec("stored", """
                tool: cli_e2e
                workflow: {name: stored, workflow_args: cli_e2e_stored, executor: sequential}
                task_templates:
                  prepare: {command_template: "echo prepared >> prepared.log; echo {n}", node_args: [n]}
                  model: {command_template: "sh {script} {n}", node_args: [n], op_args: [script]}
                tasks:
                  - {template: prepare, name: prepare, args: {n: 1}}
                  - {template: model, name: model, args: {n: 1, script: model.sh}, max_attempts: 1, upstreams: [prepare]}
                """);
        Path script = spec.resolveSibling("model.sh");
        Files.writeString(script, "echo 'model crashed' >&2; exit 3\n");
        CliResult failed = jobmon("run", spec.toString(), "--db", db, "-n").exits(ExitCodes.FAILED);
        long workflowId = new ObjectMapper().readTree(failed.lastOutLine()).get("workflow_id").asLong();

        Files.writeString(script, "echo modelled $1\n");
        Files.delete(spec);
        CliResult resumed = jobmon("workflow_resume", "-w", Long.toString(workflowId), "--db", db, "-n").exits(ExitCodes.OK);
        JsonNode json = new ObjectMapper().readTree(resumed.lastOutLine());
        assertThat(json.get("status").asText()).isEqualTo("DONE");
        assertThat(json.get("workflow_id").asLong()).isEqualTo(workflowId);
        assertThat(json.get("previously_done").asInt()).isEqualTo(1);
        assertThat(Files.readAllLines(spec.resolveSibling("prepared.log"))).hasSize(1);

        jobmon("workflow_resume", "-w", "4242", "--db", db).exits(ExitCodes.FAILED);
    }

    @Test
    void workflowResumeTellsTheNotifyFilesCommandOnceWhenTheResumeFailsAndABadFileChangesNothing() throws Exception {
        Path spec = spec("told", """
                tool: cli_e2e
                workflow: {name: told, workflow_args: cli_e2e_told, executor: sequential}
                task_templates:
                  model: {command_template: "sh -c 'echo no data >&2; exit 4' {n}", node_args: [n]}
                tasks:
                  - {template: model, name: model, args: {n: 1}, max_attempts: 1}
                """);
        CliResult failed = jobmon("run", spec.toString(), "--db", db, "-n").exits(ExitCodes.FAILED);
        long workflowId = new ObjectMapper().readTree(failed.lastOutLine()).get("workflow_id").asLong();
        Path told = dir.resolve("told.jsonl");

        Path bad = Files.writeString(dir.resolve("bad-notify.yaml"), "command: \"cat >> " + told + "\"\non: [sometimes]\n");
        CliResult refused = jobmon("workflow_resume", "-w", Long.toString(workflowId), "--db", db, "--notify", bad.toString())
                .exits(ExitCodes.USAGE);
        assertThat(refused.err()).contains("bad-notify.yaml").contains("sometimes").doesNotContain("\tat ");
        CliResult missing = jobmon("workflow_resume", "-w", Long.toString(workflowId), "--db", db, "--notify",
                dir.resolve("nowhere.yaml").toString()).exits(ExitCodes.USAGE);
        assertThat(missing.err()).contains("the notify file").contains("nowhere.yaml").contains("does not exist");
        long runs = new ObjectMapper().readTree(jobmon("sql", "SELECT COUNT(*) AS n FROM workflow_run", "--db", db, "-n").exits(0)
                .lastOutLine()).get(0).get("n").asLong();
        assertThat(runs).as("neither refusal started a run").isEqualTo(1);

        Path notify = Files.writeString(dir.resolve("notify.yaml"), "command: \"cat >> " + told + "; echo >> " + told + "\"\n"
                + "on: [failed]\ntimeout_seconds: 20\n");
        jobmon("workflow_resume", "-w", Long.toString(workflowId), "--db", db, "--notify", notify.toString()).exits(ExitCodes.FAILED);
        List<String> messages = Files.readAllLines(told).stream().filter(l -> !l.isBlank()).toList();
        assertThat(messages).hasSize(1);
        JsonNode message = new ObjectMapper().readTree(messages.get(0));
        assertThat(message.get("event").asText()).isEqualTo("FAILED");
        assertThat(message.get("workflow_id").asLong()).isEqualTo(workflowId);
        assertThat(message.get("workflow_name").asText()).isEqualTo("told");
        assertThat(message.get("fatal").asInt()).isEqualTo(1);
    }
}

package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code jobmon task_template_resources} on real runs whose tasks held known amounts of memory for
 * known times: the numbers are the rule of cli/README.md applied to what the executor measured.
 */
@Tag("engine")
class TaskTemplateResourcesTest {
    private static final double MIB = 1024 * 1024;

    @TempDir
    static Path dir;
    static LiveWorkflows live;
    static long first;
    static long second;
    static long version;

    /** A shell command holding about {@code mb} million bytes for {@code seconds} s (awk is in every base system). */
    static String hold(int mb, int seconds) {
        return "awk 'BEGIN { s = sprintf(\"%" + mb + "000000s\", \"\"); system(\"sleep " + seconds + "\") }'";
    }

    @BeforeAll
    static void twoWorkflows() {
        live = new LiveWorkflows(dir);
        Workflow wf = live.workflow("resources_one", 2);
        wf.addTask(live.sh("m100", hold(100, 2), 1));
        wf.addTask(live.sh("m200", hold(200, 2), 1));
        wf.addTask(live.sh("m300", hold(300, 3), 1));
        wf.addTask(live.sh("fails", "exit 3", 1));
        WorkflowRunResult r = live.run(wf, RunOptions.defaults());
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
        first = r.workflowId();
        Workflow other = live.workflow("resources_two", 1);
        other.addTask(live.sh("small", "true", 1));
        WorkflowRunResult r2 = live.run(other, RunOptions.defaults());
        assertThat(r2.status()).isEqualTo(WorkflowRunStatus.DONE);
        second = r2.workflowId();
        version = live.count("SELECT MAX(n.task_template_version_id) FROM task t JOIN node n ON n.id = t.node_id WHERE t.workflow_id = ?",
                first);
    }

    @AfterAll
    static void close() {
        live.close();
    }

    private static double measured(String aggregate, String column) {
        return live.engine.database().jdbi().withHandle(h -> h.createQuery("SELECT " + aggregate + "(i." + column + ") FROM task_instance i "
                + "JOIN task t ON t.id = i.task_id WHERE t.workflow_id = :w AND i.status = 'D'").bind("w", first).mapTo(Double.class).one());
    }

    @Test
    void theDoneAttemptsOfTheWorkflowGiveTheRulesNumbers() {
        JsonNode o = live.json("task_template_resources", "-t", Long.toString(version), "-w", Long.toString(first), "-n").get(0);
        assertThat(o.get("template").asText()).isEqualTo("shell");
        assertThat(o.get("done_attempts").asInt()).as("the failed task's attempt is not DONE").isEqualTo(3);
        assertThat(o.get("workflows").get(0).asLong()).isEqualTo(first);

        double maxRss = measured("MAX", "maxrss_bytes");
        assertThat(maxRss).as("the 300 MB task's peak, as measured").isBetween(280 * MIB, 400 * MIB);
        assertThat(o.get("maxrss_bytes").get("max").isIntegralNumber()).as("bytes are whole numbers").isTrue();
        assertThat(o.get("maxrss_bytes").get("max").asDouble()).isEqualTo(maxRss);
        assertThat(o.get("maxrss_bytes").get("min").asDouble()).isEqualTo(measured("MIN", "maxrss_bytes")).isGreaterThan(90 * MIB);
        long memory = (long) Math.ceil(maxRss * 1.2 / MIB / 128) * 128;
        assertThat(o.get("suggested").get("memory_mib").asLong()).isEqualTo(memory);
        assertThat(o.get("suggested").get("m_mem_free").asText()).isEqualTo(memory + "M");

        double longest = measured("MAX", "wallclock_s");
        assertThat(longest).as("the 3 s task").isGreaterThanOrEqualTo(3.0);
        assertThat(o.get("runtime_s").get("p95").asDouble()).as("the 3rd of 3").isEqualTo(longest);
        assertThat(o.get("runtime_s").get("median").asDouble()).isGreaterThanOrEqualTo(2.0).isLessThan(longest);
        assertThat(o.get("suggested").get("max_runtime_seconds").asLong()).isEqualTo((long) Math.ceil(longest * 1.5 / 60) * 60);
        assertThat(o.get("suggested").get("num_cores").asInt()).isEqualTo(1);
    }

    @Test
    void everyWorkflowCountsUnlessSomeAreNamedAndTheTableSaysTheRule() {
        JsonNode all = live.json("task_template_resources", "-t", Long.toString(version), "-n").get(0);
        assertThat(all.get("done_attempts").asInt()).isEqualTo(4);
        assertThat(all.get("workflows")).hasSize(2);
        JsonNode byName = live.json("task_template_resources", "-t", "shell", "-w", Long.toString(second), "-n").get(0);
        assertThat(byName.get("task_template_version_id").asLong()).isEqualTo(version);
        assertThat(byName.get("done_attempts").asInt()).isEqualTo(1);

        CliResult table = live.jobmon("task_template_resources", "-t", Long.toString(version), "-w", Long.toString(first)).exits(ExitCodes.OK);
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0)).contains("task template shell").contains("3 DONE attempts").contains("workflow " + first);
        assertThat(table.out()).contains("runtime").contains("max RSS").contains("MEDIAN").contains("P95")
                .contains("suggested: m_mem_free ").contains("max_runtime_seconds 60").contains("num_cores 1")
                .contains("x 1.2, rounded up to 128 MiB").contains("x 1.5, rounded up to whole minutes");
    }

    @Test
    void unknownVersionsNamesAndWorkflowsAreNamedWithTheFix() {
        CliResult noVersion = live.jobmon("task_template_resources", "-t", "9999");
        assertThat(noVersion.exitCode()).isNotZero();
        assertThat(noVersion.err()).contains("no task template version 9999").contains("give a version id").doesNotContain("Exception");
        CliResult noName = live.jobmon("task_template_resources", "-t", "no_such_template");
        assertThat(noName.err()).contains("no task template named 'no_such_template'");
        CliResult noWorkflow = live.jobmon("task_template_resources", "-t", Long.toString(version), "-w", "777");
        assertThat(noWorkflow.err()).contains("no workflow 777");
    }
}

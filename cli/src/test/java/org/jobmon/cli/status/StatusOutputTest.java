package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
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

/** The tables and the JSON keys of the status commands, on one finished workflow; unknown ids. */
@Tag("engine")
class StatusOutputTest {
    static final String LONG_NAME = "a_task_with_a_name_much_too_long_for_any_table_column_" + "x".repeat(80);

    @TempDir
    static Path dir;
    static LiveWorkflows live;
    static long workflowId;
    static Map<String, Long> ids;

    @BeforeAll
    static void oneFinishedWorkflow() {
        live = new LiveWorkflows(dir);
        // "flaky" fails once, then succeeds (1 retry); "broken" always fails (2 attempts, 1 retry); "after" never runs
        Workflow wf = live.workflow("output_" + "w".repeat(120), 2).setExecutor(ExecutorSettings.of("multiprocess")
                .withWorkingDir(dir).withStdout(dir.resolve("out")).withStderr(dir.resolve("err")));
        wf.addTask(live.sh("flaky", "if [ -f flaky_once ]; then echo fine; else touch flaky_once; echo first try fails >&2; "
                + "exit 4; fi", 2));
        var broken = live.sh("broken", "echo 'Traceback: something'; echo 'ValueError: broken on purpose' >&2; exit 7", 2);
        wf.addTask(broken);
        var after = live.sh("after", "true # after", 1);
        after.addUpstream(broken);
        wf.addTask(after);
        wf.addTask(live.sh(LONG_NAME, "true # long", 1));
        WorkflowRunResult r = live.run(wf, RunOptions.defaults());
        workflowId = r.workflowId();
        ids = live.taskIds(workflowId);
    }

    @AfterAll
    static void close() {
        live.close();
    }

    private static List<String> keys(JsonNode object) {
        return object.properties().stream().map(Map.Entry::getKey).toList();
    }

    @Test
    void workflowStatusJsonHasItsKeysCountsAndRetries() {
        JsonNode row = live.workflowStatus(workflowId);
        assertThat(keys(row)).containsExactly("wf_id", "wf_name", "wf_status", "created", "tasks", "pending", "running", "done",
                "fatal", "retries");
        assertThat(row.get("wf_status").asText()).isEqualTo("FAILED");
        assertThat(row.get("tasks").asInt()).isEqualTo(4);
        assertThat(row.get("done").asInt()).isEqualTo(2);
        assertThat(row.get("fatal").asInt()).isEqualTo(1);
        assertThat(row.get("pending").asInt()).isEqualTo(1);
        assertThat(row.get("running").asInt()).isZero();
        assertThat(row.get("retries").asInt()).isEqualTo(2);
        assertThat(row.get("created").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
    }

    @Test
    void workflowStatusTableFitsOneHundredColumnsWithPercentages() {
        CliResult r = live.jobmon("workflow_status", "-w", Long.toString(workflowId)).exits(ExitCodes.OK);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(lines.get(0).split(" +")).containsExactly("WF_ID", "WF_NAME", "WF_STATUS", "CREATED", "TASKS", "PENDING",
                "RUNNING", "DONE", "FATAL", "RETRIES");
        assertThat(lines.get(1)).contains("output_ww").contains("...").contains("FAILED").contains("2 (50%)")
                .contains("1 (25%)").endsWith(" 2");
        // columns line up: every header starts where its values are
        assertThat(lines.get(1).indexOf("FAILED")).isEqualTo(lines.get(0).indexOf("WF_STATUS"));
    }

    @Test
    void theDefaultListingIsTheCurrentUsersWorkflowsAndMayBeEmpty() {
        JsonNode mine = live.json("workflow_status", "-n");
        assertThat(mine).extracting(n -> n.get("wf_id").asLong()).contains(workflowId);
        assertThat(live.json("workflow_status", "-u", "nobody_at_all", "-n")).isEmpty();
        CliResult none = live.jobmon("workflow_status", "-u", "nobody_at_all").exits(ExitCodes.OK);
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("no workflows with a run by nobody_at_all");
        assertThat(live.json("workflow_status", "-u", System.getProperty("user.name"), "-w", Long.toString(workflowId), "-n"))
                .hasSize(1);
    }

    @Test
    void workflowTasksJsonHasItsKeysAndTheTableCutsLongNames() {
        JsonNode tasks = live.json("workflow_tasks", "-w", Long.toString(workflowId), "-n");
        assertThat(tasks).hasSize(4);
        tasks.forEach(t -> assertThat(keys(t)).containsExactly("task_id", "task_name", "status", "retries"));
        JsonNode flaky = tasks.get(0).get("task_name").asText().equals("flaky") ? tasks.get(0) : find(tasks, "flaky");
        assertThat(flaky.get("status").asText()).isEqualTo("DONE");
        assertThat(flaky.get("retries").asInt()).isEqualTo(1);
        assertThat(find(tasks, "after").get("status").asText()).isEqualTo("PENDING");
        assertThat(find(tasks, LONG_NAME).get("task_name").asText()).isEqualTo(LONG_NAME);

        List<String> lines = live.jobmon("workflow_tasks", "-w", Long.toString(workflowId)).exits(ExitCodes.OK).out().lines().toList();
        assertThat(lines).hasSize(5).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(lines).anySatisfy(l -> assertThat(l).contains("a_task_with_a_name").contains("...").doesNotContain(LONG_NAME));

        assertThat(live.json("workflow_tasks", "-w", Long.toString(workflowId), "-s", "FaTaL", "-n"))
                .extracting(t -> t.get("task_name").asText()).containsExactly("broken");
        CliResult bad = live.jobmon("workflow_tasks", "-w", Long.toString(workflowId), "-s", "broken").exits(ExitCodes.USAGE);
        assertThat(bad.err()).contains("'broken' is not a status: use PENDING, RUNNING, DONE or FATAL");
    }

    @Test
    void taskStatusJsonHasItsKeysAndEveryAttempt() {
        JsonNode attempts = live.json("task_status", "-t", Long.toString(ids.get("broken")), Long.toString(ids.get("flaky")), "-n");
        assertThat(attempts).hasSize(4);
        attempts.forEach(a -> assertThat(keys(a)).containsExactly("task_id", "task_instance_id", "executor_id", "status",
                "exit_code", "hostname", "wallclock_s", "maxrss_bytes", "stdout", "stderr", "error_trace"));
        JsonNode failed = attempts.get(0).get("task_id").asLong() == ids.get("broken") ? attempts.get(0) : attempts.get(2);
        assertThat(failed.get("status").asText()).isEqualTo("FATAL");
        assertThat(failed.get("exit_code").asInt()).isEqualTo(7);
        assertThat(failed.get("error_trace").asText()).contains("ValueError: broken on purpose");
        assertThat(failed.get("stdout").asText()).contains("out");
        assertThat(failed.get("hostname").isNull()).isFalse();
        assertThat(live.json("task_status", "-t", Long.toString(ids.get("flaky")), "-s", "done", "-n")).hasSize(1);
        assertThat(live.json("task_status", "-t", Long.toString(ids.get("flaky")), "-s", "FATAL", "-n")).hasSize(1);

        List<String> lines = live.jobmon("task_status", "-t", Long.toString(ids.get("broken"))).exits(ExitCodes.OK).out().lines().toList();
        assertThat(lines.get(0).split(" +")).containsExactly("TASK_ID", "TASK_INSTANCE_ID", "EXECUTOR_ID", "STATUS", "EXIT_CODE",
                "HOSTNAME", "USAGE");
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("    error_trace: ").contains("ValueError: broken on purpose"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("    stdout: "));

        CliResult none = live.jobmon("task_status", "-t", Long.toString(ids.get("after"))).exits(ExitCodes.OK);
        assertThat(none.err()).contains("no attempts of task " + ids.get("after"));
    }

    @Test
    void unknownIdsExitOneWithAClearMessage() {
        CliResult wf = live.jobmon("workflow_status", "-w", Long.toString(workflowId), "98765", "-n").exits(ExitCodes.FAILED);
        assertThat(wf.err()).startsWith("jobmon: no workflow 98765 in the database").doesNotContain("\tat ");
        assertThat(wf.out()).isEmpty();
        assertThat(live.jobmon("workflow_tasks", "-w", "98765").exits(ExitCodes.FAILED).err()).startsWith("jobmon: no workflow 98765");
        assertThat(live.jobmon("task_status", "-t", "98765", "98766").exits(ExitCodes.FAILED).err())
                .startsWith("jobmon: no tasks 98765, 98766 in the database");
        assertThat(live.jobmon("concurrency_limit", "-w", "98765", "-n", "4").exits(ExitCodes.FAILED).err())
                .startsWith("jobmon: no workflow 98765");
        assertThat(live.jobmon("workflow_tasks").exits(ExitCodes.USAGE).err()).contains("--workflow_id");
        assertThat(live.jobmon("workflow_status", "-w", "abc").exits(ExitCodes.USAGE).err()).contains("abc");
    }

    private static JsonNode find(JsonNode tasks, String name) {
        for (JsonNode t : tasks) {
            if (t.get("task_name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no task " + name + " in " + tasks);
    }
}

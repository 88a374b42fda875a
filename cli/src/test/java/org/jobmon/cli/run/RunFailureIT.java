package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jobmon.cli.CliContext;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code jobmon run} tells about a failure in its own output, and where an attempt's output
 * goes when the spec names no log folders: the real engine, an embedded database, real processes.
 */
class RunFailureIT {
    @TempDir
    Path dir;

    private String db;
    private CliContext context;

    @BeforeEach
    void embeddedDatabase() {
        db = DatabaseUrls.embedded(dir.resolve("db"));
        context = CliTestSupport.realEngine(dir);
    }

    private Path spec(String text) throws Exception {
        return Files.writeString(Files.createDirectories(dir.resolve("spec")).resolve("spec.yaml"), text);
    }

    @Test
    void theRunsOwnOutputNamesEachFailedTaskWithItsExitCodeLastStderrLineAndLog() throws Exception {
        Path spec = spec("""
                tool: failing
                workflow: {name: failing, workflow_args: two_fail, executor: multiprocess}
                task_templates:
                  fail: {command_template: "echo working on {n}; echo 'first line' >&2; echo 'broke on {n}' >&2; exit {n}", node_args: [n]}
                  fine: {command_template: "true {n}", node_args: [n]}
                tasks:
                  - {template: fail, name: "fail_{n}", foreach: {n: [3, 4]}, max_attempts: 2}
                  - {template: fine, name: "fine_{n}", foreach: {n: [1, 2]}}
                """);
        CliResult r = CliResult.run(context, "run", spec.toString(), "--db", db).exits(ExitCodes.FAILED);
        String out = r.out() + r.err();
        assertThat(out).contains("2 tasks failed:");
        for (int n : List.of(3, 4)) {
            Matcher task = Pattern.compile("fail_" + n + " \\(task \\d+\\): exit code " + n + "\\n  \\| first line\\n  \\| broke on " + n
                    + "\\n    stderr: (\\S+)\\n    stdout: (\\S+)").matcher(out);
            assertThat(task.find()).as("task fail_%d with its exit code, stderr lines and logs in:%n%s", n, out).isTrue();
            assertThat(Path.of(task.group(1))).content().contains("broke on " + n);
            assertThat(Path.of(task.group(2))).content().isEqualTo("working on " + n + "\n");
        }
        assertThat(out).contains("jobmon task_status -t ").contains("resume after a fix:  jobmon run " + spec + " --resume");
        assertThat(out).doesNotContain("RunOptions");

        CliResult again = CliResult.run(context, "run", spec.toString(), "--db", db).exits(ExitCodes.FAILED);
        assertThat(again.err()).contains("is not complete: continue it with: jobmon run " + spec + " --resume").doesNotContain("RunOptions");
    }

    @Test
    void withoutLogSettingsEveryAttemptsStdoutIsKeptAndTaskStatusNamesIt() throws Exception {
        Path spec = spec("""
                tool: logs
                workflow: {name: logs, workflow_args: default_logs, executor: multiprocess}
                task_templates:
                  say: {command_template: "echo hello {n}", node_args: [n]}
                tasks:
                  - {template: say, name: "say_{n}", foreach: {n: [1]}}
                """);
        CliResult.run(context, "run", spec.toString(), "--db", db).exits(ExitCodes.OK);
        CliResult status = CliResult.run(context, "task_status", "-t", "1", "--db", db).exits(ExitCodes.OK);
        Matcher stdout = Pattern.compile("stdout: (\\S+)").matcher(status.out());
        assertThat(stdout.find()).as("task_status names the stdout file:%n%s", status.out()).isTrue();
        assertThat(Path.of(stdout.group(1))).content().isEqualTo("hello 1\n");
        assertThat(Path.of(stdout.group(1)).getParent().getFileName()).hasToString("logs");

        // by name, within its workflow
        CliResult byName = CliResult.run(context, "task_status", "-w", "1", "-t", "say_1", "--db", db).exits(ExitCodes.OK);
        assertThat(byName.out()).isEqualTo(status.out());
        assertThat(CliResult.run(context, "task_status", "-t", "say_1", "--db", db).exits(ExitCodes.USAGE).err())
                .contains("'say_1' is a task name, and names need the workflow they are in: add -w WORKFLOW_ID");
        assertThat(CliResult.run(context, "task_status", "-w", "1", "-t", "say_9", "--db", db).exits(ExitCodes.FAILED).err())
                .contains("workflow 1 has no task named 'say_9'");
    }

    @Test
    void memoryBeyondThisMachineIsRefusedSayingGibAndCoresBeyondItsSlotsAreLoweredWithOneWarning() throws Exception {
        Path spec = spec("""
                tool: sizes
                workflow: {name: sizes, workflow_args: sizes, executor: multiprocess, executor_config: {slots: 2}}
                task_templates:
                  t: {command_template: "true {n}", node_args: [n]}
                tasks:
                  - {template: t, name: "big_{n}", foreach: {n: [1]}, executor_parameters: {m_mem_free: 2048}}
                """);
        CliResult refused = CliResult.run(context, "run", spec.toString(), "--db", db).exits(ExitCodes.USAGE);
        assertThat(refused.err()).contains("m_mem_free is 2048G, more than the").contains("A number without a unit is GiB")
                .contains("m_mem_free: 2048M").doesNotContain("\tat ");

        Files.writeString(spec, Files.readString(spec).replace("m_mem_free: 2048", "num_cores: 3, m_mem_free: 100M"));
        CliResult lowered = CliResult.run(context, "run", spec.toString(), "--db", db).exits(ExitCodes.OK);
        // piped output carries a timestamp before each line
        List<String> warnings = (lowered.out() + lowered.err()).lines().filter(l -> l.contains("warning")).map(l -> l.replaceFirst(
                "^\\[\\d\\d:\\d\\d:\\d\\d\\] ", "")).toList();
        assertThat(warnings).containsExactly("warning: the multiprocess executor changes num_cores 3 -> 2 for 1 task (big_1): "
                + "it has no more to give");
    }
}

package org.jobmon.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.FakeEngine;
import org.jobmon.cli.TestSpecs;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobmon report} on a real run of a small three-phase workflow in which one location fails:
 * one self-contained file with the counts, the template DAG (one node per template), the grouped
 * error and the run. (That it renders offline in a browser is for the browser tests.)
 */
@Tag("engine")
class ReportTest {
    @TempDir
    static Path dir;
    static String db;
    static long workflowId;

    @BeforeAll
    static void runIt() {
        db = DatabaseUrls.embedded(dir.resolve("db"));
        Tool tool = Tool.create("report_test");
        TaskTemplate transform = tool.getTaskTemplate("transform", "test {location_id} -ne 3 || { echo 'ValueError: no data for "
                + "location {location_id}' >&2; exit 2; }", List.of("location_id"), List.of(), List.of());
        TaskTemplate aggregate = tool.getTaskTemplate("aggregate", "true {all}", List.of("all"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("report <wf> & co").setExecutor(ExecutorSettings.of("sequential").withWorkingDir(dir));
        List<Task> transforms = new java.util.ArrayList<>();
        for (int l = 1; l <= 5; l++) {
            transforms.add(transform.createTask().args(Map.of("location_id", l)).maxAttempts(2).build());
        }
        wf.addTasks(transforms);
        wf.addTask(aggregate.createTask().arg("all", "yes").upstreams(transforms).build());
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(db).workRoot(dir.resolve("runs")).config(EngineConfig.defaults()
                .withMaxCycleWait(java.time.Duration.ofMillis(50))).build()) {
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults());
            assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
            workflowId = r.workflowId();
        }
    }

    @AfterAll
    static void done() {
        // the database folder goes with the temporary folder
    }

    private static CliResult jobmon(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--db");
        all.add(db);
        return CliResult.run(TestSpecs.context(FakeEngine.done()), all.toArray(String[]::new));
    }

    @Test
    void theReportIsOneFileWithTheCountsTheTemplateDagTheGroupedErrorAndTheRun() throws Exception {
        Path file = dir.resolve("out/report.html");
        CliResult r = jobmon("report", "-w", Long.toString(workflowId), "-o", file.toString()).exits(0);
        assertThat(r.out().strip()).isEqualTo(file.toAbsolutePath().toString());
        String html = Files.readString(file);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("report &lt;wf&gt; &amp; co").doesNotContain("<wf>");
        assertThat(html).as("nothing fetched from anywhere").doesNotContainPattern("(?i)(src|href)\\s*=")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
        assertThat(html).contains("<td data-bucket=\"TOTAL\">6</td>").contains("<td data-bucket=\"DONE\">4</td>")
                .contains("<td data-bucket=\"FATAL\">1</td>").contains("<td data-bucket=\"PENDING\">1</td>");
        assertThat(html).as("one DAG node per template, with its counts")
                .contains("<g class=\"template\" data-template=\"transform\" data-total=\"5\" data-done=\"4\" data-running=\"0\" "
                        + "data-pending=\"0\" data-fatal=\"1\">")
                .contains("<g class=\"template\" data-template=\"aggregate\" data-total=\"1\" data-done=\"0\" data-running=\"0\" "
                        + "data-pending=\"1\" data-fatal=\"0\">");
        assertThat(html.split("<g class=\"template\"", -1)).hasSize(3);
        assertThat(html.split("<line class=\"edge\"", -1)).as("one edge between the two templates, not five").hasSize(2);
        assertThat(html).as("both attempts of location 3, grouped").containsPattern("<td class=\"num\">2</td><td><code>ValueError: no "
                + "data for location 3</code></td><td>transform_3 \\(task \\d+\\)</td>");
        assertThat(html).contains("<td>ERROR</td><td>" + System.getProperty("user.name") + "</td>");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary file left").containsExactly("report.html");
        }
    }

    @Test
    void anUnknownWorkflowOrAnUnwritablePlaceIsSaidWithTheFix() throws Exception {
        CliResult none = jobmon("report", "-w", "424242");
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.err()).contains("no workflow 424242");
        Path blocker = dir.resolve("a_file");
        Files.writeString(blocker, "x");
        CliResult bad = jobmon("report", "-w", Long.toString(workflowId), "-o", blocker.resolve("r.html").toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("cannot write the report to").contains("-o FILE").doesNotContain("Exception");
    }
}

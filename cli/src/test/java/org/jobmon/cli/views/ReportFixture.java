package org.jobmon.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * A real run to report on: five transforms (location 3 fails both its attempts) and an aggregate
 * that never runs, on the sequential executor, in an embedded database in {@code dir}.
 */
record ReportFixture(String db, long workflowId) {
    static ReportFixture run(Path dir) {
        String db = DatabaseUrls.embedded(dir.resolve("db"));
        Tool tool = Tool.create("report_test");
        TaskTemplate transform = tool.getTaskTemplate("transform", "test {location_id} -ne 3 || { echo 'ValueError: no data for "
                + "location {location_id}' >&2; exit 2; }", List.of("location_id"), List.of(), List.of());
        TaskTemplate aggregate = tool.getTaskTemplate("aggregate", "true {all}", List.of("all"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("report <wf> & co").setExecutor(ExecutorSettings.of("sequential").withWorkingDir(dir));
        List<Task> transforms = new ArrayList<>();
        for (int l = 1; l <= 5; l++) {
            transforms.add(transform.createTask().args(Map.of("location_id", l)).maxAttempts(2).build());
        }
        wf.addTasks(transforms);
        wf.addTask(aggregate.createTask().arg("all", "yes").upstreams(transforms).build());
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(db).workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(50))).build()) {
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults());
            assertThat(r.status()).isEqualTo(WorkflowRunStatus.ERROR);
            return new ReportFixture(db, r.workflowId());
        }
    }

    /** The fixture's counts (6 tasks: 4 DONE, 1 FATAL, 1 PENDING), one DAG node per template with its counts, one edge. */
    static void assertCountsAndTemplateDag(String html) {
        assertThat(html).contains("<td data-bucket=\"TOTAL\">6</td>").contains("<td data-bucket=\"DONE\">4</td>")
                .contains("<td data-bucket=\"FATAL\">1</td>").contains("<td data-bucket=\"PENDING\">1</td>");
        assertThat(html).as("one DAG node per template, with its counts")
                .contains("<g class=\"template\" data-template=\"transform\" data-total=\"5\" data-done=\"4\" data-running=\"0\" "
                        + "data-pending=\"0\" data-fatal=\"1\">")
                .contains("<g class=\"template\" data-template=\"aggregate\" data-total=\"1\" data-done=\"0\" data-running=\"0\" "
                        + "data-pending=\"1\" data-fatal=\"0\">");
        assertThat(html.split("<g class=\"template\"", -1)).hasSize(3);
        assertThat(html.split("<line class=\"edge\"", -1)).as("one edge between the two templates, not five").hasSize(2);
    }

    /** {@code jobmon ARGS --db DB}, in this process. */
    CliResult jobmon(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--db");
        all.add(db);
        return CliResult.run(TestSpecs.context(FakeEngine.done()), all.toArray(String[]::new));
    }
}

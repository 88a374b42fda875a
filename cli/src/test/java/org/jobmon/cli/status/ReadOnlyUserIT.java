package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.FakeEngine;
import org.jobmon.cli.TestSpecs;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.persistence.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer's account with SELECT only (what a team gives people who watch workflows) runs every
 * status command and the seed's queries; a command that must write says so instead of failing oddly.
 */
class ReadOnlyUserIT {
    @TempDir
    Path dir;

    private static CliResult jobmon(String db, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--db");
        all.add(db);
        return CliResult.run(TestSpecs.context(FakeEngine.done()), all.toArray(String[]::new));
    }

    @Test
    void aSelectOnlyAccountRunsTheStatusCommandsAndTheSeedQueries() throws Exception {
        String rootUrl = TestDatabases.freshMariaDb();
        String database = rootUrl.substring(rootUrl.lastIndexOf('/') + 1, rootUrl.indexOf('?'));
        long workflowId;
        long taskId;
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(rootUrl).workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(50))).build()) {
            Tool tool = Tool.create("viewer_tool");
            TaskTemplate t = tool.getTaskTemplate("t", "{cmd}", List.of("cmd"), List.of(), List.of());
            Workflow wf = tool.createWorkflow("viewed").setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir))
                    .addTask(t.createTask().arg("cmd", "true").build())
                    .addTask(t.createTask().arg("cmd", "exit 3").maxAttempts(1).build());
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults());
            workflowId = r.workflowId();
            taskId = engine.database().jdbi().withHandle(h -> h.createQuery("SELECT min(id) FROM task").mapTo(Long.class).one());
        }
        String viewer = "viewer_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        try (Connection c = DriverManager.getConnection(rootUrl); Statement s = c.createStatement()) {
            s.execute("CREATE USER '" + viewer + "'@'%' IDENTIFIED BY 'look-only'");
            s.execute("GRANT SELECT ON " + database + ".* TO '" + viewer + "'@'%'");
        }
        String viewerUrl = rootUrl.substring(0, rootUrl.indexOf('?')) + "?user=" + viewer + "&password=look-only";
        try {
            jobmon(viewerUrl, "workflow_status", "-w", Long.toString(workflowId)).exits(ExitCodes.OK);
            CliResult tasks = jobmon(viewerUrl, "workflow_tasks", "-w", Long.toString(workflowId)).exits(ExitCodes.OK);
            assertThat(tasks.out()).contains("DONE").contains("FATAL");
            jobmon(viewerUrl, "task_status", "-t", Long.toString(taskId)).exits(ExitCodes.OK);
            jobmon(viewerUrl, "workflow_status", "-n").exits(ExitCodes.OK);

            try (Connection c = DriverManager.getConnection(viewerUrl); Statement s = c.createStatement()) {
                // the seed's queries: a workflow's tasks by status, and its runs by user
                try (ResultSet rs = s.executeQuery("SELECT status, count(*) FROM task WHERE workflow_id=" + workflowId
                        + " GROUP BY status")) {
                    int groups = 0;
                    while (rs.next()) {
                        groups++;
                    }
                    assertThat(groups).isEqualTo(2);
                }
                try (ResultSet rs = s.executeQuery("SELECT workflow.id, workflow.status FROM workflow JOIN workflow_run "
                        + "ON workflow.id = workflow_run.workflow_id WHERE workflow_run.user = '" + System.getProperty("user.name")
                        + "'")) {
                    assertThat(rs.next()).isTrue();
                }
            }

            CliResult refused = jobmon(viewerUrl, "concurrency_limit", "-w", Long.toString(workflowId), "-n", "5");
            assertThat(refused.exitCode()).isNotEqualTo(ExitCodes.OK).isNotEqualTo(ExitCodes.INTERNAL);
            assertThat(refused.err()).contains("may not change the Jobmon database").doesNotContain("\tat ");
        } finally {
            try (Connection c = DriverManager.getConnection(rootUrl); Statement s = c.createStatement()) {
                s.execute("DROP USER '" + viewer + "'@'%'");
            }
        }
    }
}

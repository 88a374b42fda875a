package org.jobmon.engine.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.executor.local.SequentialExecutorFactory;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a reader (a status command) may settle of a run whose controller is gone, and what it must leave alone. */
class DeadRunReconcilerTest {
    @TempDir
    Path dir;
    JobmonEngine engine;
    Jdbi jdbi;
    long workflowId;
    long taskId;

    @BeforeEach
    void aWorkflow() {
        engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db"))).workRoot(dir.resolve("runs"))
                .executorFactories(List.of(new SequentialExecutorFactory())).build();
        jdbi = engine.database().jdbi();
        Tool tool = Tool.create("readers");
        TaskTemplate t = tool.getTaskTemplate("t", "{cmd}", List.of("cmd"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("readers").setExecutor(ExecutorSettings.of("sequential").withWorkingDir(dir))
                .addTask(t.createTask().arg("cmd", "exit 1").maxAttempts(1).build());
        WorkflowRunResult r = engine.run(wf, RunOptions.defaults());
        workflowId = r.workflowId();
        taskId = jdbi.withHandle(h -> h.createQuery("SELECT id FROM task").mapTo(Long.class).one());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** A run as a controller on another machine leaves it: RUNNING, an instance RUNNING, its lease as given. */
    private long run(String workDir, String reportBy) {
        return jdbi.inTransaction(h -> {
            long run = h.createUpdate("INSERT INTO workflow_run (workflow_id, user, hostname, pid, jobmon_version, status, "
                    + "work_dir, report_by_date) VALUES (:w, 'someone', 'another-host', 4242, 'v', 'R', :d, " + reportBy + ")")
                    .bind("w", workflowId).bind("d", workDir).executeAndReturnGeneratedKeys().mapTo(Long.class).one();
            h.createUpdate("INSERT INTO task_instance (id, workflow_run_id, task_id, executor_type, status) "
                    + "VALUES (900000 + :r, :r, :t, 'sequential', 'R')").bind("r", run).bind("t", taskId).execute();
            return run;
        });
    }

    private String status(String table, long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM " + table + " WHERE id = :id").bind("id", id)
                .mapTo(String.class).one());
    }

    @Test
    void aRunWhoseLeaseHasNotExpiredIsNeverSettledWhateverTheReadersOwnSettings() {
        long live = run(dir.toString(), "TIMESTAMPADD(SECOND, 3600, <utc_now>)");
        System.setProperty("jobmon.workflow_run_heartbeat", "1ms");
        try {
            new DeadRunReconciler(jdbi).settleAll();
        } finally {
            System.clearProperty("jobmon.workflow_run_heartbeat");
        }
        assertThat(status("workflow_run", live)).isEqualTo("R");
        assertThat(status("task_instance", 900000 + live)).isEqualTo("R");
    }

    @Test
    void anInstanceWhoseFolderCannotBeReadIsLeftAsItIs() {
        long dead = run("/nonexistent/on/this/machine/runs/1", "TIMESTAMPADD(SECOND, -60, <utc_now>)");
        new DeadRunReconciler(jdbi).settleAll();
        assertThat(status("workflow_run", dead)).as("the dead run").isEqualTo("E");
        assertThat(status("task_instance", 900000 + dead)).as("an instance nothing can be proved of").isEqualTo("R");
    }

    @Test
    void anInstanceWhoseFolderIsReadableAndEmptyWasLost() throws Exception {
        Path runDir = Files.createDirectories(dir.resolve("readable-run"));
        long dead = run(runDir.toString(), "TIMESTAMPADD(SECOND, -60, <utc_now>)");
        new DeadRunReconciler(jdbi).settleAll();
        assertThat(status("workflow_run", dead)).isEqualTo("E");
        assertThat(status("task_instance", 900000 + dead)).as("no records, no process: lost").isEqualTo("U");
    }
}

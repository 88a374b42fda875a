package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's five "Useful Jobmon SQL Queries", verbatim but for the ids and names filled in, after
 * a real run with one failing task. On H2 the seed's double-quoted string literals become single
 * quotes (H2 reads double quotes as identifiers); MariaDB takes them as written.
 */
abstract class SeedQueriesContract {
    @TempDir
    Path dir;

    abstract String databaseUrl();

    abstract boolean doubleQuotedStrings();

    @Test
    void theSeedsQueriesReturnWhatTheyPromise() {
        try (JobmonEngine engine = EngineFixture.engine(databaseUrl(), dir.resolve("runs"))) {
            Tool tool = Tool.create("seed_queries");
            TaskTemplate tt = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
            String name = "seed_queries_" + System.nanoTime();
            Workflow wf = tool.createWorkflow(name).setExecutor(ExecutorSettings.of("sequential").withWorkingDir(dir));
            Task ok1 = tt.createTask(Map.of("cmd", "true"));
            Task ok2 = tt.createTask(Map.of("cmd", "echo ok"));
            Task bad = tt.createTask().arg("cmd", "echo seed-query-failure >&2; exit 5").maxAttempts(2).build();
            Task blocked = tt.createTask().arg("cmd", "echo never").upstream(bad).build();
            wf.addTasks(List.of(ok1, ok2, bad, blocked));
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults());
            Jdbi jdbi = engine.database().jdbi();
            String user = System.getProperty("user.name");

            Map<String, Long> byStatus = new java.util.TreeMap<>();
            jdbi.useHandle(h -> h.createQuery(seed("SELECT status, count(*)\nFROM task\nWHERE workflow_id=" + r.workflowId()
                    + "\nGROUP BY status")).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> byStatus.put(e.getKey(), e.getValue())));
            assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of("D", 2L, "F", 1L, "G", 1L));

            List<Map<String, Object>> byName = jdbi.withHandle(h -> h.createQuery(seed("SELECT *\nFROM workflow\nWHERE name=\""
                    + name + "\"")).map(SeedQueriesContract::row).list());
            assertThat(byName).hasSize(1);
            assertThat(byName.get(0).get("id")).isEqualTo(r.workflowId());

            List<Map<String, Object>> byUser = jdbi.withHandle(h -> h.createQuery(seed("SELECT *\nFROM workflow\n"
                    + "JOIN workflow_run ON workflow.id = workflow_run.workflow_id\nWHERE workflow_run.user = \"" + user + "\""))
                    .map(SeedQueriesContract::row).list());
            assertThat(byUser).isNotEmpty();

            List<Map<String, Object>> wfErrors = jdbi.withHandle(h -> h.createQuery(seed("SELECT *\n"
                    + "FROM task t1, task_instance t2, task_instance_error_log t3\nWHERE t1.id = t2.task_id\n"
                    + "AND t2.id = t3.task_instance_id\nAND t1.workflow_id = " + r.workflowId())).map(SeedQueriesContract::row).list());
            assertThat(wfErrors).hasSize(2);
            assertThat(wfErrors).allSatisfy(row -> assertThat(String.valueOf(row.get("description"))).contains("seed-query-failure"));

            List<Map<String, Object>> runErrors = jdbi.withHandle(h -> h.createQuery(seed("SELECT *\n"
                    + "FROM task_instance t1, task_instance_error_log t2\nWHERE t1.id = t2.task_instance_id\n"
                    + "AND t1.workflow_run_id = " + r.workflowRunId())).map(SeedQueriesContract::row).list());
            assertThat(runErrors).hasSize(2);
        }
    }

    /** A result row by column label; a repeated label (SELECT * over a join) gets its table position appended. */
    static Map<String, Object> row(java.sql.ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws java.sql.SQLException {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        var meta = rs.getMetaData();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            String label = meta.getColumnLabel(c).toLowerCase(java.util.Locale.ROOT);
            row.put(row.containsKey(label) ? label + "#" + c : label, rs.getObject(c));
        }
        return row;
    }

    private String seed(String query) {
        return doubleQuotedStrings() ? query : query.replace('"', '\'');
    }
}

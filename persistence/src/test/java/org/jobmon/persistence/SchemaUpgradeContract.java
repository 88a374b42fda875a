package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A database made by an earlier schema, with its data (fixtures/schema-0011: one workflow of six
 * tasks, two runs), is brought to the current schema with every row intact.
 */
abstract class SchemaUpgradeContract {
    /** A URL of a fresh database loaded with the fixture. */
    abstract String loadedFixture() throws Exception;

    /** A plain connection to {@code url}, as the fixture was loaded. */
    java.sql.Connection connect(String url) throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(url);
    }

    @Test
    void upgradesADatabaseOfAnEarlierSchemaWithItsDataIntact() throws Exception {
        String url = loadedFixture();
        // the fixture's six tasks are independent and of one template version: give its DAG edges, as the old schema
        // stored them, between nodes of that version and from one of them to a node of a second version (100)
        try (java.sql.Connection c = connect(url); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO task_template_version (id, task_template_id, command_template, arg_mapping_hash) "
                    + "VALUES (100, 1, 'true', '" + "v".repeat(64) + "')");
            st.execute("INSERT INTO node (id, task_template_version_id, node_args_hash) VALUES (100, 100, '" + "n".repeat(64) + "')");
            st.execute("INSERT INTO edge (dag_id, upstream_node_id, downstream_node_id) VALUES (1, 1, 2), (1, 1, 3), (1, 2, 100)");
        }
        Map<String, Long> before = Map.of("task", 6L, "task_instance", 8L, "workflow_run", 2L, "task_status_audit", 0L);
        try (Database db = Database.open(url)) {
            Jdbi jdbi = db.jdbi();
            assertThat(count(jdbi, "SELECT count(*) FROM task")).isEqualTo(before.get("task"));
            assertThat(count(jdbi, "SELECT count(*) FROM task WHERE status = 'D'")).isEqualTo(5);
            assertThat(count(jdbi, "SELECT count(*) FROM task WHERE status = 'F'")).isEqualTo(1);
            assertThat(count(jdbi, "SELECT count(*) FROM workflow_run")).isEqualTo(before.get("workflow_run"));
            assertThat(count(jdbi, "SELECT count(*) FROM task_instance")).isGreaterThanOrEqualTo(6);
            assertThat(count(jdbi, "SELECT count(*) FROM task_instance_error_log")).isGreaterThanOrEqualTo(1);
            assertThat(count(jdbi, "SELECT count(*) FROM workflow_run WHERE report_by_date IS NULL"))
                    .as("runs of the old schema get a lease date").isZero();
            assertThat(count(jdbi, "SELECT count(*) FROM DATABASECHANGELOG WHERE ID = '0012-run-lease'")).isEqualTo(1);
            assertThat(count(jdbi, "SELECT count(*) FROM task t JOIN node n ON n.id = t.node_id "
                    + "WHERE t.task_template_version_id = n.task_template_version_id")).as("each task's copy of its node's template version")
                    .isEqualTo(before.get("task"));
            List<List<Long>> pairs = jdbi.withHandle(h -> h.createQuery("SELECT dag_id, upstream_version_id, downstream_version_id "
                    + "FROM dag_template_edge ORDER BY downstream_version_id").map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2),
                    rs.getLong(3))).list());
            assertThat(pairs).as("the template pairs the edges join, each once, upstream first")
                    .containsExactly(List.of(1L, 1L, 1L), List.of(1L, 1L, 100L));
            SchemaTest.assertSchema(db);
        }
        try (Database again = Database.open(url)) {
            assertThat(count(again.jdbi(), "SELECT count(*) FROM task")).isEqualTo(6);
        }
    }

    static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}

package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    static final List<String> SEED_TABLES = List.of("arg", "arg_type", "command_template_arg_type_mapping", "dag", "edge",
            "executor_parameter_set", "executor_parameter_set_type", "node", "node_arg", "task", "task_arg",
            "task_attribute", "task_attribute_type", "task_instance", "task_instance_error_log", "task_instance_status",
            "task_status", "task_template", "task_template_version", "tool", "tool_version", "workflow",
            "workflow_attribute", "workflow_attribute_type", "workflow_run", "workflow_run_status", "workflow_status");

    @Test
    void createsEverySeedTableOnH2AndReappliesAsNoOp(@TempDir Path dir) {
        String url = TestDatabases.h2(dir);
        try (Database db = Database.open(url)) {
            assertSchema(db);
        }
        try (Database db = Database.open(url)) {
            assertSchema(db);
        }
    }

    static void assertSchema(Database db) {
        for (String table : SEED_TABLES) {
            Long n = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one());
            assertThat(n).as(table).isNotNull();
        }
        String label = db.jdbi().withHandle(h -> h.createQuery("SELECT label FROM task_status WHERE id = 'F'")
                .mapTo(String.class).one());
        assertThat(label).isEqualTo("ERROR_FATAL");
        int instanceStatuses = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM task_instance_status")
                .mapTo(Integer.class).one());
        assertThat(instanceStatuses).isEqualTo(12);
        int runStatuses = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM workflow_run_status")
                .mapTo(Integer.class).one());
        assertThat(runStatuses).isEqualTo(10);
    }

    @Test
    void everyChangesetOfTheChangelogIsKnownToTheFastPath() {
        assertThat(Database.changesetIds()).contains("0001-reference-tables", "0008-id-sequence", "0010-run-work-dir")
                .hasSizeGreaterThanOrEqualTo(11);
    }
}

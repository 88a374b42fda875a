package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    static final List<String> SEED_TABLES = List.of("arg", "arg_type", "command_template_arg_type_mapping", "dag", "dag_template_edge", "edge",
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

    @Test
    void theFastPathAgreesWithLiquibaseAboutWhatIsApplied(@TempDir Path dir) throws Exception {
        String url = TestDatabases.h2(dir);
        try (Database db = Database.open(url)) {
            DataSource ds = dataSource(url);
            assertThat(Database.upToDate(ds)).isTrue();
            assertThat(unrunByLiquibase(ds)).isEmpty();

            // Liquibase matches a row on id, author and file: a row with another author is not this changeset
            db.jdbi().useHandle(h -> h.execute("UPDATE DATABASECHANGELOG SET AUTHOR = 'someone-else' WHERE ID = '0011-workflow-executor'"));
            assertThat(unrunByLiquibase(ds)).containsExactly("0011-workflow-executor");
            assertThat(Database.upToDate(ds)).isFalse();

            db.jdbi().useHandle(h -> h.execute("UPDATE DATABASECHANGELOG SET AUTHOR = 'jobmon' WHERE ID = '0011-workflow-executor'"));
            db.jdbi().useHandle(h -> h.execute("DELETE FROM DATABASECHANGELOG WHERE ID = '0009-status-indexes'"));
            assertThat(unrunByLiquibase(ds)).containsExactly("0009-status-indexes");
            assertThat(Database.upToDate(ds)).isFalse();
        }
    }

    @Test
    void theChangelogFingerprintIsRecordedOnlyAfterTheFullCheckFoundTheSchemaCurrent(@TempDir Path dir) throws Exception {
        String url = TestDatabases.h2(dir);
        try (Database db = Database.open(url)) {
            assertThat(Database.recordedFingerprint(dataSource(url))).as("recorded by the first open")
                    .isEqualTo(Changelog.fingerprint()).hasSize(64);
            // as a database last migrated by another version of Jobmon looks
            db.jdbi().useHandle(h -> h.execute("UPDATE schema_fingerprint SET changelog_sha256 = 'another-changelog'"));
        }
        try (Database db = Database.open(url)) {
            assertThat(Database.recordedFingerprint(dataSource(url))).as("checked in full, then recorded again")
                    .isEqualTo(Changelog.fingerprint());
        }
        // the upgrade tests cover a database with changesets still to run and no fingerprint at all
    }

    @Test
    void aLiquibaseLockLeftByAKilledProcessDoesNotBlockTheNextOpen(@TempDir Path dir) throws Exception {
        String url = TestDatabases.h2(dir);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE DATABASECHANGELOGLOCK (ID INT NOT NULL PRIMARY KEY, LOCKED BOOLEAN NOT NULL, "
                    + "LOCKGRANTED TIMESTAMP, LOCKEDBY VARCHAR(255))");
            s.execute("INSERT INTO DATABASECHANGELOGLOCK VALUES (1, TRUE, CURRENT_TIMESTAMP, 'a process killed mid-migration')");
        }
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Database db = Database.open(url)) {
                assertSchema(db);
            }
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void threadsOpeningAFreshDatabaseTogetherAllSucceed(@TempDir Path dir) throws Exception {
        assertThat(ConcurrentOpenMariaDbIT.openTogether(TestDatabases.h2(dir))).as("failures").isEmpty();
    }

    static DataSource dataSource(String url) {
        return org.h2.jdbcx.JdbcConnectionPool.create(url, "sa", "");
    }

    /** The ids of the changesets Liquibase itself would run on this database. */
    static List<String> unrunByLiquibase(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            liquibase.database.Database ldb = DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c));
            Liquibase lb = new Liquibase(Database.CHANGELOG, new ClassLoaderResourceAccessor(), ldb);
            return lb.listUnrunChangeSets(new Contexts(), new LabelExpression()).stream().map(cs -> cs.getId()).toList();
        }
    }
}

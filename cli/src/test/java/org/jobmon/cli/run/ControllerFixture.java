package org.jobmon.cli.run;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jdbi.v3.core.Jdbi;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A spec in a temporary folder, its embedded database, and this test's own connection to it. */
abstract class ControllerFixture {
    @TempDir
    Path dir;
    String db;
    Database database;
    Jdbi jdbi;
    Path spec;

    /** The spec's text and file name. */
    abstract String specText();

    abstract String specName();

    @BeforeEach
    void openDatabaseAndWriteSpec() throws Exception {
        db = DatabaseUrls.embedded(dir.resolve("db"));
        spec = dir.resolve(specName());
        Files.writeString(spec, specText());
        database = Database.open(db);
        jdbi = database.jdbi();
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}

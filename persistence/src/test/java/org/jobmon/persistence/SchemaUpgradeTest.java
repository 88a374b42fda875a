package org.jobmon.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.io.TempDir;

class SchemaUpgradeTest extends SchemaUpgradeContract {
    @TempDir
    Path dir;

    @Override
    String loadedFixture() throws Exception {
        Path script = dir.resolve("h2.sql");
        try (var in = SchemaUpgradeTest.class.getResourceAsStream("/fixtures/schema-0011/h2.sql")) {
            Files.copy(in, script);
        }
        String url = TestDatabases.h2(dir);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("RUNSCRIPT FROM '" + script.toAbsolutePath() + "'");
        }
        return url;
    }

    @Override
    Connection connect(String url) throws java.sql.SQLException {
        return DriverManager.getConnection(url, "sa", "");
    }
}

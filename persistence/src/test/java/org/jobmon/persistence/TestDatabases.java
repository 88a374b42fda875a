package org.jobmon.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Databases for tests: a fresh embedded H2 file under a temp folder always, and a fresh MariaDB
 * database when {@code JOBMON_TEST_MARIADB_URL} names a server (e.g.
 * {@code jdbc:mariadb://127.0.0.1:3306/?user=root}). With {@code JOBMON_REQUIRE_MARIADB=true}
 * (as CI sets it) a missing server fails the test instead of skipping it.
 */
public final class TestDatabases {
    public static final String MARIADB_ENV = "JOBMON_TEST_MARIADB_URL";
    public static final String REQUIRE_ENV = "JOBMON_REQUIRE_MARIADB";

    private TestDatabases() {
    }

    public static String h2(Path dir) {
        return DatabaseUrls.embedded(dir.resolve("jobmon"));
    }

    /** A URL of a new, empty MariaDB database; skips (or fails under CI) without a server. */
    public static String freshMariaDb() {
        Optional<String> server = Optional.ofNullable(System.getenv(MARIADB_ENV)).filter(s -> !s.isBlank());
        boolean required = Boolean.parseBoolean(System.getenv(REQUIRE_ENV));
        if (server.isEmpty()) {
            if (required) {
                throw new IllegalStateException(MARIADB_ENV + " is not set but " + REQUIRE_ENV + "=true");
            }
            assumeTrue(false, "MariaDB tests skipped: set " + MARIADB_ENV
                    + "=jdbc:mariadb://127.0.0.1:3306/?user=root to run them against a server");
        }
        String base = server.get();
        String name = "jobmon_test_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
        try (Connection c = DriverManager.getConnection(base); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (required) {
                throw new IllegalStateException("MariaDB at " + DatabaseUrls.redact(base) + " is required but unreachable", e);
            }
            assumeTrue(false, "MariaDB tests skipped: cannot reach " + DatabaseUrls.redact(base) + ": " + e.getMessage());
        }
        int q = base.indexOf('?');
        String hostPart = q < 0 ? base : base.substring(0, q);
        String params = q < 0 ? "" : base.substring(q);
        int slash = hostPart.indexOf('/', "jdbc:mariadb://".length());
        String root = slash < 0 ? hostPart : hostPart.substring(0, slash);
        return root + "/" + name + params;
    }
}

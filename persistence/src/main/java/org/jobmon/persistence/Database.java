package org.jobmon.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcConnectionPool;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.mariadb.jdbc.MariaDbPoolDataSource;

import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * An open state database: a pooled data source brought up to the current schema, and the Jdbi
 * that all SQL goes through. Open one per process and close it at exit.
 */
public final class Database implements AutoCloseable {
    public static final String CHANGELOG = "db/changelog/db.changelog-master.yaml";
    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    private final String url;
    private final DataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;

    private Database(String url, DataSource dataSource, Dialect dialect) {
        this.url = url;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new SqlObjectPlugin());
        configure(jdbi, dialect);
    }

    private Database(Database opened, DataSource wrapped) {
        this.url = opened.url;
        this.dataSource = opened.dataSource;
        this.dialect = opened.dialect;
        this.jdbi = Jdbi.create(wrapped).installPlugin(new SqlObjectPlugin());
        configure(jdbi, dialect);
    }

    private static void configure(Jdbi jdbi, Dialect dialect) {
        // <utc_now> in any statement: the database's time in UTC, whatever the server's or session's zone
        jdbi.define(UTC_NOW, utcNow(dialect));
    }

    /**
     * Opens the database at {@code url}, applies pending schema changes, and sends every later
     * statement through {@code wrapper}'s data source (instrumentation; failures injected in tests).
     */
    public static Database open(String url, java.util.function.UnaryOperator<DataSource> wrapper) {
        Database db = open(url);
        DataSource wrapped = wrapper.apply(db.dataSource);
        return wrapped == db.dataSource ? db : new Database(db, wrapped);
    }

    /** The name under which statements find the database's UTC time: write {@code <utc_now>}. */
    public static final String UTC_NOW = "utc_now";

    /**
     * The SQL for the database's current time in UTC as a DATETIME(6). MariaDB has UTC_TIMESTAMP;
     * H2 has not, and its casts from a zoned timestamp go through the session's zone, so the zone
     * offset is taken off the session's local time instead (both read the same instant).
     */
    public static String utcNow(Dialect dialect) {
        return switch (dialect) {
            case MARIADB -> "UTC_TIMESTAMP(6)";
            case H2 -> "DATEADD(SECOND, -(EXTRACT(TIMEZONE_HOUR FROM CURRENT_TIMESTAMP(6)) * 3600"
                    + " + EXTRACT(TIMEZONE_MINUTE FROM CURRENT_TIMESTAMP(6)) * 60), LOCALTIMESTAMP(6))";
        };
    }

    /** Which SQL server is behind the URL. */
    public enum Dialect {
        H2,
        MARIADB
    }

    /** Opens the database at {@code url} and applies any pending schema changes. */
    public static Database open(String url) {
        Dialect dialect = dialectOf(url);
        DataSource ds;
        try {
            ds = switch (dialect) {
                case H2 -> JdbcConnectionPool.create(url.contains("QUERY_CACHE_SIZE") ? url : url + ";QUERY_CACHE_SIZE=64", "sa", "");
                case MARIADB -> new MariaDbPoolDataSource(url.contains("maxPoolSize") ? url
                        : url + (url.contains("?") ? "&" : "?") + "maxPoolSize=8&minPoolSize=1");
            };
        } catch (SQLException e) {
            throw new JobmonException(ErrorCode.DATABASE, "cannot open database " + DatabaseUrls.redact(url) + ": " + e.getMessage(), e);
        }
        Database db = new Database(url, ds, dialect);
        try {
            db.migrate();
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    static Dialect dialectOf(String url) {
        if (url.startsWith("jdbc:h2:")) {
            return Dialect.H2;
        }
        if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
            return Dialect.MARIADB;
        }
        throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "database URL '" + DatabaseUrls.redact(url)
                + "' is not supported: use jdbc:mariadb://host:3306/db?user=...&password=... or jdbc:h2:file:/path"
                + DatabaseUrls.H2_SETTINGS);
    }

    private void migrate() {
        if (upToDate()) {
            return;
        }
        LIQUIBASE_LOG.setLevel(Level.WARNING);
        try (Connection c = dataSource.getConnection()) {
            liquibase.database.Database ldb = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(c));
            Scope.child(Map.of(Scope.Attr.ui.name(), new LoggerUIService(), "liquibase.command.showSummary", "OFF",
                    "liquibase.command.showSummaryOutput", "LOG",
                    // the same jar twice on a classpath must not stop a workflow from starting
                    "liquibase.duplicateFileMode", "WARN"), () -> {
                Liquibase lb = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(Database.class.getClassLoader()), ldb);
                lb.update("");
            });
        } catch (SQLException e) {
            throw new JobmonException(ErrorCode.DATABASE, "cannot connect to database " + DatabaseUrls.redact(url) + ": "
                    + e.getMessage() + (dialect == Dialect.MARIADB ? " (is the server running and the URL's user allowed in?)" : ""), e);
        } catch (Exception e) {
            throw new JobmonException(ErrorCode.DATABASE, "cannot bring database " + DatabaseUrls.redact(url)
                    + " to the current schema: " + e.getMessage(), e);
        }
    }

    /**
     * True when every changeset of the changelog is already applied: the common case, checked with
     * one query so that a command does not pay for starting Liquibase (a second or two).
     */
    private boolean upToDate() {
        java.util.Set<String> expected = changesetIds();
        if (expected.isEmpty()) {
            return false;
        }
        try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT ID FROM DATABASECHANGELOG")) {
            java.util.Set<String> applied = new java.util.HashSet<>();
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
            return applied.containsAll(expected);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The ids of the changesets in the changelog's included files. */
    static java.util.Set<String> changesetIds() {
        java.util.Set<String> ids = new java.util.HashSet<>();
        ClassLoader loader = Database.class.getClassLoader();
        java.util.regex.Pattern include = java.util.regex.Pattern.compile("file:\\s*([^,}\\s]+)");
        java.util.regex.Pattern changeset = java.util.regex.Pattern.compile("^--changeset\\s+[^:\\s]+:(\\S+)", java.util.regex.Pattern.MULTILINE);
        try (var master = loader.getResourceAsStream(CHANGELOG)) {
            if (master == null) {
                return ids;
            }
            java.util.regex.Matcher m = include.matcher(new String(master.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            while (m.find()) {
                try (var in = loader.getResourceAsStream("db/changelog/" + m.group(1))) {
                    if (in == null) {
                        return java.util.Set.of();
                    }
                    java.util.regex.Matcher c = changeset.matcher(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                    while (c.find()) {
                        ids.add(c.group(1));
                    }
                }
            }
        } catch (java.io.IOException e) {
            return java.util.Set.of();
        }
        return ids;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** The URL without credentials. */
    public String displayUrl() {
        return DatabaseUrls.redact(url);
    }

    @Override
    public void close() {
        if (dataSource instanceof JdbcConnectionPool p) {
            p.dispose();
        } else if (dataSource instanceof MariaDbPoolDataSource p) {
            p.close();
        }
    }
}

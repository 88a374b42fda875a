package org.jobmon.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;

/**
 * An open state database: a pooled data source brought up to the current schema, and the Jdbi
 * that all SQL goes through. Open one per process and close it at exit.
 */
public final class Database implements AutoCloseable {
    public static final String CHANGELOG = Changelog.MASTER;
    /** Held so the level set on it is not lost to garbage collection. */
    private static final Logger LIQUIBASE_LOG = Logger.getLogger("liquibase");

    /** How long a borrower waits for a pooled connection, and a new connection for the server. */
    static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(4);
    /** How long opening the embedded database tries again while other processes hand it over. */
    static final Duration H2_HANDOVER_WAIT = Duration.ofSeconds(30);
    private static final org.slf4j.Logger LOG = LoggerFactory.getLogger(Database.class);

    private final String url;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final Dialect dialect;

    private Database(String url, HikariDataSource dataSource, Dialect dialect) {
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

    /**
     * Opens the database at {@code url} and applies any pending schema changes. A connection that
     * cannot be made fails at once with the server's reason in one line. The embedded database's
     * hand-over between processes (AUTO_SERVER: the first process serves the file to the others,
     * and another takes over when it leaves) shows as short-lived lock errors; those are tried
     * again, with jittered backoff, for up to {@link #H2_HANDOVER_WAIT}.
     */
    public static Database open(String given) {
        String url = DatabaseUrls.normalize(given);
        Dialect dialect = dialectOf(url);
        long deadline = System.nanoTime() + H2_HANDOVER_WAIT.toNanos();
        long backoffMillis = 20;
        while (true) {
            try {
                return tryOpen(url, dialect);
            } catch (RuntimeException e) {
                if (dialect != Dialect.H2 || !ConnectionFailures.isTransientH2(e)) {
                    throw failure(e, url);
                }
                if (System.nanoTime() > deadline) {
                    LOG.debug("the embedded database {} stayed locked", DatabaseUrls.redact(url), e);
                    throw new JobmonException(ErrorCode.DATABASE, "the embedded database " + DatabaseUrls.redact(url)
                            + " stayed locked by other processes for " + H2_HANDOVER_WAIT.toSeconds() + " s ("
                            + ConnectionFailures.innermostMessage(e) + "): try again, and check that every process opens it "
                            + "with the same settings (" + DatabaseUrls.H2_SETTINGS.substring(1) + ")");
                }
                LOG.debug("embedded database busy, trying again: {}", ConnectionFailures.innermostMessage(e));
                // backoff is the point here: there is nothing to poll but the lock itself
                sleep(ThreadLocalRandom.current().nextLong(backoffMillis / 2, backoffMillis + 1));
                backoffMillis = Math.min(backoffMillis * 2, 1_000);
            }
        }
    }

    private static Database tryOpen(String url, Dialect dialect) {
        HikariConfig config = poolConfig(url, dialect);
        HikariDataSource ds;
        // The first connection is made here rather than by the pool: the pool sleeps a second
        // after a failed first attempt before it gives up. Held until the pool has its own, so an
        // embedded database is not closed and opened again in between.
        try (Connection first = DriverManager.getConnection(config.getJdbcUrl(), config.getUsername(), config.getPassword())) {
            ds = new HikariDataSource(config);
        } catch (SQLException e) {
            throw new JobmonException(ErrorCode.DATABASE, "cannot connect to the database " + DatabaseUrls.redact(url)
                    + ": " + DatabaseUrls.redact(ConnectionFailures.innermostMessage(e)), e);
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

    /**
     * What the user sees when opening failed: a connection failure as one line with the server's
     * reason (the driver's exception goes to the debug log, not to the user), anything else as it
     * came, with its cause.
     */
    private static RuntimeException failure(RuntimeException e, String url) {
        Optional<String> reason = ConnectionFailures.reason(e, url);
        if (reason.isPresent()) {
            LOG.debug("cannot connect to {}", DatabaseUrls.redact(url), e);
            return new JobmonException(ErrorCode.DATABASE, "cannot connect to the database " + DatabaseUrls.redact(url)
                    + ": " + reason.get());
        }
        if (e instanceof JobmonException j) {
            return j;
        }
        return new JobmonException(ErrorCode.DATABASE, "cannot open the database " + DatabaseUrls.redact(url) + ": "
                + DatabaseUrls.redact(ConnectionFailures.innermostMessage(e)), e);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JobmonException(ErrorCode.DATABASE, "interrupted while opening the database", e);
        }
    }

    /**
     * HikariCP rather than the drivers' own pools: one pool for both databases that checks a
     * connection before handing it out when it sat idle (a restarted server's connections are
     * replaced, not handed out), sets the isolation level on every connection, and tries the
     * URL once at start so a bad one fails at once with the server's reason instead of after a
     * connect timeout (MariaDbPoolDataSource took 30-120 s to say "no connection available").
     */
    static HikariConfig poolConfig(String url, Dialect dialect) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("jobmon");
        switch (dialect) {
            case H2 -> {
                config.setJdbcUrl(url.contains("QUERY_CACHE_SIZE") ? url : url + ";QUERY_CACHE_SIZE=64");
                config.setUsername("sa");
                config.setPassword("");
            }
            // a host that drops packets fails within seconds too (the driver waits 30 s by default)
            case MARIADB -> config.setJdbcUrl(url.contains("connectTimeout=") ? url
                    : url + (url.contains("?") ? "&" : "?") + "connectTimeout=" + CONNECTION_TIMEOUT.toMillis());
        }
        config.setMaximumPoolSize(8);
        // one connection at rest: a shared server sees one idle session per process, not eight
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        // one attempt while opening: a wrong password or an unknown database fails now
        config.setInitializationFailTimeout(1);
        // MariaDB's default is REPEATABLE READ; guarded updates and lease checks read what others committed
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return config;
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

    /**
     * Brings the schema up to date. The common case, nothing to do, costs one query and no
     * Liquibase run; otherwise openers take turns under the {@link SchemaLock}, and each one looks
     * again once it holds it, so only the first of several openers started together migrates.
     */
    private void migrate() {
        try {
            String fingerprint = Changelog.fingerprint();
            if (fingerprint.equals(recordedFingerprint(dataSource))) {
                return;
            }
            if (!upToDate(dataSource)) {
                try (SchemaLock lock = SchemaLock.acquire(dialect, url)) {
                    if (!upToDate(dataSource)) {
                        runLiquibase();
                    }
                }
            }
            recordFingerprint(fingerprint);
        } catch (SQLException e) {
            throw new JobmonException(ErrorCode.DATABASE, "cannot read the schema version of the database "
                    + DatabaseUrls.redact(url) + ": " + DatabaseUrls.redact(ConnectionFailures.innermostMessage(e)), e);
        }
    }

    private void runLiquibase() throws SQLException {
        if (LIQUIBASE_LOG.getLevel() == null) {
            // Liquibase speaks only when asked (-v: debug logging for Jobmon); a failure reaches the user as Jobmon's own error
            LIQUIBASE_LOG.setLevel(LOG.isDebugEnabled() ? Level.INFO : Level.OFF);
        }
        try (Connection c = dataSource.getConnection()) {
            liquibase.database.Database ldb = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(c));
            Scope.child(Changelog.scope(), () -> {
                Liquibase lb = new Liquibase(CHANGELOG, Changelog.resources(), ldb);
                // Every opener takes the SchemaLock before Liquibase, so a Liquibase lock still held
                // now was left by a process killed mid-migration: it must not make us wait.
                lb.forceReleaseLocks();
                lb.update("");
            });
        } catch (SQLException e) {
            throw e;
        } catch (Exception e) {
            throw new JobmonException(ErrorCode.DATABASE, "cannot bring database " + DatabaseUrls.redact(url)
                    + " to the current schema: " + e.getMessage(), e);
        }
    }

    /**
     * True when every changeset of the changelog, as Liquibase parses it, has its row (id, author
     * and file) in DATABASECHANGELOG. A fresh database has no such table: that is looked up in the
     * catalog rather than by a failing query, which drivers log as an error.
     */
    static boolean upToDate(DataSource dataSource) throws SQLException {
        List<Changelog.ChangesetId> expected = Changelog.changesets();
        try (Connection c = dataSource.getConnection()) {
            try (ResultSet tables = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "DATABASECHANGELOG", null)) {
                if (!tables.next()) {
                    return false;
                }
            }
            Set<Changelog.ChangesetId> applied = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT ID, AUTHOR, FILENAME FROM DATABASECHANGELOG")) {
                while (rs.next()) {
                    applied.add(new Changelog.ChangesetId(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return applied.containsAll(expected);
        }
    }

    /** The changelog fingerprint recorded when Liquibase last found the schema current; null if none. */
    static String recordedFingerprint(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT changelog_sha256 FROM schema_fingerprint WHERE id = 1")) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            // no such table yet (a database of an older schema): the full check decides
            return null;
        }
    }

    /** Records that the schema is current for this changelog; an account that may not write skips it. */
    private void recordFingerprint(String fingerprint) {
        try {
            jdbi.useTransaction(h -> {
                if (h.createUpdate("UPDATE schema_fingerprint SET changelog_sha256 = :f, recorded_date = CURRENT_TIMESTAMP(6) "
                        + "WHERE id = 1").bind("f", fingerprint).execute() == 0) {
                    h.createUpdate("INSERT INTO schema_fingerprint (id, changelog_sha256) VALUES (1, :f)").bind("f", fingerprint)
                            .execute();
                }
            });
        } catch (RuntimeException e) {
            // read-only accounts, or another process recording it at the same moment: the next open checks in full
            LOG.debug("cannot record the schema fingerprint: {}", e.getMessage());
        }
    }

    /** The ids of the changesets in the changelog, as Liquibase reads it. */
    static Set<String> changesetIds() {
        Set<String> ids = new HashSet<>();
        Changelog.changesets().forEach(c -> ids.add(c.id()));
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
        dataSource.close();
    }
}

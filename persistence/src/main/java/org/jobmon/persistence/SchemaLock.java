package org.jobmon.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

/**
 * Held while one opener brings the schema up to date, so that openers started together take turns
 * instead of racing to create Liquibase's tables. It dies with its holder: on MariaDB a named
 * server lock (GET_LOCK) on a connection of its own, on H2 an OS file lock beside the database
 * file. Either way a process killed mid-migration blocks nobody.
 */
abstract class SchemaLock implements AutoCloseable {
    /** How long an opener waits for another one's migration: a large upgrade may take a while. */
    static final Duration WAIT = Duration.ofMinutes(5);

    @Override
    public abstract void close();

    static SchemaLock acquire(Database.Dialect dialect, String url) {
        return switch (dialect) {
            case MARIADB -> MariaDbLock.acquire(url);
            case H2 -> H2Lock.acquire(url);
        };
    }

    private static JobmonException timedOut(String url, String holder) {
        return new JobmonException(ErrorCode.DATABASE, "waited " + WAIT.toMinutes() + " minutes for " + holder
                + " to bring the database " + DatabaseUrls.redact(url) + " to the current schema: if no jobmon is "
                + "starting, stop the process that holds it, then try again");
    }

    private static final class MariaDbLock extends SchemaLock {
        private static final String NAME = "LEFT(CONCAT('jobmon_schema_', DATABASE()), 64)";
        private final Connection connection;

        private MariaDbLock(Connection connection) {
            this.connection = connection;
        }

        static SchemaLock acquire(String url) {
            Connection c = null;
            try {
                // not a pooled connection: if releasing fails, closing it still frees the lock
                c = DriverManager.getConnection(url);
                try (PreparedStatement s = c.prepareStatement("SELECT GET_LOCK(" + NAME + ", ?)")) {
                    s.setLong(1, WAIT.toSeconds());
                    try (ResultSet rs = s.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) != 1) {
                            throw timedOut(url, holder(c));
                        }
                    }
                }
                return new MariaDbLock(c);
            } catch (SQLException e) {
                closeQuietly(c);
                throw new JobmonException(ErrorCode.DATABASE, "cannot take the schema lock on " + DatabaseUrls.redact(url)
                        + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
        }

        private static String holder(Connection c) throws SQLException {
            try (PreparedStatement s = c.prepareStatement("SELECT IS_USED_LOCK(" + NAME + ")"); ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getObject(1) != null ? "the process on server connection " + rs.getLong(1)
                        : "another process";
            }
        }

        @Override
        public void close() {
            try (PreparedStatement s = connection.prepareStatement("SELECT RELEASE_LOCK(" + NAME + ")")) {
                s.execute();
            } catch (SQLException e) {
                // closing the session below frees the lock all the same
            } finally {
                closeQuietly(connection);
            }
        }

        private static void closeQuietly(Connection c) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException e) {
                    // nothing more to free
                }
            }
        }
    }

    private static final class H2Lock extends SchemaLock {
        /** A file lock belongs to the whole JVM, so threads of one process take turns here first. */
        private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
        private final ReentrantLock inProcess;
        private final FileChannel channel;
        private final FileLock fileLock;

        private H2Lock(ReentrantLock inProcess, FileChannel channel, FileLock fileLock) {
            this.inProcess = inProcess;
            this.channel = channel;
            this.fileLock = fileLock;
        }

        static SchemaLock acquire(String url) {
            Optional<Path> file = DatabaseUrls.h2File(url);
            Path key = file.map(Path::toAbsolutePath).orElse(Path.of(url));
            ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
            long deadline = System.nanoTime() + WAIT.toNanos();
            try {
                if (!inProcess.tryLock(WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw timedOut(url, "another thread of this process");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobmonException(ErrorCode.DATABASE, "interrupted while waiting for the schema lock of "
                        + DatabaseUrls.redact(url), e);
            }
            if (file.isEmpty()) {
                // an in-memory or remote H2 database: no file of ours to lock beside it
                return new H2Lock(inProcess, null, null);
            }
            Path lockFile = file.get().resolveSibling(file.get().getFileName() + ".schema.lock");
            FileChannel channel = null;
            try {
                Files.createDirectories(lockFile.getParent());
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                while (lock == null) {
                    if (System.nanoTime() > deadline) {
                        throw timedOut(url, "another process");
                    }
                    // the holder is migrating (seconds at most, as a rule); look again shortly
                    Thread.sleep(25);
                    lock = channel.tryLock();
                }
                return new H2Lock(inProcess, channel, lock);
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                try {
                    if (channel != null) {
                        channel.close();
                    }
                } catch (IOException ignored) {
                    // the lock goes with the channel
                }
                inProcess.unlock();
                if (e instanceof JobmonException j) {
                    throw j;
                }
                throw new JobmonException(ErrorCode.DATABASE, "cannot lock " + lockFile + " to bring the database "
                        + DatabaseUrls.redact(url) + " to the current schema: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                if (fileLock != null) {
                    fileLock.release();
                }
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // closing the channel frees the lock; nothing else to do
            } finally {
                inProcess.unlock();
            }
        }
    }
}

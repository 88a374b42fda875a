package org.jobmon.persistence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded database served while workflows use it. With H2's auto-server mode the first
 * process to open the file serves it to the others, and when that process ends the others race to
 * take it over: with several runs starting and ending together, that hand-over fails for some.
 * So the runs of the command line first make sure a small keeper process holds the file: it opens
 * it before anyone else (the openers go one at a time, under a lock file), serves it to every run,
 * and leaves only after nobody has used it for a while, so no run ever sees a hand-over.
 *
 * <p>Files beside the database: {@code <db>.keeper.lock} (openers take turns), {@code
 * <db>.keeper.alive} (locked by the keeper while it lives; says "ready" once it serves), {@code
 * <db>.keeper.log}.
 */
public final class EmbeddedKeeper {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKeeper.class);
    /** How long the keeper stays after the last other session left. */
    static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final ConcurrentHashMap<Path, Object> IN_PROCESS = new ConcurrentHashMap<>();

    private EmbeddedKeeper() {
    }

    /** The file path of an embedded H2 file URL ({@code jdbc:h2:file:PATH;...}), if it is one. */
    static Optional<Path> databaseFile(String url) {
        if (!url.startsWith("jdbc:h2:file:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:file:".length());
        int semi = rest.indexOf(';');
        return Optional.of(Path.of(semi < 0 ? rest : rest.substring(0, semi)).toAbsolutePath());
    }

    /**
     * Makes sure a keeper serves the embedded database at {@code url} (nothing to do for any other
     * URL). Returns once it does; if none can be started, the caller opens the file itself as before.
     */
    public static void ensure(String url) {
        Optional<Path> file = databaseFile(url);
        if (file.isEmpty()) {
            return;
        }
        Path base = file.get();
        Path alive = Path.of(base + ".keeper.alive");
        Object inProcess = IN_PROCESS.computeIfAbsent(base, k -> new Object());
        synchronized (inProcess) {
            try {
                Files.createDirectories(base.getParent());
                try (FileChannel turn = FileChannel.open(Path.of(base + ".keeper.lock"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE); FileLock ignored = turn.lock()) {
                    if (ready(alive)) {
                        return;
                    }
                    // with Jobmon's settings (AUTO_SERVER): a keeper that opened the file without them would lock everyone out
                    Process keeper = start(DatabaseUrls.normalize(url), base, alive);
                    long deadline = System.nanoTime() + START_WAIT.toNanos();
                    while (!ready(alive)) {
                        if (!keeper.isAlive() && keeper.exitValue() == SERVED_BY_ANOTHER) {
                            log.debug("another process serves the embedded database {}; no keeper needed", base);
                            return;
                        }
                        if (!keeper.isAlive() || System.nanoTime() > deadline) {
                            log.warn("the keeper of the embedded database {} did not start (see {}.keeper.log); opening it directly",
                                    base, base);
                            return;
                        }
                        Thread.sleep(20);
                    }
                }
            } catch (IOException | UnsupportedOperationException e) {
                log.debug("cannot start a keeper for {}: {}", base, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True when a live keeper holds the alive file and has said it serves the database. */
    static boolean ready(Path alive) {
        if (!Files.exists(alive)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(alive, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe != null) {
                probe.release();
                return false;
            }
        } catch (OverlappingFileLockException e) {
            // this very process is the keeper
        } catch (IOException e) {
            return false;
        }
        try {
            return Files.readString(alive, StandardCharsets.UTF_8).startsWith("ready");
        } catch (IOException e) {
            return false;
        }
    }

    private static Process start(String url, Path base, Path alive) throws IOException {
        List<String> cmd = new ArrayList<>();
        // its own session: a Ctrl-C in the terminal of the run that started it must not end it
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                EmbeddedKeeper.class.getName(), url, alive.toString(),
                Long.toString(Long.getLong("jobmon.embedded_keeper_idle_s", DEFAULT_IDLE.toSeconds()))));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of(base + ".keeper.log").toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    /** The keeper: {@code EmbeddedKeeper URL ALIVE_FILE IDLE_SECONDS}. */
    public static void main(String[] args) throws Exception {
        String url = args[0];
        Path alive = Path.of(args[1]);
        Duration idle = Duration.ofSeconds(Long.parseLong(args[2]));
        try (FileChannel ch = FileChannel.open(alive, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock()) {
            if (lock == null) {
                return; // another keeper lives
            }
            ch.truncate(0);
            try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
                if (servedByAnother(s)) {
                    // Another process already serves the file: a keeper that is only a client keeps nothing
                    // (and would take the file over, wherever it then is, when that process leaves).
                    System.exit(SERVED_BY_ANOTHER);
                }
                ch.write(ByteBuffer.wrap(("ready " + ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                ch.force(true);
                long idleSince = System.nanoTime();
                while (System.nanoTime() - idleSince < idle.toNanos()) {
                    TimeUnit.SECONDS.sleep(1);
                    if (otherSessions(s) > 0) {
                        idleSince = System.nanoTime();
                    }
                }
            } finally {
                ch.truncate(0);
            }
        }
    }

    /** The keeper's exit code when another process already serves the file. */
    static final int SERVED_BY_ANOTHER = 3;

    /** True when this connection reached the file through another process's server. */
    private static boolean servedByAnother(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT CLIENT_ADDR FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()")) {
            return rs.next() && rs.getString(1) != null;
        }
    }

    private static int otherSessions(Statement s) {
        // Other processes reach the keeper over TCP, so their sessions have a client address. The
        // keeper's own session is left out, and so is an embedded one that H2 may open for the keeper
        // when it takes over the file from a process that served it before.
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
                + "WHERE SESSION_ID <> SESSION_ID() AND CLIENT_ADDR IS NOT NULL")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            // the file is gone or served by nobody it can reach: it serves nobody either, so it counts as idle
            return 0;
        }
    }
}

package org.jobmon.persistence;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A MariaDB server of a test's own, on a free port with its own data folder, that the test may
 * stop and start again (an outage) without touching the machine's server. Needs Debian's
 * mariadb-server package (mariadbd, mariadb-install-db); skipped without it unless MariaDB tests
 * are required.
 */
public final class TestMariaDbServer implements AutoCloseable {
    private static final Path SERVER = Path.of("/usr/sbin/mariadbd");
    private static final Path INSTALL = Path.of("/usr/bin/mariadb-install-db");

    private final Path dir;
    private final int port;
    private Process process;

    private TestMariaDbServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Creates a data folder under {@code dir} and starts a server on a free port. */
    public static TestMariaDbServer start(Path dir) throws IOException, InterruptedException {
        boolean present = Files.isExecutable(SERVER) && Files.isExecutable(INSTALL);
        if (!present && Boolean.parseBoolean(System.getenv(TestDatabases.REQUIRE_ENV))) {
            throw new IllegalStateException("mariadbd is required (" + TestDatabases.REQUIRE_ENV + "=true) but not installed");
        }
        assumeTrue(present, "outage tests skipped: they start a MariaDB server of their own (apt-get install mariadb-server)");
        Path data = dir.resolve("data");
        Process install = new ProcessBuilder(INSTALL.toString(), "--no-defaults", "--datadir=" + data, "--user=root",
                "--auth-root-authentication-method=normal", "--skip-test-db").redirectErrorStream(true)
                .redirectOutput(dir.resolve("install.log").toFile()).start();
        if (!install.waitFor(60, TimeUnit.SECONDS) || install.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db failed: " + Files.readString(dir.resolve("install.log")));
        }
        TestMariaDbServer server;
        try (ServerSocket s = new ServerSocket(0)) {
            server = new TestMariaDbServer(dir, s.getLocalPort());
        }
        server.startAgain();
        try (Connection c = DriverManager.getConnection(server.rootUrl("")); var st = c.createStatement()) {
            st.execute("CREATE DATABASE jobmon");
        } catch (SQLException e) {
            server.close();
            throw new IllegalStateException("cannot create the test database", e);
        }
        return server;
    }

    public int port() {
        return port;
    }

    /** The URL of the server's {@code jobmon} database. */
    public String url() {
        return rootUrl("jobmon");
    }

    private String rootUrl(String db) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + db + "?user=root";
    }

    /** Starts the server (again) on the same port and data, and waits until it answers. */
    public void startAgain() throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of(SERVER.toString(), "--no-defaults", "--datadir=" + dir.resolve("data"),
                "--port=" + port, "--bind-address=127.0.0.1", "--socket=" + dir.resolve("sock"),
                "--pid-file=" + dir.resolve("pid"), "--user=root", "--innodb-buffer-pool-size=32M"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Connection c = DriverManager.getConnection(rootUrl("") + "&connectTimeout=500")) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("the test's MariaDB server did not start: " + Files.readString(dir.resolve("server.log")), e);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Stops the server (SIGKILL: as a crash or a cut network looks to clients) and waits until it is gone. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}

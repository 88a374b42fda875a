package org.jobmon.cli.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jobmon.cli.ExitCodes;
import org.jobmon.persistence.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that cannot be reached fails a command within seconds, exit 1, with one line that
 * gives the server's reason and no stack trace; the password never shows.
 */
class ConnectionFailureIT {
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final String SPEC = """
            tool: t
            workflow: {name: w, workflow_args: connection_failure, executor: sequential}
            task_templates:
              echo: {command_template: "true {n}", node_args: [n]}
            tasks:
              - {template: echo, foreach: {n: [1]}}
            """;

    @TempDir
    Path dir;

    @Test
    void wrongPassword() throws Exception {
        String url = mariaDbUrl().replace("?user=root", "?user=root&password=not-the-password");
        for (Failed f : runBoth(url)) {
            f.assertOneLine("access denied for user 'root'");
            assertThat(f.stderr).doesNotContain("not-the-password");
        }
    }

    @Test
    void unknownUser() throws Exception {
        String url = mariaDbUrl().replace("?user=root", "?user=nobody_of_jobmon&password=whatever");
        for (Failed f : runBoth(url)) {
            f.assertOneLine("access denied for user 'nobody_of_jobmon'");
        }
    }

    @Test
    void unknownDatabase() throws Exception {
        String url = mariaDbUrl().replaceFirst("/jobmon_test_[0-9a-f]+", "/no_such_jobmon_db");
        for (Failed f : runBoth(url)) {
            f.assertOneLine("unknown database 'no_such_jobmon_db'");
        }
    }

    @Test
    void nothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free once closed: nothing listens there
        }
        String url = "jdbc:mariadb://127.0.0.1:" + port + "/jobmon?user=root&password=secret";
        for (Failed f : runBoth(url)) {
            f.assertOneLine("nothing listens on 127.0.0.1:" + port);
            assertThat(f.stderr).doesNotContain("secret");
        }
    }

    private static String mariaDbUrl() {
        return TestDatabases.freshMariaDb();
    }

    /** A status command and a run, each as a process of its own. */
    private List<Failed> runBoth(String url) throws Exception {
        Path spec = dir.resolve("spec.yaml");
        Files.writeString(spec, SPEC);
        return List.of(run(url, "workflow_status"), run(url, "run", spec.toString()));
    }

    private Failed run(String url, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.jobmon.cli.JobmonCli"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--db", url));
        Path err = Files.createTempFile(dir, "jobmon", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
        pb.environment().put("JOBMON_HOME", dir.resolve("home").toString());
        long start = System.nanoTime();
        Process p = pb.start();
        boolean ended = p.waitFor(120, TimeUnit.SECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        if (!ended) {
            p.destroyForcibly();
        }
        return new Failed(String.join(" ", args), ended ? p.exitValue() : -1, took, Files.readString(err));
    }

    private record Failed(String command, int exit, Duration took, String stderr) {
        void assertOneLine(String reason) {
            String what = "jobmon " + command + " took " + took.toMillis() + " ms, exit " + exit + ", stderr:\n" + stderr;
            assertThat(exit).as(what).isEqualTo(ExitCodes.FAILED);
            // the JVM's own start-up is part of it: a second or two on a busy machine
            assertThat(took).as(what).isLessThan(LIMIT);
            assertThat(stderr.lines().toList()).as(what).hasSize(1);
            assertThat(stderr).as(what).startsWith("jobmon: ").containsIgnoringCase(reason)
                    .doesNotContain("Exception", "\tat ");
        }
    }
}

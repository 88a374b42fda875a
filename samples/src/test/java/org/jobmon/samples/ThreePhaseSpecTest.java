package org.jobmon.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import org.jobmon.cli.CliContext;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.RunEngine;
import org.jobmon.cli.spec.KnownExecutors;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

/** {@code jobmon run three_phase.yaml -n} on a copy of {@code samples/three_phase}, in-process, on a fresh database. */
class ThreePhaseSpecTest {
    @TempDir
    Path dir;

    @Test
    void theSpecRunsAllThirtyOneTasksAndSummarizeWritesTheTotal() throws IOException {
        Path copy = copyWithoutOutputs(ThreePhaseExample.findThreePhaseFolder(), dir.resolve("three_phase"));
        // The real engine and executors; instance records under the test's folder, not ~/.jobmon.
        CliContext context = new CliContext(RunEngine.jobmon(b -> b.workRoot(dir.resolve("runs"))), Clock.systemUTC(),
                false, KnownExecutors.installed());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new JobmonCli(context).commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int code = cli.execute("run", copy.resolve("three_phase.yaml").toString(), "-n",
                "--db", DatabaseUrls.embedded(dir.resolve("db")));

        assertThat(code).as("exit code; stderr:%n%s", err).isZero();
        List<String> lines = out.toString().lines().toList();
        JsonNode summary = new ObjectMapper().readTree(lines.get(lines.size() - 1));
        assertThat(summary.get("status").asText()).isEqualTo("DONE");
        assertThat(summary.get("tasks").asInt()).isEqualTo(31);
        assertThat(summary.get("done").asInt()).isEqualTo(31);
        assertThat(summary.get("fatal").asInt()).isZero();
        // Relative paths in the spec are the spec's folder's: outputs and logs land in the copy.
        assertThat(Files.readString(copy.resolve("out/aggregate/10.txt")).strip()).isEqualTo("203");
        assertThat(Files.readString(copy.resolve("out/summarize/summary_0.txt")).strip())
                .isEqualTo(Long.toString(ThreePhaseExampleTest.expectedTotal()));
        try (Stream<Path> logs = Files.list(copy.resolve("out/logs"))) {
            assertThat(logs.filter(f -> f.getFileName().toString().startsWith("summarize_0.o"))).hasSize(1);
        }
    }

    /** Copies the folder, leaving out {@code out/} (a developer's earlier run). */
    private static Path copyWithoutOutputs(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.filter(p -> !from.relativize(p).startsWith("out")).forEach(p -> {
                try {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return to;
    }
}

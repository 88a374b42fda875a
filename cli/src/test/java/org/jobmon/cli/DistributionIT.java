package org.jobmon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code bin/jobmon} as a user runs it: the first status command makes the
 * class-data sharing archive (whole, under its final name only), later commands map it, nothing
 * about it is ever printed, and {@code JOBMON_CDS=off} leaves it alone.
 */
class DistributionIT {
    @TempDir
    Path tmp;

    private Path home;

    @BeforeEach
    void distribution() throws IOException {
        home = Path.of("target/jobmon").toAbsolutePath();
        assertThat(home.resolve("bin/jobmon")).as("the distribution is built in the package phase").isExecutable();
        deleteArchives();
    }

    private void deleteArchives() throws IOException {
        Path cds = home.resolve("cds");
        if (Files.isDirectory(cds)) {
            try (Stream<Path> files = Files.list(cds)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private List<Path> archives() throws IOException {
        Path cds = home.resolve("cds");
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(cds)) {
            return files.toList();
        }
    }

    private record Ran(int code, String out, String err) {
    }

    private Ran jobmon(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(home.resolve("bin/jobmon").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        pb.environment().put("JOBMON_HOME", tmp.resolve("jobmon-home").toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    @Test
    void theFirstStatusCommandMakesTheArchiveAndLaterCommandsMapItSilently() throws Exception {
        String db = "jdbc:h2:file:" + tmp.resolve("db/jobmon");
        assertThat(jobmon(Map.of(), "--version").code()).isZero();
        assertThat(archives()).as("--version loads too little to be archived").isEmpty();

        Ran first = jobmon(Map.of(), "workflow_status", "--db", db);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(archives()).as("one archive, under its final name").hasSize(1)
                .allSatisfy(a -> assertThat(a.getFileName().toString()).matches("jobmon-\\d+\\.jsa"));

        Path classes = tmp.resolve("classes.log");
        Ran second = jobmon(Map.of("JOBMON_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes), "workflow_status", "--db", db);
        assertThat(second.code()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        assertThat(second.err()).isEqualTo(first.err()).doesNotContain("cds").doesNotContain("[warning]");
        assertThat(Files.readString(classes)).as("Jobmon's and H2's classes come from the archive")
                .containsPattern("org\\.jobmon\\.cli\\.JobmonCli source: shared objects file \\(top\\)")
                .containsPattern("org\\.h2\\.engine\\.Database source: shared objects file \\(top\\)");
    }

    @Test
    void aRunNeverMakesTheArchiveAndJobmonCdsOffLeavesItAlone() throws Exception {
        Path spec = tmp.resolve("one.yaml");
        Files.writeString(spec, TestSpecs.oneTrueTask("dist_it"));
        Ran run = jobmon(Map.of(), "--db", "jdbc:h2:file:" + tmp.resolve("db/jobmon"), "run", "-n", spec.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(archives()).isEmpty();

        Ran off = jobmon(Map.of("JOBMON_CDS", "off"), "--version");
        assertThat(off.code()).isZero();
        assertThat(archives()).isEmpty();
    }
}

package org.jobmon.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jobmon.cli.CliResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobmon report} on a real run of a small three-phase workflow in which one location fails:
 * one self-contained file with the counts, the template DAG (one node per template), the grouped
 * error and the run. (That it renders offline in a browser is for the browser tests.)
 */
@Tag("engine")
class ReportTest {
    @TempDir
    static Path dir;
    static ReportFixture fixture;
    static long workflowId;

    @BeforeAll
    static void runIt() {
        fixture = ReportFixture.run(dir);
        workflowId = fixture.workflowId();
    }

    private static CliResult jobmon(String... args) {
        return fixture.jobmon(args);
    }

    @Test
    void theReportIsOneFileWithTheCountsTheTemplateDagTheGroupedErrorAndTheRun() throws Exception {
        Path file = dir.resolve("out/report.html");
        CliResult r = jobmon("report", "-w", Long.toString(workflowId), "-o", file.toString()).exits(0);
        assertThat(r.out().strip()).isEqualTo(file.toAbsolutePath().toString());
        String html = Files.readString(file);
        Path plain = Files.createFile(dir.resolve("out/any-new-file"));
        assertThat(Files.getPosixFilePermissions(file)).as("made with the user's umask, as any new file of theirs, to be shared")
                .isEqualTo(Files.getPosixFilePermissions(plain));
        Files.delete(plain);

        assertThat(html).startsWith("<!DOCTYPE html>").contains("report &lt;wf&gt; &amp; co").doesNotContain("<wf>");
        assertThat(html).as("nothing fetched from anywhere").doesNotContainPattern("(?i)(src|href)\\s*=")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
        ReportFixture.assertCountsAndTemplateDag(html);
        assertThat(html).as("both attempts of location 3, grouped").containsPattern("<td class=\"num\">2</td><td><code>ValueError: no "
                + "data for location 3</code></td><td>transform_3 \\(task \\d+\\)</td>");
        assertThat(html).contains("<td>ERROR</td><td>" + System.getProperty("user.name") + "</td>");
        assertThat(html).as("a timeline bar for each of the six attempts that ran").contains("<svg id=\"timeline\"");
        assertThat(html.split("<rect class=\"attempt\"", -1)).hasSize(7);
        assertThat(html.split("fill=\"#c62828\"><title>attempt", -1)).as("transform_3's two failed attempts in red").hasSize(3);
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("no temporary file left").containsExactly("report.html");
        }
    }

    @Test
    void anUnknownWorkflowOrAnUnwritablePlaceIsSaidWithTheFix() throws Exception {
        CliResult none = jobmon("report", "-w", "424242");
        assertThat(none.exitCode()).isNotZero();
        assertThat(none.err()).contains("no workflow 424242");
        Path blocker = dir.resolve("a_file");
        Files.writeString(blocker, "x");
        CliResult bad = jobmon("report", "-w", Long.toString(workflowId), "-o", blocker.resolve("r.html").toString());
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.err()).contains("cannot write the report to").contains("-o FILE").doesNotContain("Exception");
    }
}

package org.jobmon.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a real run, rendered by a real headless browser with networking off: every part is
 * there after load, and a screenshot of it is made (cli/target/screenshots/report.png, the one the
 * README shows).
 */
class ReportBrowserIT {
    @TempDir
    Path dir;

    @Test
    void theReportRendersOfflineWithItsCountsDagAndErrors() throws Exception {
        HeadlessBrowser.chromium();
        ReportFixture run = ReportFixture.run(dir);
        Path report = dir.resolve("report.html");
        run.jobmon("report", "-w", Long.toString(run.workflowId()), "-o", report.toString()).exits(0);
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);
        Path png = shots.resolve("report.png");
        Files.deleteIfExists(png);

        String dom = HeadlessBrowser.render(report, png, 1100, 900);

        assertThat(dom).contains("<b id=\"wf-status\">FAILED</b>");
        assertThat(dom).contains("<td data-bucket=\"TOTAL\">6</td>").contains("<td data-bucket=\"FATAL\">1</td>");
        assertThat(dom).contains("data-template=\"transform\" data-total=\"5\" data-done=\"4\"")
                .contains("data-template=\"aggregate\" data-total=\"1\"");
        assertThat(dom).contains("ValueError: no data for location 3");
        assertThat(png).exists();
        assertThat(Files.size(png)).as("a picture of the page, not an empty one").isGreaterThan(10_000);
    }
}

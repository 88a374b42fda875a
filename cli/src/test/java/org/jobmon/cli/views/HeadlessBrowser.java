package org.jobmon.cli.views;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's chromium, headless, with every network request failing: what the tests of the pages
 * Jobmon writes render them with. Without a chromium the tests skip with a message; with
 * {@code JOBMON_REQUIRE_BROWSER=true} (as CI sets it, after installing one) they fail instead.
 */
final class HeadlessBrowser {
    static final String REQUIRE_ENV = "JOBMON_REQUIRE_BROWSER";

    private HeadlessBrowser() {
    }

    static Path chromium() {
        return installed("chromium", "chromium", List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"));
    }

    /** Debian's chromedriver, for tests that drive the browser (skipped or failed, as for the browser, without it). */
    static Path chromedriver() {
        chromium();
        return installed("chromedriver", "chromium-driver", List.of("/usr/bin/chromedriver"));
    }

    /** The first of {@code places} that is a program; without one the test skips, or fails when the browser is required. */
    private static Path installed(String what, String debianPackage, List<String> places) {
        for (String candidate : places) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        if (Boolean.parseBoolean(System.getenv(REQUIRE_ENV))) {
            throw new IllegalStateException("a headless browser is required (" + REQUIRE_ENV + "=true) but no " + what + " is installed: "
                    + "apt-get install " + debianPackage + " (.ci/run does)");
        }
        return Assumptions.abort("browser tests skipped: no " + what + " installed (apt-get install " + debianPackage + ")");
    }

    /** Renders {@code page} offline and returns the DOM after load; {@code screenshot}, if given, gets a PNG of it. */
    static String render(Path page, Path screenshot, int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("jobmon-chromium-");
        List<String> common = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                // networking off: every host resolves to nothing, and any proxying goes to a closed port
                "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--window-size=" + width + "," + height));
        try {
            if (screenshot != null) {
                List<String> shot = new ArrayList<>(common);
                shot.add("--screenshot=" + screenshot.toAbsolutePath());
                shot.add(page.toUri().toString());
                run(shot, profile.resolve("shot.log"));
            }
            List<String> dump = new ArrayList<>(common);
            dump.add("--dump-dom");
            dump.add(page.toUri().toString());
            return run(dump, profile.resolve("dump.log"));
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String run(List<String> command, Path log) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jobmon-chromium-", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("chromium did not finish within 90 s: " + String.join(" ", command));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(log));
            }
            return text;
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

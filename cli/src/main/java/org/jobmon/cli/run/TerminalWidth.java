package org.jobmon.cli.run;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The terminal's width in columns: {@code COLUMNS} when the shell exports it, else what
 * {@code stty size} says about the controlling terminal, asked at most every two seconds (so that a
 * resized window is followed), else 80.
 */
final class TerminalWidth {
    private static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int DEFAULT = 80;
    private static long askedAt;
    private static int cached = -1;

    private TerminalWidth() {
    }

    static synchronized int current() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{1,4}") && Integer.parseInt(columns) > 0) {
            return Integer.parseInt(columns);
        }
        long now = System.nanoTime();
        if (cached < 0 || now - askedAt > REFRESH_NANOS) {
            askedAt = now;
            cached = stty();
        }
        return cached;
    }

    private static int stty() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return DEFAULT;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("\\d+ \\d+")) {
                int cols = Integer.parseInt(out.split(" ")[1]);
                return cols > 0 ? cols : DEFAULT;
            }
        } catch (IOException e) {
            return DEFAULT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT;
    }
}

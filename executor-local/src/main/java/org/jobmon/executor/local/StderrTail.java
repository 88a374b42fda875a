package org.jobmon.executor.local;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the end of an instance's stderr file for the error log: at most the last 10 KiB and 100 lines. */
public final class StderrTail {
    static final int MAX_BYTES = 10 * 1024;
    static final int MAX_LINES = 100;
    private static final Logger log = LoggerFactory.getLogger(StderrTail.class);

    private StderrTail() {
    }

    /** The tail of {@code file}, or "" when it is missing or unreadable. */
    public static String read(Path file) {
        byte[] bytes;
        boolean cut;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - MAX_BYTES);
            bytes = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(bytes);
            cut = from > 0;
        } catch (FileNotFoundException e) {
            return "";
        } catch (IOException e) {
            log.debug("Could not read the stderr file {}", file, e);
            return "";
        }
        return lastLines(new String(bytes, StandardCharsets.UTF_8), cut);
    }

    /** Keeps the last {@link #MAX_LINES} lines; drops a first line that was cut in the middle. */
    static String lastLines(String text, boolean cut) {
        int start = 0;
        if (cut) {
            int firstNewline = text.indexOf('\n');
            if (firstNewline >= 0 && firstNewline < text.length() - 1) {
                start = firstNewline + 1;
            }
        }
        int end = text.length();
        int searchFrom = text.endsWith("\n") ? end - 2 : end - 1;
        int lines = 1;
        for (int i = searchFrom; i >= start; i--) {
            if (text.charAt(i) == '\n') {
                if (lines == MAX_LINES) {
                    start = i + 1;
                    break;
                }
                lines++;
            }
        }
        return text.substring(start, end);
    }
}

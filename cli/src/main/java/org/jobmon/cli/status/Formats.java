package org.jobmon.cli.status;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** How the status commands write numbers, times and JSON. */
public final class Formats {
    private static final ObjectMapper JSON = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS).build();
    private static final DateTimeFormatter TABLE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter JSON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private Formats() {
    }

    /** {@code 12 (40%)}; the percentage is rounded down, so 100% means all. */
    static String countWithPercent(long n, long total) {
        long pct = total == 0 ? 0 : n * 100 / total;
        return n + " (" + pct + "%)";
    }

    /** Database time to the minute, for tables. */
    static String tableTime(LocalDateTime t) {
        return t == null ? "-" : TABLE_TIME.format(t);
    }

    /** Database time to the second, ISO-8601 without a zone (the database's local time), for JSON. */
    static String jsonTime(LocalDateTime t) {
        return t == null ? null : JSON_TIME.format(t);
    }

    /** {@code 3.2 s 12.5 MiB}: wallclock and max RSS, "-" for what is not known. */
    static String usage(Double wallclockSeconds, Long maxRssBytes) {
        String wall = wallclockSeconds == null ? "-" : wallclockSeconds < 60 ? String.format(Locale.ROOT, "%.1f s", wallclockSeconds)
                : duration(Math.round(wallclockSeconds));
        return wall + " " + (maxRssBytes == null ? "-" : bytes(maxRssBytes));
    }

    private static String duration(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    public static String bytes(long b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? b + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** The last non-blank line of an error description, where the actual error usually is. */
    public static String lastLine(String text) {
        if (text == null) {
            return null;
        }
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** 1, 2 and 3 (up to {@code max}, then "and N more"). */
    static String list(Collection<?> items, int max) {
        List<String> shown = items.stream().limit(max).map(String::valueOf).toList();
        String head = String.join(", ", shown);
        return items.size() > max ? head + " and " + (items.size() - max) + " more" : head;
    }

    static String ids(Collection<Long> ids) {
        return ids.stream().sorted().map(String::valueOf).collect(Collectors.joining(", "));
    }

    /** One line: a JSON array of the rows, each an object with its keys in order. */
    static void printJson(PrintWriter out, List<? extends Map<String, ?>> rows) {
        try {
            out.println(JSON.writeValueAsString(rows));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    static void printLines(PrintWriter out, List<String> lines) {
        lines.forEach(out::println);
        out.flush();
    }
}

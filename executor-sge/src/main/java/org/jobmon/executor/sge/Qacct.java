package org.jobmon.executor.sge;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads what {@code qacct -j} prints: one record per job or array member, separated by a line of '='. */
final class Qacct {
    private Qacct() {
    }

    /**
     * One accounting record.
     *
     * @param executorId {@code 22} or {@code 22.3} for member 3 of an array
     * @param failed Grid Engine's failure code (0: the job ran; 37: a limit enforced by the qmaster; 100: killed by a signal)
     * @param failedText the words after the failure code
     * @param exitStatus the job script's exit status
     */
    record Record(String executorId, String hostname, String queue, String jobName, int failed, String failedText, int exitStatus,
            OptionalDouble wallclockSeconds, OptionalLong maxvmemBytes, OptionalLong maxrssBytes, int slots, String category) {
    }

    static List<Record> parse(String text) {
        List<Record> records = new ArrayList<>();
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("=====")) {
                add(fields, records);
                fields = new HashMap<>();
                continue;
            }
            int space = line.indexOf(' ');
            if (space > 0) {
                fields.put(line.substring(0, space), line.substring(space).trim());
            }
        }
        add(fields, records);
        return records;
    }

    private static void add(Map<String, String> f, List<Record> records) {
        String number = f.get("jobnumber");
        if (number == null) {
            return;
        }
        String task = f.getOrDefault("taskid", "undefined");
        String id = task.equals("undefined") || task.isEmpty() ? number : number + "." + task;
        String failed = f.getOrDefault("failed", "0");
        Matcher m = Pattern.compile("(\\d+)\\s*(?::\\s*(.*))?").matcher(failed);
        int failedCode = 0;
        String failedText = "";
        if (m.matches()) {
            failedCode = Integer.parseInt(m.group(1));
            failedText = m.group(2) == null ? "" : m.group(2).trim();
        }
        records.add(new Record(id, f.getOrDefault("hostname", ""), f.getOrDefault("qname", ""), f.getOrDefault("jobname", ""),
                failedCode, failedText, integer(f.get("exit_status")), seconds(f.get("ru_wallclock")), bytes(f.get("maxvmem")),
                bytes(f.get("ru_maxrss")), integer(f.get("slots")), f.getOrDefault("category", "")));
    }

    private static int integer(String v) {
        if (v == null) {
            return 0;
        }
        Matcher m = Pattern.compile("(-?\\d+).*").matcher(v.trim());
        return m.matches() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** "12s", "1.5s" or a bare number of seconds. */
    static OptionalDouble seconds(String v) {
        if (v == null) {
            return OptionalDouble.empty();
        }
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)s?").matcher(v.trim());
        return m.matches() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** "7.543MB", "4.504KB", "1.2GB", "512.000B", or a bare number of bytes (qacct's units are powers of 1024). */
    static OptionalLong bytes(String v) {
        if (v == null) {
            return OptionalLong.empty();
        }
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]?)B?").matcher(v.trim());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        double n = Double.parseDouble(m.group(1));
        int power = switch (m.group(2)) {
            case "K" -> 1;
            case "M" -> 2;
            case "G" -> 3;
            case "T" -> 4;
            default -> 0;
        };
        return OptionalLong.of(Math.round(n * Math.pow(1024, power)));
    }
}

package org.jobmon.cli.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.StatusDao;
import org.jobmon.persistence.dao.StatusDao.InstanceRow;
import org.jobmon.persistence.dao.StatusDao.TaskRow;

/**
 * The tasks that failed in a run, as its end prints them: each by name with its last attempt's exit
 * code, the last lines of its stderr and where its logs are, so that nobody needs another command
 * to learn what failed.
 */
public final class FailedTasks {
    /** How many failed tasks are shown; the others are counted. */
    static final int SHOWN = 10;
    /** How many of the last lines of a task's stderr are shown. */
    static final int STDERR_LINES = 3;
    private static final int TAIL_BYTES = 4096;
    private static final int LINE_CHARS = 200;

    /** The failed tasks shown, and how many failed in all. */
    public record Found(List<Failed> shown, int all) {
    }

    /** One failed task: its last attempt. */
    public record Failed(String name, long taskId, Integer exitCode, String stdout, String stderr, List<String> lastLines) {
    }

    private FailedTasks() {
    }

    /** The fatal tasks of workflow {@code workflowId}, the first {@link #SHOWN}, and how many there are in all. */
    public static Found of(String databaseUrl, long workflowId) {
        try (Database db = Database.open(databaseUrl)) {
            return db.jdbi().withHandle(h -> {
                StatusDao status = new StatusDao();
                List<TaskRow> fatal = status.tasks(h, workflowId, List.of('F'));
                List<TaskRow> shown = fatal.subList(0, Math.min(SHOWN, fatal.size()));
                Map<Long, InstanceRow> last = new LinkedHashMap<>();
                for (InstanceRow i : status.instances(h, shown.stream().map(TaskRow::id).toList(), List.of())) {
                    last.put(i.taskId(), i); // ordered by attempt: the last one stays
                }
                List<Failed> failed = new ArrayList<>();
                for (TaskRow t : shown) {
                    InstanceRow i = last.get(t.id());
                    failed.add(i == null ? new Failed(t.name(), t.id(), null, null, null, List.of())
                            : new Failed(t.name(), t.id(), i.exitCode(), i.stdout(), i.stderr(), lastLines(i)));
                }
                return new Found(failed, fatal.size());
            });
        }
    }

    /** The last lines of the attempt's stderr file, else of the error logged for it. */
    private static List<String> lastLines(InstanceRow i) {
        String text = i.stderr() != null ? tail(Path.of(i.stderr())) : "";
        if (text.isBlank() && i.errorTrace() != null) {
            text = i.errorTrace();
        }
        List<String> lines = text.strip().lines().filter(l -> !l.isBlank()).toList();
        return lines.subList(Math.max(0, lines.size() - STDERR_LINES), lines.size()).stream()
                .map(l -> l.length() > LINE_CHARS ? l.substring(0, LINE_CHARS) + "..." : l).toList();
    }

    private static String tail(Path file) {
        if (!Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, f.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Prints them under a heading; when they cannot be told, says which commands list them. */
    static void print(PrintWriter out, java.util.function.Supplier<java.util.Optional<Found>> lookup, long workflowId) {
        Found found;
        try {
            found = lookup.get().orElse(new Found(List.of(), 0));
        } catch (RuntimeException e) {
            found = new Found(List.of(), 0);
        }
        List<Failed> failed = found.shown();
        int all = found.all();
        if (all == 0) { // cannot tell now: say where to look
            out.println("the failed tasks:    jobmon workflow_tasks -w " + workflowId + " -s FATAL");
            out.println("why a task failed:   jobmon task_status -t TASK_ID...");
            return;
        }
        out.println(all == 1 ? "1 task failed:" : all + " tasks failed:");
        for (Failed f : failed) {
            out.println("  " + f.name() + " (task " + f.taskId() + ")"
                    + (f.exitCode() != null ? ": exit code " + f.exitCode() : ""));
            for (String line : f.lastLines()) {
                out.println("  | " + line);
            }
            if (f.stderr() != null) {
                out.println("    stderr: " + f.stderr());
            }
            if (f.stdout() != null) {
                out.println("    stdout: " + f.stdout());
            }
        }
        if (all > failed.size()) {
            out.println("  and " + (all - failed.size()) + " more: jobmon workflow_tasks -w " + workflowId + " -s FATAL");
        }
        out.println("every attempt:       jobmon task_status -t " + failed.stream().map(f -> Long.toString(f.taskId()))
                .reduce((a, b) -> a + " " + b).orElse(""));
    }
}

package org.jobmon.cli.run;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.RunControl;
import org.jobmon.engine.StopOnSignals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** How a run ended, for people and, with {@code --json}, as one JSON object for scripts. */
final class RunSummary {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private RunSummary() {
    }

    /** The JSON line: workflow_id, workflow_run_id, status, tasks, done, fatal, previously_done. */
    static String json(WorkflowRunResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workflow_id", r.workflowId());
        m.put("workflow_run_id", r.workflowRunId());
        m.put("status", r.status().name());
        m.put("tasks", r.tasks());
        m.put("done", r.done());
        m.put("fatal", r.fatal());
        m.put("previously_done", r.previouslyDone());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The summary for people: ids, status and counts; after a failure, where to look and how to
     * resume.
     *
     * @param resumeCommand the command that resumes this workflow, or empty when it cannot be
     *     resumed, with the reason in {@code notResumable}
     */
    static void print(PrintWriter out, WorkflowRunResult r, String workflowName, String resumeCommand, String notResumable,
            java.util.function.Supplier<java.util.Optional<FailedTasks.Found>> failedTasks) {
        // the engine's "resume the workflow" is said below as the exact command, or why it cannot be resumed
        String message = r.message().replace("; resume the workflow to continue", "");
        out.println("workflow " + r.workflowId() + " (" + workflowName + "), run " + r.workflowRunId() + ": " + r.status()
                + (message.isBlank() || r.isDone() ? "" : ": " + message));
        int notRun = Math.max(0, r.tasks() - r.done() - r.fatal());
        StringBuilder counts = new StringBuilder().append(r.tasks()).append(r.tasks() == 1 ? " task: " : " tasks: ")
                .append(r.done()).append(" done");
        if (r.previouslyDone() > 0) {
            counts.append(" (").append(r.previouslyDone()).append(" by earlier runs)");
        }
        counts.append(", ").append(r.fatal()).append(" fatal");
        if (notRun > 0) {
            counts.append(", ").append(notRun).append(" not done");
        }
        out.println(counts);
        if (!r.isDone()) {
            if (r.fatal() > 0) {
                FailedTasks.print(out, failedTasks, r.workflowId());
            }
            if (!resumeCommand.isEmpty()) {
                out.println((r.fatal() > 0 ? "resume after a fix:  " : "resume:              ") + resumeCommand);
            } else {
                out.println(notResumable);
            }
        }
        out.flush();
    }

    /** The word as the shell needs it, quoted only when it must be. */
    static String shellWord(String s) {
        return SHELL_SAFE.matcher(s).matches() ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Runs {@code run} with progress on the terminal (on stderr with {@code json}), then prints the
     * summary and, with {@code json}, the JSON line last on stdout. Returns the exit code. While it
     * runs, Ctrl-C and SIGTERM stop the run (it ends STOPPED and the summary says how to resume); a
     * second one quits at once. The engine leaves signals to its caller, and this command owns them.
     */
    static int runAndReport(picocli.CommandLine.Model.CommandSpec spec, org.jobmon.cli.CliContext context, boolean json,
            java.util.function.Function<org.jobmon.engine.RunListener, WorkflowRunResult> run, String workflowName,
            String resumeCommand, String notResumable, String databaseUrl) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter human = json ? spec.commandLine().getErr() : out;
        ProgressReporter progress = new ProgressReporter(human, context.terminal(), context.clock());
        WorkflowRunResult result;
        RunControl control = new RunControl(progress);
        try (StopOnSignals.Registration signals = StopOnSignals.install(control)) {
            result = run.apply(control);
        } finally {
            progress.finish();
        }
        print(human, result, workflowName, resumeCommand, notResumable, () -> context.engine().failedTasks(databaseUrl, result.workflowId()));
        if (json) {
            out.println(json(result));
            out.flush();
        }
        return result.isDone() ? org.jobmon.cli.ExitCodes.OK : org.jobmon.cli.ExitCodes.FAILED;
    }
}

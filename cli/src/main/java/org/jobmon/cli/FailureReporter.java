package org.jobmon.cli;

import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Set;

import org.jobmon.api.JobmonException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Tells the user what went wrong and returns the exit code from {@link ExitCodes}. A user error is
 * one line, {@code jobmon: <message>}, never a stack trace; an external failure (database,
 * cluster) adds its root cause, or its whole stack trace with {@code -v}; an internal error always
 * shows the stack trace, since it is a bug to report.
 */
final class FailureReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final JobmonCli cli;

    FailureReporter(JobmonCli cli) {
        this.cli = cli;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("jobmon: " + e.getMessage());
        if (!UnmatchedArgumentException.printSuggestions(e, err)) {
            err.println("Usage: " + cmd.getHelp().synopsis(0).stripTrailing());
        }
        err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.of(e);
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        return report(e, cmd.getErr());
    }

    int report(Throwable t, PrintWriter err) {
        int code = ExitCodes.of(t);
        if (t instanceof JobmonException e && code != ExitCodes.INTERNAL) {
            err.println("jobmon: " + e.getMessage());
            if (e.type() != JobmonException.ErrorType.USER) {
                if (cli.verbosity() > 0) {
                    e.printStackTrace(err);
                } else {
                    printRootCause(e, err);
                }
            }
        } else {
            err.println("jobmon: internal error: " + t);
            err.println("This is a bug in Jobmon; please report it with the stack trace below.");
            t.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The innermost cause's first line: usually what to fix (a refused connection, a full disk). */
    private static void printRootCause(Throwable t, PrintWriter err) {
        Set<Throwable> seen = new HashSet<>();
        Throwable root = null;
        for (Throwable c = t.getCause(); c != null && seen.add(c); c = c.getCause()) {
            root = c;
        }
        if (root != null) {
            String line = root.toString().lines().findFirst().orElse("");
            err.println("  caused by: " + (line.length() > 300 ? line.substring(0, 297) + "..." : line));
            err.println("  (jobmon -v ... shows the stack trace)");
        }
    }
}

package org.jobmon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import picocli.CommandLine;

/** One in-process run of the jobmon command: exit code, stdout and stderr. */
public record CliResult(int exitCode, String out, String err) {
    /** Runs {@code jobmon args...} with the given context, capturing its output. */
    public static CliResult run(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new JobmonCli(context).commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliResult(code, out.toString(), err.toString());
    }

    /** Asserts the exit code, showing stdout and stderr when it differs. */
    public CliResult exits(int expected) {
        assertThat(exitCode).as("exit code of jobmon; stdout:%n%s%nstderr:%n%s", out, err).isEqualTo(expected);
        return this;
    }

    /** The last line of stdout. */
    public String lastOutLine() {
        List<String> lines = out.lines().toList();
        assertThat(lines).as("stdout lines; stderr:%n%s", err).isNotEmpty();
        return lines.get(lines.size() - 1);
    }
}

package org.jobmon.cli.views;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.Callable;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.status.StatusSupport;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.ViewDao;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon report -w ID [-o FILE]}: the workflow's views as one self-contained HTML file (no
 * server, no network): its counts, its task templates as a DAG with their counts, progress per
 * template, its errors grouped by message, its runs.
 */
@Command(name = "report", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Writes a workflow's report as one self-contained HTML file, to open offline or attach to a ticket.",
            "Counts by status, the task templates as a DAG with their counts, progress per template, errors grouped by their "
                + "last line with an example task, and the runs."})
public final class ReportCommand implements Callable<Integer> {
    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-w", "--workflow_id"}, required = true, paramLabel = "ID", description = "the workflow")
    private long workflowId;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write it (default: workflow_ID_report.html here)")
    private Path output;

    @Override
    public Integer call() {
        WorkflowView view;
        try (Database db = StatusSupport.open(cli)) {
            view = db.jdbi().withHandle(h -> {
                ViewDao.WorkflowRow w = new ViewDao().workflow(h, workflowId).orElseThrow(() -> StatusSupport.noWorkflow(List.of(workflowId),
                        db));
                return WorkflowView.read(h, w);
            });
        }
        Path file = (output != null ? output : Path.of("workflow_" + workflowId + "_report.html")).toAbsolutePath();
        write(file, ReportHtml.render(view, LocalDateTime.now()));
        PrintWriter out = spec.commandLine().getOut();
        out.println(file);
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * Written beside its place and moved there: a reader never sees half a report, and a failure
     * leaves no file. Created as any new file of the user's is (their umask), not private as a
     * temporary file would be: a report is made to be shared.
     */
    private static void write(Path file, String html) {
        Path folder = file.getParent();
        Path tmp = null;
        try {
            if (folder != null) {
                Files.createDirectories(folder);
            }
            tmp = (folder != null ? folder : Path.of("")).resolve(".report-" + Long.toHexString(System.nanoTime())
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()) + ".html.tmp");
            Files.createFile(tmp);
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to clean
                }
            }
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "cannot write the report to " + file + ": " + e.getMessage()
                    + "; choose a writable place with -o FILE");
        }
    }
}

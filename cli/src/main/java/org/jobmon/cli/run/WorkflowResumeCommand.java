package org.jobmon.cli.run;

import java.util.concurrent.Callable;

import org.jobmon.api.Notifications;
import org.jobmon.api.RunOptions;
import org.jobmon.cli.CliContext;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.spec.SpecLoader;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon workflow_resume -w ID [--hot] [--notify FILE]}: resumes a workflow from what the database holds,
 * without its controller program: each task's stored command and last resources, the same
 * executor and settings. Tasks already DONE are not run again. Exit 0 only when it ends DONE.
 */
@Command(name = "workflow_resume", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Resume a workflow from the database, without its controller program.",
            "Commands and resources are those stored for its tasks: fix a failing script in place, then resume."})
public final class WorkflowResumeCommand implements Callable<Integer> {
    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-w", "--workflow_id"}, required = true, paramLabel = "ID", description = "the workflow to resume")
    private long workflowId;

    @Option(names = "--hot", description = "leave instances still running from the earlier run running and take their results "
            + "(default: cold, they are killed and their tasks run again)")
    private boolean hot;

    @Option(names = "--other-user", description = "resume it even if other users started all of its runs (it takes the "
            + "workflow over from them)")
    private boolean otherUser;

    @Option(names = {"-n", "--json"}, description = "end stdout with one JSON object (workflow_id, workflow_run_id, "
            + "status, tasks, done, fatal, previously_done); progress and the summary go to stderr")
    private boolean json;

    @Option(names = "--notify", paramLabel = "FILE", description = "tell people about this run as a spec's workflow.notify would: "
            + "FILE (YAML or JSON) holds command, webhook, on and timeout_seconds (the database keeps no notifiers)")
    private java.nio.file.Path notifyFile;

    @Override
    public Integer call() {
        CliContext context = cli.context();
        RunOptions options = RunOptions.defaults().withResume(true).withHotResume(hot).withOtherUsersWorkflow(otherUser);
        // read and checked before anything runs: a bad file changes nothing
        Notifications notifications = notifyFile == null ? Notifications.none() : SpecLoader.notifications(notifyFile);
        return RunSummary.runAndReport(spec, context, json,
                listener -> context.engine().resume(cli.databaseUrl(), workflowId, options, listener, notifications),
                "resumed without its controller", "jobmon workflow_resume -w " + workflowId, "", cli.databaseUrl());
    }
}

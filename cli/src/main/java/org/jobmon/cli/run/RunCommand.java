package org.jobmon.cli.run;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.RunOptions;
import org.jobmon.cli.CliContext;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.spec.LoadedSpec;
import org.jobmon.cli.spec.SpecLoader;
import org.jobmon.persistence.DatabaseUrls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon run SPEC}: reads a workflow spec ({@link SpecLoader} has the format), runs it on
 * the engine with progress, and prints how it ended. Exit 0 only when the run ends DONE.
 */
@Command(name = "run", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Run the workflow a spec file (YAML or JSON) describes, and wait until it ends.",
            "Progress goes to stdout (stderr with --json); the summary says how to look at failures and resume."},
        footerHeading = "%nA spec, in short:%n",
        footer = {"  tool: my_tool",
            "  workflow: {name: demo, workflow_args: demo_v1, executor: multiprocess}",
            "  task_templates:",
            "    hello:",
            "      command_template: \"echo {who} > {out}\"",
            "      node_args: [who]",
            "      task_args: [out]",
            "  tasks:",
            "    - template: hello",
            "      name: \"hello_{who}\"",
            "      foreach: {who: [ann, bob]}",
            "      args: {out: \"out/{who}.txt\"}",
            "    - template: hello",
            "      name: everyone",
            "      args: {who: everyone, out: out/everyone.txt}",
            "      upstreams: [\"hello_*\"]",
            "Paths in executor_config are relative to the spec's folder, which is also the",
            "default working_dir. The full format is in cli/README.md."})
public final class RunCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "the workflow spec: a .yaml, .yml or .json file")
    private Path specFile;

    @Option(names = "--resume", description = "resume the workflow with the same workflow_args and tasks: "
            + "tasks already DONE are not run again; instances still running from the earlier run are stopped first")
    private boolean resume;

    @Option(names = "--hot", description = "resume hot (implies --resume): leave instances still running "
            + "from the earlier run running and take their results")
    private boolean hot;

    @Option(names = "--other-user", description = "with --resume: resume it even if other users started all of its runs "
            + "(it takes the workflow over from them)")
    private boolean otherUser;

    @Option(names = "--dry-run", description = "check the spec and print the tasks it expands to (command, upstreams, "
            + "resources) without running or writing anything")
    private boolean dryRun;

    @Option(names = {"-n", "--json"}, description = "end stdout with one JSON object (workflow_id, workflow_run_id, "
            + "status, tasks, done, fatal, previously_done); progress and the summary go to stderr")
    private boolean json;

    @Override
    public Integer call() {
        CliContext context = cli.context();
        LoadedSpec loaded = new SpecLoader(context.executors()).load(specFile);
        if (dryRun) {
            DryRun.print(spec.commandLine().getOut(), loaded.workflow());
            return org.jobmon.cli.ExitCodes.OK;
        }
        RunOptions options = loaded.runOptions().withOtherUsersWorkflow(otherUser);
        if (resume) {
            options = options.withResume(true);
        }
        if (hot) {
            options = options.withHotResume(true);
        }
        if (options.resume() && !loaded.hasWorkflowArgs()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, specFile + " has no workflow.workflow_args, so each run "
                    + "is a new one-off workflow and there is nothing to resume: set workflow_args in the spec "
                    + "(the same value on every run) to make its runs resumable");
        }

        String databaseUrl = cli.databaseUrl();
        log.info("running {} ({} tasks) on {}", loaded.workflow(), loaded.workflow().tasks().size(),
                DatabaseUrls.redact(databaseUrl));
        RunOptions chosen = options;
        try {
            return RunSummary.runAndReport(spec, context, json,
                    listener -> context.engine().run(databaseUrl, loaded.workflow(), chosen, listener),
                    loaded.workflow().name(), loaded.hasWorkflowArgs() ? resumeCommand() : "",
                    "this workflow has no workflow_args, so it cannot be resumed: set workflow.workflow_args in "
                            + specFile + " to make later runs resumable", databaseUrl);
        } catch (JobmonException e) {
            throw inCommandLineWords(e);
        }
    }

    /** The engine's hint for Java callers, said as the command that does it. */
    private JobmonException inCommandLineWords(JobmonException e) {
        String java = "pass resume (RunOptions.withResume(true), jobmon run --resume) to continue it";
        if (e.code() == ErrorCode.WORKFLOW_ALREADY_EXISTS && e.getMessage().contains(java)) {
            return new JobmonException(e.code(), e.getMessage().replace(java, "continue it with: " + resumeCommand()), e);
        }
        return e;
    }

    /** The command that resumes this run's workflow, with the same database when one was named. */
    private String resumeCommand() {
        StringBuilder cmd = new StringBuilder("jobmon run ").append(RunSummary.shellWord(specFile.toString()));
        cmd.append(" --resume");
        cli.databaseOption().ifPresent(db -> cmd.append(" --db ")
                .append(DatabaseUrls.redact(db).equals(db) ? RunSummary.shellWord(db) : "URL"));
        return cmd.toString();
    }
}

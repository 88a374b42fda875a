package org.jobmon.cli;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.Callable;

import org.jobmon.cli.run.RunCommand;
import org.jobmon.cli.run.WorkflowResumeCommand;
import org.jobmon.cli.status.ConcurrencyLimitCommand;
import org.jobmon.cli.status.TaskStatusCommand;
import org.jobmon.cli.status.UpdateTaskStatusCommand;
import org.jobmon.cli.status.WorkflowStatusCommand;
import org.jobmon.cli.status.WorkflowTasksCommand;
import org.jobmon.persistence.DatabaseUrls;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code jobmon} command. Each subcommand is one class listed in {@code subcommands}; it gets
 * this object with {@code @ParentCommand} for the options every subcommand accepts ({@code --db},
 * {@code -v}) and for the {@link CliContext}, and it reports failures by throwing
 * {@link org.jobmon.api.JobmonException}: {@link FailureReporter} prints them and
 * {@link ExitCodes} turns them into the exit code.
 */
@Command(name = "jobmon", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = JobmonCli.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = "Jobmon for the JVM: runs DAGs of shell commands and keeps their history in a database.",
        subcommands = {RunCommand.class, WorkflowStatusCommand.class, WorkflowTasksCommand.class, TaskStatusCommand.class,
            ConcurrencyLimitCommand.class, UpdateTaskStatusCommand.class, WorkflowResumeCommand.class,
            org.jobmon.cli.run.DagCommand.class, org.jobmon.cli.status.SqlCommand.class,
            org.jobmon.cli.status.TaskTemplateResourcesCommand.class, org.jobmon.cli.views.ReportCommand.class,
            org.jobmon.cli.views.GuiCommand.class},
        footerHeading = "%n",
        footer = {"Database: --db, else $" + DatabaseUrls.ENV + ", else db.url in $JOBMON_HOME/config.properties, "
                + "else the embedded one in $JOBMON_HOME (default ~/.jobmon).",
            "Exit codes: 0 success; 1 refused or failed (a run that did not end DONE, an unknown id); "
                + "2 bad usage or bad input; 3 internal error."})
public final class JobmonCli implements Callable<Integer> {
    private final CliContext context;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--db", paramLabel = "URL", scope = ScopeType.INHERIT, order = 100,
            description = "JDBC URL of the Jobmon database (default: $" + DatabaseUrls.ENV
                    + ", else the config file's db.url, else the embedded one)")
    private String db;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, order = 101,
            description = "log more to stderr: -v INFO, -vv DEBUG (default WARN)")
    private boolean[] verbose = new boolean[0];

    public JobmonCli(CliContext context) {
        this.context = requireNonNull(context, "context is null");
    }

    public static void main(String[] args) {
        System.exit(new JobmonCli(CliContext.system()).commandLine().execute(args));
    }

    /** The command line with Jobmon's error handling; set its out and err, then execute. */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        FailureReporter reporter = new FailureReporter(this);
        cl.setParameterExceptionHandler(reporter);
        cl.setExecutionExceptionHandler(reporter);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parseResult -> {
            Logging.configure(verbosity());
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (Error e) {
                // picocli hands only Exceptions to the handler; a LinkageError is a bug to report too
                return reporter.report(e, parseResult.commandSpec().commandLine().getErr());
            }
        });
        return cl;
    }

    /** Without a subcommand: the usage, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("jobmon: give a command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    public CliContext context() {
        return context;
    }

    /** The database: --db, else JOBMON_DB_URL, else the config file, else the embedded default. */
    public String databaseUrl() {
        return DatabaseUrls.resolve(Optional.ofNullable(db));
    }

    /** The --db value as given, if any. */
    public Optional<String> databaseOption() {
        return Optional.ofNullable(db).filter(s -> !s.isBlank());
    }

    public int verbosity() {
        return verbose.length;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = JobmonCli.class.getPackage().getImplementationVersion();
            return new String[] {"jobmon " + (v == null ? "(development build)" : v)};
        }
    }
}

package org.jobmon.engine;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.jobmon.api.Notifications;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.api.spi.WorkflowRunner;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.DatabaseUrls;

/**
 * The engine: validates, binds and runs workflows against one database. Build one per process
 * and reuse it; it is thread-safe and holds the database's connection pool.
 */
public final class JobmonEngine implements WorkflowRunner, AutoCloseable {
    private final EngineComponent component;

    private JobmonEngine(EngineComponent component) {
        this.component = component;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public WorkflowRunResult run(Workflow workflow, RunOptions options) {
        return run(workflow, options, RunListener.NONE);
    }

    /**
     * Runs and reports progress to {@code listener}. To stop the run from another thread, pass a
     * {@link RunControl} (which forwards to your listener); to stop it on Ctrl-C, also register that
     * control with {@link StopOnSignals}. The engine installs no signal handlers.
     */
    public WorkflowRunResult run(Workflow workflow, RunOptions options, RunListener listener) {
        return component.runService().run(workflow, options, listener);
    }

    /**
     * Resumes workflow {@code workflowId} from what the database holds, without its controller
     * program ({@code jobmon workflow_resume}): stored commands and resources, the same executor and
     * settings. {@code options.hotResume()} adopts instances still running. A {@link RunControl} as
     * {@code listener} stops it, as for {@link #run(Workflow, RunOptions, RunListener)}.
     */
    public WorkflowRunResult resume(long workflowId, RunOptions options, RunListener listener) {
        return resume(workflowId, options, listener, Notifications.none());
    }

    /**
     * The same, telling {@code notifications} about the run as a workflow's own notifications would
     * be told: the database keeps no notifiers (a webhook's URL is a secret), so a workflow resumed
     * from it has none unless given here.
     */
    public WorkflowRunResult resume(long workflowId, RunOptions options, RunListener listener, Notifications notifications) {
        return component.runService().resumeStored(workflowId, options, listener, notifications);
    }

    /**
     * Marks the workflow's runs whose controller died (heartbeat expired) ERROR and settles their
     * instances from the records they left; returns the ids of the runs settled.
     */
    public java.util.List<Long> settleDeadRuns(long workflowId) {
        return component.runService().reconciler().settle(workflowId);
    }

    /** The same for every workflow with a run that still looks alive. */
    public void settleDeadRuns() {
        component.runService().reconciler().settleAll();
    }

    /** The database URL this engine uses, without credentials. */
    public String databaseDisplayUrl() {
        return component.database().displayUrl();
    }

    /** The engine's open database (for status queries from the same process). */
    public Database database() {
        return component.database();
    }

    @Override
    public void close() {
        component.database().close();
    }

    /** Configures an engine; everything has a default. */
    public static final class Builder {
        Optional<String> databaseUrl = Optional.empty();
        Optional<List<ExecutorFactory>> executorFactories = Optional.empty();
        Optional<Path> workRoot = Optional.empty();
        EngineConfig config = EngineConfig.fromSystemProperties();
        java.util.function.UnaryOperator<javax.sql.DataSource> dataSourceWrapper = java.util.function.UnaryOperator.identity();

        /**
         * The database: a MariaDB URL ({@code jdbc:mariadb://host:3306/jobmon?user=...}) or an H2 one
         * ({@code jdbc:h2:file:/path/to/db}: Jobmon adds the settings it needs, {@code MODE=MariaDB} among
         * them, and refuses a URL that sets another mode, naming the URL to use). Default: {@code
         * JOBMON_DB_URL}, else {@code db.url} in {@code $JOBMON_HOME/config.properties}, else the embedded
         * database in {@code $JOBMON_HOME} ({@code ~/.jobmon}). {@link #databaseDisplayUrl()} says which one an
         * engine uses.
         */
        public Builder databaseUrl(String url) {
            this.databaseUrl = Optional.of(url);
            return this;
        }

        /** Executors to use instead of those found with ServiceLoader. */
        public Builder executorFactories(Collection<? extends ExecutorFactory> factories) {
            this.executorFactories = Optional.of(List.copyOf(factories));
            return this;
        }

        /** Where runs keep instance records; default ~/.jobmon/runs. */
        public Builder workRoot(Path dir) {
            this.workRoot = Optional.of(dir);
            return this;
        }

        /**
         * Wraps the connection pool that all of the engine's statements go through, after the schema
         * is brought up to date: for metrics or tracing, or a test that injects database failures.
         */
        public Builder wrapDataSource(java.util.function.UnaryOperator<javax.sql.DataSource> wrapper) {
            this.dataSourceWrapper = java.util.Objects.requireNonNull(wrapper, "wrapper is null");
            return this;
        }

        public Builder config(EngineConfig engineConfig) {
            this.config = engineConfig;
            return this;
        }

        /** Opens the database (applying schema changes) and wires the engine. */
        public JobmonEngine build() {
            EngineSettings settings = new EngineSettings(DatabaseUrls.resolve(databaseUrl), executorFactories,
                    workRoot.orElseGet(() -> org.jobmon.persistence.JobmonHome.fromEnvironment().runs(System::getenv)), config, dataSourceWrapper);
            return new JobmonEngine(DaggerEngineComponent.builder().settings(settings).build());
        }
    }
}

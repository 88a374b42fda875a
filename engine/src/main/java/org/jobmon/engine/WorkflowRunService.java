package org.jobmon.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Notifications;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.engine.bind.BoundWorkflow;
import org.jobmon.engine.bind.DagValidator;
import org.jobmon.engine.bind.WorkflowBinder;
import org.jobmon.engine.executors.ExecutorRegistry;
import org.jobmon.engine.reconcile.DeadRunReconciler;
import org.jobmon.engine.notify.RunNotifier;
import org.jobmon.engine.resume.ResumeHandover;
import org.jobmon.engine.resume.StoredWorkflowLoader;
import org.jobmon.engine.resume.WorkflowClaim;
import org.jobmon.engine.store.JdbiRunStore;
import org.jobmon.engine.store.RunStore;
import org.jobmon.engine.store.TransientRetry;
import org.jobmon.engine.schedule.WorkflowRunLoop;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.WorkflowDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Validate, bind, create the run, start the executor, run the loop. */
@Singleton
final class WorkflowRunService {
    private static final Logger log = LoggerFactory.getLogger(WorkflowRunService.class);
    static final String VERSION = "0.1.0-SNAPSHOT";

    private final Database database;
    private final ExecutorRegistry executors;
    private final EngineSettings settings;
    private final WorkflowBinder binder;
    private final WorkflowClaim claims;
    private final DeadRunReconciler reconciler;
    private final StoredWorkflowLoader loader;
    private final WorkflowDao workflows = new WorkflowDao();

    @Inject
    WorkflowRunService(Database database, ExecutorRegistry executors, EngineSettings settings) {
        this.database = database;
        this.executors = executors;
        this.settings = settings;
        this.reconciler = new DeadRunReconciler(database.jdbi(), name -> {
            try {
                return executors.get(name).batchScheduler();
            } catch (JobmonException e) {
                return false; // an executor not on this class path
            }
        });
        this.loader = new StoredWorkflowLoader(database.jdbi());
        EngineConfig c = settings.config();
        // An old run answers a hand-over at its next cycle; one that does not is dead within its expiry.
        Duration handover = c.workflowRunExpiry().plus(c.workflowRunHeartbeat()).plusSeconds(15);
        this.claims = new WorkflowClaim(database.jdbi(), reconciler, c.workflowRunHeartbeat(), c.workflowRunExpiry());
        this.binder = new WorkflowBinder(database.jdbi(), new ResumeHandover(database.jdbi(), reconciler, handover), claims,
                c.workflowRunExpiry());
    }

    /**
     * Who claims the workflow, with the last run this process saw before it began: taken first
     * thing, so that another resume claiming meanwhile is seen as racing this one, not as a run to take over.
     */
    private WorkflowClaim.Owner owner() {
        return new WorkflowClaim.Owner(System.getProperty("user.name", "unknown"), hostname(), ProcessHandle.current().pid(), VERSION,
                claims.lastRunId());
    }

    private WorkflowBinder.Claimant claimant(WorkflowClaim.Owner owner, RunListener listener, Workflow workflow,
            ExecutorFactory factory) {
        return new WorkflowBinder.Claimant(owner, listener::waiting, run -> probe(run, workflow, factory));
    }

    /**
     * An executor for an earlier run's folder, to ask about, delete or hand over that run's batch
     * jobs: the executor that run used (a resume may have changed the workflow's), with the settings
     * the workflow was stored with.
     */
    private Optional<Executor> probe(long runId, Workflow workflow, ExecutorFactory factory) {
        record Earlier(String workDir, String executorType, String storedClass, String storedSettings) {
        }
        Optional<Earlier> earlier = database.jdbi().withHandle(h -> h.createQuery("SELECT r.work_dir, "
                + "(SELECT MIN(i.executor_type) FROM task_instance i WHERE i.workflow_run_id = r.id), w.executor_class, "
                + "w.executor_settings FROM workflow_run r JOIN workflow w ON w.id = r.workflow_id WHERE r.id = :r")
                .bind("r", runId).map((rs, ctx) -> new Earlier(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .findOne());
        if (earlier.isEmpty() || earlier.get().workDir() == null) {
            return Optional.empty();
        }
        ExecutorFactory used = factory;
        ExecutorSettings settings = workflow.executor();
        String type = earlier.get().executorType();
        if (type != null && !ExecutorNames.normalize(type).equals(settings.executorName())) {
            try {
                used = executors.get(type);
            } catch (JobmonException e) {
                return Optional.empty();
            }
            String stored = earlier.get().storedClass();
            settings = stored != null && ExecutorNames.normalize(stored).equals(ExecutorNames.normalize(type))
                    ? StoredWorkflowLoader.settings(stored, earlier.get().storedSettings()) : ExecutorSettings.of(type);
        }
        if (!used.batchScheduler()) {
            return Optional.empty();
        }
        Map<String, String> config = new java.util.HashMap<>(settings.extra());
        config.remove(ExecutorSettings.RUN_ROOT);
        return Optional.of(used.create(new ExecutorContext(Path.of(earlier.get().workDir()), settings, e -> { }, config)));
    }

    DeadRunReconciler reconciler() {
        return reconciler;
    }

    WorkflowRunResult run(Workflow workflow, RunOptions options, RunListener listener) {
        WorkflowClaim.Owner owner = owner();
        Map<Task, Integer> index = DagValidator.validate(workflow);
        String executorName = workflow.executor().executorName();
        ExecutorFactory factory = executors.get(executorName);
        preflight(workflow, factory, listener);
        createOutputFolders(workflow.executor());
        WorkflowBinder.Claimant claimant = claimant(owner, listener, workflow, factory);
        BoundWorkflow bound = binder.bind(workflow, index, options, executorName, claimant);
        return runBound(workflow, bound, factory, options, listener);
    }

    /**
     * What can be checked before anything is written: the executor's settings, and each task's fixed
     * request against the executor's queues (requests made by a dynamic-resources function are
     * checked when the task is ready). A refusal leaves the database as it was.
     */
    private static void preflight(Workflow workflow, ExecutorFactory factory, RunListener listener) {
        ExecutorFactory.Preflight check = factory.preflight(workflow.executor());
        org.jobmon.engine.resources.ResourceResolver resolver = new org.jobmon.engine.resources.ResourceResolver(workflow);
        Map<org.jobmon.api.Resources, org.jobmon.api.Resources> checked = new java.util.HashMap<>();
        // what the executor changed (cores lowered to what the machine has), said once per change
        Map<String, List<String>> changed = new java.util.LinkedHashMap<>();
        for (Task t : workflow.tasks()) {
            if (t.dynamicResources().isPresent()) {
                continue;
            }
            org.jobmon.api.Resources r = resolver.staticResources(t);
            org.jobmon.api.Resources given = checked.get(r);
            if (given == null) {
                try {
                    given = check.check(r);
                } catch (JobmonException e) {
                    throw new JobmonException(e.code(), "task '" + t.name() + "': " + e.getMessage() + "; nothing was written: fix the "
                            + "request and run again", e);
                }
                checked.put(r, given);
            }
            String change = changes(r, given);
            if (!change.isEmpty()) {
                changed.computeIfAbsent(change, c -> new java.util.ArrayList<>()).add(t.name());
            }
        }
        changed.forEach((change, tasks) -> listener.warning("the " + workflow.executor().executorName() + " executor changes " + change
                + " for " + tasks.size() + (tasks.size() == 1 ? " task (" : " tasks (") + String.join(", ", tasks.subList(0, Math.min(3,
                        tasks.size()))) + (tasks.size() > 3 ? ", ..." : "") + "): it has no more to give"));
    }

    /** What differs between a request and what the executor gives, for people: "num_cores 3 -> 2". */
    private static String changes(org.jobmon.api.Resources asked, org.jobmon.api.Resources given) {
        List<String> out = new java.util.ArrayList<>();
        if (asked.numCores() != given.numCores()) {
            out.add("num_cores " + asked.numCores() + " -> " + given.numCores());
        }
        if (asked.memoryMib() != given.memoryMib()) {
            out.add("m_mem_free " + asked.memoryMib() + "M -> " + given.memoryMib() + "M");
        }
        if (asked.maxRuntimeSeconds() != given.maxRuntimeSeconds()) {
            out.add("max_runtime_seconds " + asked.maxRuntimeSeconds() + " -> " + given.maxRuntimeSeconds());
        }
        if (!asked.queue().equals(given.queue())) {
            out.add("queue " + asked.queue().orElse("(none)") + " -> " + given.queue().orElse("(none)"));
        }
        return String.join(", ", out);
    }

    /**
     * Creates the folders the workflow's stdout and stderr go to, so that no executor has to; one
     * that cannot be created refuses the run before anything is written.
     */
    static void createOutputFolders(ExecutorSettings executor) {
        for (Map.Entry<String, Optional<Path>> folder : List.of(Map.entry("stdout", executor.stdout()),
                Map.entry("stderr", executor.stderr()))) {
            if (folder.getValue().isEmpty()) {
                continue;
            }
            Path dir = folder.getValue().get().toAbsolutePath();
            try {
                Files.createDirectories(dir);
            } catch (IOException | RuntimeException e) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the " + folder.getKey() + " folder " + dir
                        + " cannot be created (" + e + "); nothing was written: choose a folder you can write to and run again", e);
            }
        }
    }

    /** Resumes a workflow from what the database holds, without its controller program, telling {@code notifications}. */
    WorkflowRunResult resumeStored(long workflowId, RunOptions options, RunListener listener, Notifications notifications) {
        WorkflowClaim.Owner owner = owner();
        StoredWorkflowLoader.Loaded loaded = loader.load(workflowId);
        Workflow workflow = loaded.workflow().notifications(notifications);
        ExecutorFactory factory = executors.get(workflow.executor().executorName());
        createOutputFolders(workflow.executor());
        WorkflowBinder.Claimant claimant = claimant(owner, listener, workflow, factory);
        WorkflowDao.WorkflowRow row = database.jdbi().withHandle(h -> workflows.get(h, workflowId)).orElseThrow();
        // without its controller, the workflow keeps the concurrency limit it had
        RunOptions resumed = options.withResume(true).withMaxConcurrentlyRunning(row.maxConcurrentlyRunning());
        BoundWorkflow bound = binder.bindStored(workflow, row, loaded.rows(), resumed, claimant);
        return runBound(workflow, bound, factory, options, listener);
    }

    private WorkflowRunResult runBound(Workflow workflow, BoundWorkflow bound, ExecutorFactory factory, RunOptions options,
            RunListener listener) {
        String executorName = workflow.executor().executorName();
        long runId = bound.runId();
        Duration patience = settings.config().workflowRunExpiry();
        TransientRetry.run("record the run's executor", patience, () -> database.jdbi().useTransaction(h -> {
            workflows.setExecutor(h, bound.workflowId(), executorName, StoredWorkflowLoader.encode(workflow.executor()));
            h.createUpdate("UPDATE workflow_run SET status = 'B', status_date = CURRENT_TIMESTAMP(6) WHERE id = :r AND status = 'G'")
                    .bind("r", runId).execute();
        }));
        listener.bound(bound.workflowId(), runId, workflow.tasks().size(), bound.previouslyDone());
        // Ids restart in every database, so a run's folder also carries a random part: records left
        // by another database's run 1 can never be read as this run's.
        Path root = Optional.ofNullable(workflow.executor().extra().get(ExecutorSettings.RUN_ROOT)).filter(r -> !r.isBlank())
                .map(r -> Path.of(r).toAbsolutePath()).orElse(settings.workRoot());
        Path workDir = root.resolve(Long.toString(bound.workflowId()))
                .resolve(runId + "-" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffffffL));
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            database.jdbi().useHandle(h -> workflows.setRunStatus(h, runId, WorkflowRunStatus.ABORTED.code()));
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "cannot create the run's work directory " + workDir + ": "
                    + e.getMessage() + "; choose a writable run folder: the executor setting " + ExecutorSettings.RUN_ROOT
                    + ", JOBMON_RUN_ROOT, or JobmonEngine.builder().workRoot(...)", e);
        }
        TransientRetry.run("record the run's folder", patience,
                () -> database.jdbi().useHandle(h -> workflows.setRunWorkDir(h, runId, workDir.toAbsolutePath().toString())));
        BlockingQueue<InstanceEvent> events = new LinkedBlockingQueue<>();
        // Executors read their tunables from the workflow's executor settings and the engine's intervals.
        Map<String, String> config = new java.util.HashMap<>(workflow.executor().extra());
        config.remove(ExecutorSettings.RUN_ROOT);
        config.put("workflow_run_heartbeat_ms", Long.toString(settings.config().workflowRunHeartbeat().toMillis()));
        config.put("instance_heartbeat_ms", Long.toString(settings.config().instanceHeartbeat().toMillis()));
        RunNotifier notifier = new RunNotifier(workflow.notifications(), workflow.name(), bound.workflowId(), runId, hostname(), listener,
                () -> fatalTaskNames(bound.workflowId()));
        Executor executor;
        try {
            executor = factory.create(new ExecutorContext(workDir, workflow.executor(), events::add, config));
        } catch (RuntimeException e) {
            database.jdbi().useHandle(h -> workflows.setRunStatus(h, runId, WorkflowRunStatus.ERROR.code()));
            JobmonException failure = e instanceof JobmonException je ? je : new JobmonException(ErrorCode.EXECUTOR_FAILURE,
                    "executor '" + executorName + "' could not start: " + e.getMessage(), e);
            try (notifier) {
                notifier.crashed(failure, workflow.tasks().size());
            } catch (RuntimeException n) {
                failure.addSuppressed(n);
            }
            throw failure;
        }
        try {
            log.info("workflow {} run {} starts on executor '{}' ({} tasks, {} already DONE)", bound.workflowId(), runId,
                    executorName, workflow.tasks().size(), bound.previouslyDone());
            RunStore store = new JdbiRunStore(database.jdbi(), bound.workflowId(), runId, settings.config().workflowRunExpiry());
            RunListener told = notifier.watching(listener);
            WorkflowRunLoop loop = new WorkflowRunLoop(store, workflow, bound, runId, options, executor, executorName,
                    events, workDir, settings.config(), told, factory.batchScheduler());
            WorkflowRunResult result;
            try (ActiveRun.Scope running = ActiveRun.begin(runId, loop::requestStop, told)) {
                result = loop.run();
            }
            try {
                notifier.ended(result);
            } catch (RuntimeException n) {
                log.warn("workflow {} run {}: could not notify: {}", bound.workflowId(), runId, n.toString());
            }
            return result;
        } catch (RuntimeException e) {
            try {
                notifier.crashed(e, workflow.tasks().size());
            } catch (RuntimeException n) {
                e.addSuppressed(n);
            }
            try {
                database.jdbi().useTransaction(h -> {
                    // guarded: a run that lost its lease keeps what the other process made of it
                    h.createUpdate("UPDATE workflow_run SET status = 'E', status_date = CURRENT_TIMESTAMP(6) "
                            + "WHERE id = :r AND status IN ('G', 'B', 'R', 'C', 'H')").bind("r", runId).execute();
                    h.createUpdate("UPDATE workflow SET status = 'F', status_date = CURRENT_TIMESTAMP(6) WHERE id = :w AND status = 'R'")
                            .bind("w", bound.workflowId()).execute();
                });
            } catch (RuntimeException second) {
                e.addSuppressed(second);
            }
            throw e;
        } finally {
            try {
                executor.close();
            } finally {
                notifier.close();
            }
        }
    }

    /** A few of the workflow's fatal tasks, newest first, for a notification. */
    private List<String> fatalTaskNames(long workflowId) {
        return database.jdbi().withHandle(h -> h.createQuery("SELECT name FROM task WHERE workflow_id = :w AND status = 'F' "
                + "ORDER BY status_date DESC, id DESC LIMIT 5").bind("w", workflowId).mapTo(String.class).list());
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}

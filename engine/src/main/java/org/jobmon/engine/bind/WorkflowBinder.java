package org.jobmon.engine.bind;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.engine.reconcile.DeadRunReconciler.LiveInstance;
import org.jobmon.engine.resume.ResumeHandover;
import org.jobmon.engine.resume.WorkflowClaim;
import org.jobmon.engine.resources.ResourceResolver;
import org.jobmon.persistence.dao.DagDao;
import org.jobmon.persistence.dao.IdBlocks;
import org.jobmon.persistence.dao.TaskDao;
import org.jobmon.persistence.dao.TaskDao.NewTask;
import org.jobmon.persistence.dao.TaskDao.ParameterSet;
import org.jobmon.persistence.dao.TaskDao.TaskRow;
import org.jobmon.persistence.dao.ToolDao;
import org.jobmon.persistence.dao.WorkflowDao;
import org.jobmon.persistence.dao.WorkflowDao.WorkflowRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a validated workflow to the database in bulk (a few transactions, batched inserts) or
 * recognises it as one already there: identical (resume, or WorkflowAlreadyExists /
 * WorkflowAlreadyComplete) or clashing (the same workflow_args with different tasks).
 */
public final class WorkflowBinder {
    private static final Logger log = LoggerFactory.getLogger(WorkflowBinder.class);

    /** How long binding tries again a step that failed for a passing reason (a deadlock, a dropped connection). */
    private static final java.time.Duration RETRY_LIMIT = java.time.Duration.ofSeconds(30);

    private final Jdbi jdbi;
    private final ResumeHandover handover;
    private final WorkflowClaim claims;
    private final java.time.Duration leaseLength;
    private final ToolDao tools = new ToolDao();
    private final DagDao dags = new DagDao();
    private final WorkflowDao workflows = new WorkflowDao();
    private final TaskDao taskDao = new TaskDao();
    private final Map<Tool, Long> createdToolVersions = Collections.synchronizedMap(new WeakHashMap<>());

    public WorkflowBinder(Jdbi jdbi, ResumeHandover handover, WorkflowClaim claims, java.time.Duration leaseLength) {
        this.jdbi = jdbi;
        this.handover = handover;
        this.claims = claims;
        this.leaseLength = leaseLength;
    }

    /** Who binds, and where a resume says whom it waits for. */
    public record Claimant(WorkflowClaim.Owner owner, java.util.function.Consumer<String> waiting,
            java.util.function.LongFunction<java.util.Optional<org.jobmon.api.executor.Executor>> probe) {
        public Claimant(WorkflowClaim.Owner owner, java.util.function.Consumer<String> waiting) {
            this(owner, waiting, run -> java.util.Optional.empty());
        }
    }

    /**
     * Binds the workflow and claims it for a new run; {@code index} maps each task to its position
     * in {@code workflow.tasks()}.
     */
    public BoundWorkflow bind(Workflow workflow, Map<Task, Integer> index, RunOptions options, String executorName,
            Claimant claimant) {
        return bind(workflow, index, options, executorName, claimant, 1);
    }

    private BoundWorkflow bind(Workflow workflow, Map<Task, Integer> index, RunOptions options, String executorName,
            Claimant claimant, int attempt) {
        List<Task> tasks = workflow.tasks();
        int n = tasks.size();
        // the first binds of a tool from several processes at once make one tool version: the tool's row lock orders them
        // (a deadlock between two first binds of one tool, or a dropped connection, is tried again)
        long toolVersionId = org.jobmon.engine.store.TransientRetry.call("find the tool's version", RETRY_LIMIT,
                () -> jdbi.inTransaction(org.jdbi.v3.core.transaction.TransactionIsolationLevel.READ_COMMITTED,
                        h -> toolVersion(h, workflow.tool())));

        Map<TaskTemplate, Long> versions = new IdentityHashMap<>();
        Map<String, Long> argIds = new HashMap<>();
        jdbi.useHandle(h -> {
            for (Task t : tasks) {
                TaskTemplate tt = t.template();
                if (!versions.containsKey(tt)) {
                    versions.put(tt, templateVersion(h, toolVersionId, tt));
                }
            }
            Set<String> names = new HashSet<>();
            versions.keySet().forEach(tt -> {
                names.addAll(tt.nodeArgs());
                names.addAll(tt.taskArgs());
            });
            argIds.putAll(tools.argIds(h, names));
        });

        TaskHashes hashes = TaskHashes.of(tasks);
        Map<Long, List<Integer>> byVersion = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            byVersion.computeIfAbsent(versions.get(tasks.get(i).template()), k -> new ArrayList<>()).add(i);
        }

        String argsHash = IdentityHash.of("workflow_args").add(workflow.workflowArgs()).hex();
        Optional<WorkflowRow> existing = jdbi.withHandle(h -> workflows.find(h, toolVersionId, argsHash));
        long[] nodeIds = new long[n];
        if (existing.isPresent()) {
            // a resume, or a clash: its tasks and their nodes are all it can match, read in one go (0: not among them)
            TaskDao.StoredTasks stored = jdbi.withHandle(h -> taskDao.tasksWithNodes(h, existing.get().id()));
            for (int i = 0; i < n; i++) {
                Long id = stored.nodes().getOrDefault(versions.get(tasks.get(i).template()), Map.of()).get(hashes.node()[i]);
                nodeIds[i] = id == null ? 0 : id;
            }
            return bindExisting(workflow, existing.get(), options, stored.rows(), nodeIds, hashes.taskArgs(),
                    edgesOf(tasks, index, nodeIds), claimant);
        }
        String[] nodeHash = hashes.node();
        String[] taskArgsHash = hashes.taskArgs();

        List<DagDao.NewNode> newNodes = new ArrayList<>();
        jdbi.useHandle(h -> {
            for (Map.Entry<Long, List<Integer>> e : byVersion.entrySet()) {
                List<String> wanted = e.getValue().stream().map(i -> nodeHash[i]).toList();
                // a template version bound for the first time has no nodes to look up
                Map<String, Long> found = dags.hasNodes(h, e.getKey()) ? dags.findNodes(h, e.getKey(), wanted) : Map.of();
                List<Integer> missing = e.getValue().stream().filter(i -> !found.containsKey(nodeHash[i])).toList();
                long next = missing.isEmpty() ? 0 : IdBlocks.reserve(jdbi, IdBlocks.NODE, missing.size());
                for (int i : e.getValue()) {
                    Long id = found.get(nodeHash[i]);
                    if (id == null) {
                        id = next++;
                        newNodes.add(new DagDao.NewNode(id, e.getKey(), nodeHash[i], byId(tasks.get(i).nodeArgs(), argIds)));
                    }
                    nodeIds[i] = id;
                }
            }
        });

        List<long[]> edges = edgesOf(tasks, index, nodeIds);
        TreeSet<String> sortedNodes = new TreeSet<>();
        for (long id : nodeIds) {
            sortedNodes.add(Long.toString(id));
        }
        TreeSet<String> sortedEdges = new TreeSet<>();
        edges.forEach(e -> sortedEdges.add(e[0] + ">" + e[1]));
        String dagHash = IdentityHash.of("dag").addAll(sortedNodes).addAll(sortedEdges).hex();
        TreeSet<String> taskIdentities = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            taskIdentities.add(nodeIds[i] + ":" + taskArgsHash[i]);
        }
        String taskHash = IdentityHash.of("workflow_tasks").add(dagHash).addAll(taskIdentities).hex();

        ResourceResolver resolver = new ResourceResolver(workflow);
        Resources[] resources = new Resources[n];
        long[] paramSetIds = new long[n];
        long[] taskIds = new long[n];
        long firstTask = IdBlocks.reserve(jdbi, IdBlocks.TASK, n);
        int statics = 0;
        for (int i = 0; i < n; i++) {
            taskIds[i] = firstTask + i;
            if (tasks.get(i).dynamicResources().isEmpty()) {
                resources[i] = resolver.staticResources(tasks.get(i));
                statics++;
            }
        }
        long nextSet = statics == 0 ? 0 : IdBlocks.reserve(jdbi, IdBlocks.EXECUTOR_PARAMETER_SET, statics);
        List<NewTask> newTasks = new ArrayList<>(n);
        List<ParameterSet> sets = new ArrayList<>(statics);
        Set<String> attributeNames = new LinkedHashSet<>();
        tasks.forEach(t -> attributeNames.addAll(t.attributes().keySet()));
        Map<String, Long> attributeTypes = attributeNames.isEmpty() ? Map.of()
                : jdbi.withHandle(h -> tools.attributeTypeIds(h, "task_attribute_type", attributeNames));
        for (int i = 0; i < n; i++) {
            Task t = tasks.get(i);
            if (resources[i] != null) {
                paramSetIds[i] = nextSet++;
                sets.add(parameterSet(paramSetIds[i], taskIds[i], 'O', executorName, resources[i]));
            }
            newTasks.add(new NewTask(taskIds[i], nodeIds[i], versions.get(t.template()), taskArgsHash[i], t.name(), t.command(),
                    t.maxAttempts(), paramSetIds[i], byId(t.taskArgs(), argIds), byId(t.attributes(), attributeTypes)));
        }
        Map<String, Long> wfAttrTypes = workflow.attributes().isEmpty() ? Map.of()
                : jdbi.withHandle(h -> tools.attributeTypeIds(h, "workflow_attribute_type", workflow.attributes().keySet()));
        long workflowId;
        try {
            workflowId = jdbi.inTransaction(h -> {
                dags.insertNodes(h, newNodes);
                long dagId = dags.findDag(h, dagHash).orElseGet(() -> dags.insertDag(h, dagHash, edges,
                        templateEdges(tasks, versions)));
                long id = workflows.insert(h, toolVersionId, dagId, argsHash, taskHash, workflow.name(), workflow.description(),
                        workflow.workflowArgs(), options.maxConcurrentlyRunning());
                Map<Long, String> wfAttrs = new LinkedHashMap<>();
                workflow.attributes().forEach((k, v) -> wfAttrs.put(wfAttrTypes.get(k), v));
                workflows.insertAttributes(h, id, wfAttrs);
                taskDao.insertTasks(h, id, newTasks);
                taskDao.insertParameterSets(h, sets);
                workflows.setStatus(h, id, WorkflowStatus.BOUND.code());
                return id;
            });
        } catch (RuntimeException e) {
            // Another process bound the same nodes or workflow at the same moment (a duplicate key, or a
            // deadlock between the two inserts): the transaction wrote nothing, so bind again; what the
            // other process wrote is found this time.
            boolean deadlock = org.jobmon.persistence.DatabaseErrors.isTransient(e);
            if ((isUniqueViolation(e) || deadlock) && attempt < 20) {
                log.info("another process bound the same nodes or workflow at the same time ({}); binding again",
                        deadlock ? org.jobmon.persistence.DatabaseErrors.describe(e) : "the same key");
                if (deadlock) {
                    try {
                        Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(20, 100L * Math.min(attempt, 10)));
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
                return bind(workflow, index, options, executorName, claimant, attempt + 1);
            }
            throw e;
        }
        char[] status = new char[n];
        java.util.Arrays.fill(status, TaskStatus.REGISTERED.code());
        log.info("bound workflow {} '{}' with {} tasks", workflowId, workflow.name(), n);
        long runId = claims.claim(workflowId, false, false, claimant.owner()).runId();
        return new BoundWorkflow(workflowId, runId, taskIds, status, new int[n], paramSetIds, resources, 0, false, Map.of());
    }

    /** Each pair {upstream template version, downstream template version} that some dependency joins, once. */
    private static Collection<long[]> templateEdges(List<Task> tasks, Map<TaskTemplate, Long> versions) {
        Map<List<Long>, long[]> pairs = new LinkedHashMap<>();
        for (Task t : tasks) {
            long down = versions.get(t.template());
            for (Task up : t.upstreams()) {
                long u = versions.get(up.template());
                pairs.computeIfAbsent(List.of(u, down), k -> new long[] {u, down});
            }
        }
        return pairs.values();
    }

    /** Each dependency as {upstream node id, downstream node id}. */
    private static List<long[]> edgesOf(List<Task> tasks, Map<Task, Integer> index, long[] nodeIds) {
        List<long[]> edges = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            for (Task up : tasks.get(i).upstreams()) {
                edges.add(new long[] {nodeIds[index.get(up)], nodeIds[i]});
            }
        }
        return edges;
    }

    private BoundWorkflow bindExisting(Workflow workflow, WorkflowRow row, RunOptions options, List<TaskRow> rows, long[] nodeIds,
            String[] taskArgsHash, List<long[]> edges, Claimant claimant) {
        List<Task> tasks = workflow.tasks();
        int n = tasks.size();
        Map<Long, TaskRow> byNode = new HashMap<>();
        rows.forEach(r -> byNode.put(r.nodeId(), r));
        List<long[]> oldEdges = jdbi.withHandle(h -> dags.edges(h, row.dagId()));
        checkSameTasks(workflow, row, rows, byNode, nodeIds, taskArgsHash, edges, oldEdges);
        if (row.status() == WorkflowStatus.DONE.code()) {
            throw new JobmonException(ErrorCode.WORKFLOW_ALREADY_COMPLETE, "WorkflowAlreadyComplete: workflow " + row.id() + " '"
                    + row.name() + "' (workflow_args '" + workflow.workflowArgs() + "') is already complete: every task is DONE. "
                    + "To run it again, change workflow_args; to re-run some tasks, use jobmon update_task_status");
        }
        if (!options.resume()) {
            Optional<WorkflowDao.RunRow> live = claims.liveRun(row.id());
            if (live.isPresent()) {
                throw WorkflowClaim.runningNow(row.id(), live.get());
            }
            throw new JobmonException(ErrorCode.WORKFLOW_ALREADY_EXISTS, "WorkflowAlreadyExists: workflow " + row.id() + " '"
                    + row.name() + "' with the same workflow_args '" + workflow.workflowArgs() + "' and the same tasks exists "
                    + "and is not complete: pass resume (RunOptions.withResume(true), jobmon run --resume) to continue it, "
                    + "or change workflow_args to start a new workflow");
        }
        return resume(workflow, row, options, rows, i -> byNode.get(nodeIds[i]).id(), claimant);
    }

    /**
     * Binds a run of a workflow read back from the database ({@code jobmon workflow_resume}): its
     * tasks are index-aligned with {@code rows}.
     */
    public BoundWorkflow bindStored(Workflow rebuilt, WorkflowRow row, List<TaskRow> rows, RunOptions options, Claimant claimant) {
        if (row.status() == WorkflowStatus.DONE.code()) {
            throw new JobmonException(ErrorCode.WORKFLOW_ALREADY_COMPLETE, "WorkflowAlreadyComplete: workflow " + row.id() + " '"
                    + row.name() + "' is already complete: every task is DONE. To re-run some tasks, use jobmon update_task_status");
        }
        return resume(rebuilt, row, options, rows, i -> rows.get(i).id(), claimant);
    }

    /** Hands the workflow over from earlier runs and resets what is not DONE, keeping adopted attempts. */
    /**
     * Hands the workflow over from earlier runs and resets what is not DONE, keeping adopted attempts;
     * {@code read} is its tasks as read before the hand-over.
     */
    private BoundWorkflow resume(Workflow workflow, WorkflowRow row, RunOptions options, List<TaskRow> read,
            java.util.function.IntToLongFunction taskIdOf, Claimant claimant) {
        List<Task> tasks = workflow.tasks();
        int n = tasks.size();
        WorkflowClaim.Claimed claim = claims.claim(row.id(), true, options.hotResume(), claimant.owner(),
                options.otherUsersWorkflow());
        List<LiveInstance> live;
        try {
            live = handover.takeOver(row.id(), claim, options.hotResume(), leaseLength, claimant.waiting(), claimant.probe());
        } catch (RuntimeException e) {
            abandon(claim.runId());
            throw e;
        }
        Map<Long, LiveInstance> liveByTask = new HashMap<>();
        live.forEach(l -> liveByTask.put(l.taskId(), l));
        // read after the hand-over: settling earlier runs may have recorded attempts that finished while nobody watched
        // (only a task not DONE can have changed: those are read again, and a task missing from that read is DONE now)
        Map<Long, TaskRow> byId = new HashMap<>();
        read.forEach(r -> byId.put(r.id(), r));
        Map<Long, TaskDao.Progress> unfinished = jdbi.withHandle(h -> taskDao.unfinished(h, row.id()));
        Map<Integer, LiveInstance> adopted = new HashMap<>();
        long[] taskIds = new long[n];
        char[] status = new char[n];
        int[] attempts = new int[n];
        long[] paramSetIds = new long[n];
        Resources[] resources = new Resources[n];
        ResourceResolver resolver = new ResourceResolver(workflow);
        Map<Long, String> newCommands = new HashMap<>();
        List<TaskDao.TaskUpdate> resets = new ArrayList<>();
        List<TaskDao.StatusChange> changes = new ArrayList<>();
        int done = 0;
        for (int i = 0; i < n; i++) {
            Task t = tasks.get(i);
            TaskRow r = now(byId.get(taskIdOf.applyAsLong(i)), unfinished);
            taskIds[i] = r.id();
            if (!t.command().equals(r.command())) {
                newCommands.put(r.id(), t.command());
            }
            if (r.status() == TaskStatus.DONE.code()) {
                status[i] = TaskStatus.DONE.code();
                done++;
            } else if (liveByTask.containsKey(r.id())) {
                adopted.put(i, liveByTask.get(r.id()));
                status[i] = TaskStatus.RUNNING.code();
                attempts[i] = r.numAttempts();
                if (r.status() != TaskStatus.RUNNING.code()) {
                    resets.add(new TaskDao.TaskUpdate(r.id(), r.status(), TaskStatus.RUNNING.code(), r.numAttempts()));
                    changes.add(new TaskDao.StatusChange(r.id(), r.status(), TaskStatus.RUNNING.code()));
                }
            } else {
                status[i] = TaskStatus.REGISTERED.code();
                if (r.status() != TaskStatus.REGISTERED.code() || r.numAttempts() != 0) {
                    resets.add(new TaskDao.TaskUpdate(r.id(), r.status(), TaskStatus.REGISTERED.code(), 0));
                    changes.add(new TaskDao.StatusChange(r.id(), r.status(), TaskStatus.REGISTERED.code()));
                }
            }
            if (t.dynamicResources().isEmpty()) {
                resources[i] = resolver.staticResources(t);
                paramSetIds[i] = r.parameterSetId() == null ? 0 : r.parameterSetId();
            }
        }
        java.util.Set<Long> changedMeanwhile = jdbi.inTransaction(h -> {
            taskDao.updateCommands(h, newCommands);
            java.util.Set<Long> missed = taskDao.updateTasks(h, resets);
            taskDao.audit(h, claim.runId(), changes.stream().filter(c -> !missed.contains(c.taskId())).toList());
            workflows.setMaxConcurrentlyRunning(h, row.id(), options.maxConcurrentlyRunning());
            return missed;
        });
        if (!changedMeanwhile.isEmpty()) {
            // a task changed between the read and the reset (jobmon update_task_status): read it again and decide again
            abandon(claim.runId());
            throw new JobmonException(ErrorCode.REFUSED, changedMeanwhile.size() + " task(s) of workflow " + row.id()
                    + " changed while this resume read them (e.g. task " + changedMeanwhile.iterator().next()
                    + "); resume again to start from what they are now");
        }
        log.info("resuming workflow {} '{}': {} of {} tasks already DONE, {} still running and adopted", row.id(), row.name(),
                done, n, adopted.size());
        return new BoundWorkflow(row.id(), claim.runId(), taskIds, status, attempts, paramSetIds, resources, done, true, adopted);
    }

    /** A task's row as read before the hand-over, with its progress as it is after. */
    private static TaskRow now(TaskRow before, Map<Long, TaskDao.Progress> unfinished) {
        TaskDao.Progress p = unfinished.get(before.id());
        if (p == null) {
            return before.status() == TaskStatus.DONE.code() ? before : before.withProgress(TaskStatus.DONE.code(), before.numAttempts(),
                    before.parameterSetId());
        }
        return before.withProgress(p.status(), p.numAttempts(), p.parameterSetId());
    }

    /** A claim given up before its run started: its run is ABORTED, so it holds the workflow no longer. */
    /**
     * {@code values} keyed by the ids of their names, as small as it can be: binding keeps three of
     * these per task until the rows are written, most of them empty or of one entry.
     */
    private static Map<Long, String> byId(Map<String, String> values, Map<String, Long> ids) {
        if (values.isEmpty()) {
            return Map.of();
        }
        if (values.size() == 1) {
            Map.Entry<String, String> e = values.entrySet().iterator().next();
            return Collections.singletonMap(ids.get(e.getKey()), e.getValue());
        }
        Map<Long, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(ids.get(k), v));
        return out;
    }

    private void abandon(long runId) {
        try {
            jdbi.useHandle(h -> h.createUpdate("UPDATE workflow_run SET status = 'A', status_date = CURRENT_TIMESTAMP(6) "
                    + "WHERE id = :r AND status IN ('G', 'B')").bind("r", runId).execute());
        } catch (RuntimeException e) {
            log.debug("cannot abort run {}: {}", runId, e.getMessage());
        }
    }

    private void checkSameTasks(Workflow workflow, WorkflowRow row, List<TaskRow> rows, Map<Long, TaskRow> byNode,
            long[] nodeIds, String[] taskArgsHash, List<long[]> edges, List<long[]> oldEdges) {
        List<Task> tasks = workflow.tasks();
        String prefix = "WorkflowAlreadyExists: workflow_args '" + workflow.workflowArgs() + "' already belong to workflow "
                + row.id() + " '" + row.name() + "' with different tasks: ";
        String fix = ". Use new workflow_args for a new workflow, or restore the tasks to resume the old one";
        for (int i = 0; i < tasks.size(); i++) {
            TaskRow r = byNode.get(nodeIds[i]);
            if (r == null) {
                throw new JobmonException(ErrorCode.WORKFLOW_ALREADY_EXISTS, prefix + "task '" + tasks.get(i).name()
                        + "' (node args " + tasks.get(i).nodeArgs() + ") is not in it" + fix);
            }
            if (!r.taskArgsHash().equals(taskArgsHash[i])) {
                throw new JobmonException(ErrorCode.WORKFLOW_ALREADY_EXISTS, prefix + "task '" + tasks.get(i).name()
                        + "' has different task args " + tasks.get(i).taskArgs() + " than before" + fix);
            }
        }
        if (rows.size() != tasks.size()) {
            Set<Long> mine = new HashSet<>();
            for (long id : nodeIds) {
                mine.add(id);
            }
            String missing = rows.stream().filter(r -> !mine.contains(r.nodeId())).map(TaskRow::name).findFirst().orElse("?");
            throw new JobmonException(ErrorCode.WORKFLOW_ALREADY_EXISTS, prefix + "its task '" + missing
                    + "' is missing from this one" + fix);
        }
        Set<String> a = new HashSet<>();
        edges.forEach(e -> a.add(e[0] + ">" + e[1]));
        Set<String> b = new HashSet<>();
        oldEdges.forEach(e -> b.add(e[0] + ">" + e[1]));
        if (!a.equals(b)) {
            Map<Long, String> names = new HashMap<>();
            rows.forEach(r -> names.put(r.nodeId(), r.name()));
            Set<String> added = new HashSet<>(a);
            added.removeAll(b);
            Set<String> removed = new HashSet<>(b);
            removed.removeAll(a);
            String example = describeEdge(!added.isEmpty() ? added.iterator().next() : removed.iterator().next(), names);
            throw new JobmonException(ErrorCode.WORKFLOW_ALREADY_EXISTS, prefix + "the dependency " + example + " was "
                    + (!added.isEmpty() ? "added" : "removed") + fix);
        }
    }

    private static String describeEdge(String edge, Map<Long, String> names) {
        String[] p = edge.split(">");
        return "'" + names.get(Long.parseLong(p[0])) + "' -> '" + names.get(Long.parseLong(p[1])) + "'";
    }

    private long toolVersion(Handle h, Tool tool) {
        long toolId = tools.findOrCreateTool(h, tool.name());
        Optional<Long> pinned = tool.pinnedVersionId();
        if (pinned.isPresent()) {
            if (!tools.toolVersionExists(h, pinned.get())) {
                throw new JobmonException(ErrorCode.NOT_FOUND, "tool version " + pinned.get() + " of tool '" + tool.name()
                        + "' does not exist: use a version id from the tool_version table, or drop useVersion");
            }
            return pinned.get();
        }
        tools.lockTool(h, toolId);
        if (tool.newVersionRequested()) {
            return createdToolVersions.computeIfAbsent(tool, k -> tools.createToolVersion(h, toolId));
        }
        return tools.latestToolVersion(h, toolId).orElseGet(() -> tools.createToolVersion(h, toolId));
    }

    private long templateVersion(Handle h, long toolVersionId, TaskTemplate tt) {
        long templateId = tools.findOrCreateTemplate(h, toolVersionId, tt.name());
        String hash = IdentityHash.of("task_template_version").add(tt.commandTemplate()).addAll(tt.nodeArgs())
                .addAll(tt.taskArgs()).addAll(tt.opArgs()).hex();
        Map<String, Long> types = new LinkedHashMap<>();
        tt.nodeArgs().forEach(a -> types.put(a, ToolDao.NODE_ARG));
        tt.taskArgs().forEach(a -> types.put(a, ToolDao.TASK_ARG));
        tt.opArgs().forEach(a -> types.put(a, ToolDao.OP_ARG));
        return tools.findOrCreateTemplateVersion(h, templateId, tt.commandTemplate(), hash, types);
    }

    /** A parameter set row for these resources. */
    public static ParameterSet parameterSet(long id, long taskId, char type, String executorName, Resources r) {
        Map<String, Object> scales = new LinkedHashMap<>();
        r.resourceScales().forEach((k, v) -> scales.put(k, v.factor().isPresent() ? v.factor().get() : v.values()));
        return new ParameterSet(id, taskId, type, executorName, r.queue().orElse(null), r.numCores(), r.memoryMib(),
                r.maxRuntimeSeconds(), r.contextArgs(), scales, r.hardLimits());
    }

    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062)) {
                return true;
            }
        }
        return false;
    }
}

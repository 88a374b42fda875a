package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.spi.WorkflowRunners;

/**
 * A DAG of tasks of one tool, identified by its tool version, its workflow args and its tasks.
 * Running an identical workflow again resumes it (with {@link RunOptions#resume()}).
 */
public final class Workflow {
    private final Tool tool;
    private final String name;
    private String description = "";
    private String workflowArgs = UUID.randomUUID().toString();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private ExecutorSettings executor = ExecutorSettings.of(ExecutorNames.MULTIPROCESS);
    private ExecutorParameters defaultExecutorParameters = ExecutorParameters.empty();
    private Notifications notifications = Notifications.none();
    private final List<Task> tasks = new ArrayList<>();
    private final Set<Task> taskSet = Collections.newSetFromMap(new IdentityHashMap<>());

    Workflow(Tool tool, String name) {
        this.tool = requireNonNull(tool, "tool is null");
        if (name == null || name.isBlank()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "workflow name '" + name + "' must not be blank");
        }
        this.name = name;
    }

    public Tool tool() {
        return tool;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public Workflow description(String text) {
        this.description = text == null ? "" : text;
        return this;
    }

    /** The workflow's identity besides its tasks; defaults to a random UUID (a one-off workflow). */
    public String workflowArgs() {
        return workflowArgs;
    }

    public Workflow workflowArgs(String args) {
        if (args == null || args.isBlank()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT,
                    "workflow_args '" + args + "' must not be blank: leave them unset for a one-off workflow");
        }
        this.workflowArgs = args;
        return this;
    }

    public Map<String, String> attributes() {
        return Collections.unmodifiableMap(attributes);
    }

    public Workflow attribute(String attributeName, Object value) {
        attributes.put(requireNonNull(attributeName, "attribute name is null"), value == null ? null : String.valueOf(value));
        return this;
    }

    public Workflow attributes(Map<String, ?> values) {
        values.forEach(this::attribute);
        return this;
    }

    public ExecutorSettings executor() {
        return executor;
    }

    /** The executor by the seed's class name ("SGEExecutor") or short name ("sge"). */
    public Workflow setExecutor(String executorClass) {
        this.executor = ExecutorSettings.of(executorClass);
        return this;
    }

    /** The executor with the seed's workflow-level settings; null leaves a setting unset. */
    public Workflow setExecutor(String executorClass, Path stdout, Path stderr, String project, Path workingDir) {
        ExecutorSettings s = ExecutorSettings.of(executorClass);
        s = stdout == null ? s : s.withStdout(stdout);
        s = stderr == null ? s : s.withStderr(stderr);
        s = project == null ? s : s.withProject(project);
        s = workingDir == null ? s : s.withWorkingDir(workingDir);
        this.executor = s;
        return this;
    }

    public Workflow setExecutor(ExecutorSettings settings) {
        this.executor = requireNonNull(settings, "settings are null");
        return this;
    }

    public ExecutorParameters defaultExecutorParameters() {
        return defaultExecutorParameters;
    }

    /** Resources for every task unless its template or the task says otherwise. */
    public Workflow setDefaultExecutorParameters(ExecutorParameters parameters) {
        this.defaultExecutorParameters = requireNonNull(parameters, "parameters are null");
        return this;
    }

    public Notifications notifications() {
        return notifications;
    }

    /** Who is told when a run of this workflow ends (and, if asked, when a task fails fatally). */
    public Workflow notifications(Notifications who) {
        this.notifications = requireNonNull(who, "notifications are null");
        return this;
    }

    public List<Task> tasks() {
        return Collections.unmodifiableList(tasks);
    }

    public Workflow addTask(Task task) {
        requireNonNull(task, "task is null");
        if (!taskSet.add(task)) {
            throw new JobmonException(ErrorCode.INVALID_DAG, "task '" + task.name()
                    + "' was added to workflow '" + name + "' twice: add each task once");
        }
        tasks.add(task);
        return this;
    }

    public Workflow addTasks(Collection<Task> more) {
        more.forEach(this::addTask);
        return this;
    }

    public Optional<Task> findTask(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }

    /** Runs with the defaults: no resume, no fail fast, 36000 s timeout, 10000 at once. */
    public WorkflowRunResult run() {
        return run(RunOptions.defaults());
    }

    /** Runs on the engine found on the classpath (add jobmon-engine to your project). */
    public WorkflowRunResult run(RunOptions options) {
        return WorkflowRunners.load().run(this, options);
    }

    @Override
    public String toString() {
        return "Workflow[" + name + ", workflow_args=" + workflowArgs + ", " + tasks.size() + " tasks]";
    }
}

package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * A versioned command template of a tool: {@code "{python} {script} --location_id {location_id}"}
 * with its args sorted into node args (identity in the DAG), task args (identity of the command)
 * and op args (not identity). Tasks are created from it with every arg filled.
 */
public final class TaskTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern ARG_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Tool tool;
    private final String name;
    private final String commandTemplate;
    private final List<String> nodeArgs;
    private final List<String> taskArgs;
    private final List<String> opArgs;
    private volatile ExecutorParameters defaultExecutorParameters = ExecutorParameters.empty();

    TaskTemplate(Tool tool, String name, String commandTemplate, List<String> nodeArgs, List<String> taskArgs,
            List<String> opArgs) {
        this.tool = requireNonNull(tool, "tool is null");
        if (name == null || name.isBlank()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "task template name '" + name + "' must not be blank");
        }
        if (commandTemplate == null || commandTemplate.isBlank()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT,
                    "task template '" + name + "' has a blank command template: give the command with {arg} placeholders");
        }
        this.name = name;
        this.commandTemplate = commandTemplate;
        this.nodeArgs = List.copyOf(nodeArgs);
        this.taskArgs = List.copyOf(taskArgs);
        this.opArgs = List.copyOf(opArgs);
        checkArgs();
    }

    private void checkArgs() {
        Set<String> declared = new LinkedHashSet<>();
        for (List<String> kind : List.of(nodeArgs, taskArgs, opArgs)) {
            for (String arg : kind) {
                if (arg == null || !ARG_NAME.matcher(arg).matches()) {
                    throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "task template '" + name + "' declares arg '" + arg
                            + "', which is not a name: use letters, digits and _");
                }
                if (!declared.add(arg)) {
                    throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "task template '" + name + "' declares arg '" + arg
                            + "' more than once: an arg is a node arg, a task arg or an op arg, not two of them");
                }
            }
        }
        Set<String> used = placeholders(commandTemplate);
        Set<String> undeclared = new TreeSet<>(used);
        undeclared.removeAll(declared);
        if (!undeclared.isEmpty()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "task template '" + name + "' uses " + undeclared
                    + " in its command template without declaring them: add them to node_args, task_args or op_args");
        }
        Set<String> unused = new TreeSet<>(declared);
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "task template '" + name + "' declares " + unused
                    + " but its command template '" + commandTemplate + "' never uses them: add {name} to the command or drop the arg");
        }
    }

    static Set<String> placeholders(String template) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    boolean sameDefinition(TaskTemplate other) {
        return commandTemplate.equals(other.commandTemplate) && nodeArgs.equals(other.nodeArgs)
                && taskArgs.equals(other.taskArgs) && opArgs.equals(other.opArgs);
    }

    public Tool tool() {
        return tool;
    }

    public String name() {
        return name;
    }

    public String commandTemplate() {
        return commandTemplate;
    }

    public List<String> nodeArgs() {
        return nodeArgs;
    }

    public List<String> taskArgs() {
        return taskArgs;
    }

    public List<String> opArgs() {
        return opArgs;
    }

    public ExecutorParameters defaultExecutorParameters() {
        return defaultExecutorParameters;
    }

    /** Resources every task of this template gets unless the task says otherwise. */
    public TaskTemplate setDefaultExecutorParameters(ExecutorParameters parameters) {
        this.defaultExecutorParameters = requireNonNull(parameters, "parameters is null");
        return this;
    }

    /** Starts a task of this template; fill every arg, then {@link Task.Builder#build()}. */
    public Task.Builder createTask() {
        return new Task.Builder(this);
    }

    /** A task with these args and everything else at its default. */
    public Task createTask(Map<String, ?> args) {
        return createTask().args(args).build();
    }

    /** Renders the command; args are already checked to be exactly the declared ones. */
    String render(Map<String, String> args) {
        Matcher m = PLACEHOLDER.matcher(commandTemplate);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(args.get(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Checks that {@code args} fills every declared arg and nothing else. */
    Map<String, String> checkTaskArgs(String taskName, Map<String, String> args) {
        List<String> missing = new ArrayList<>();
        for (List<String> kind : List.of(nodeArgs, taskArgs, opArgs)) {
            for (String a : kind) {
                if (!args.containsKey(a)) {
                    missing.add(a);
                }
            }
        }
        Collection<String> unknown = new TreeSet<>(args.keySet());
        unknown.removeAll(nodeArgs);
        unknown.removeAll(taskArgs);
        unknown.removeAll(opArgs);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            StringBuilder msg = new StringBuilder("task '" + taskName + "' of template '" + name + "'");
            if (!missing.isEmpty()) {
                msg.append(" is missing args ").append(missing);
            }
            if (!unknown.isEmpty()) {
                msg.append(missing.isEmpty() ? "" : " and").append(" has unknown args ").append(unknown);
            }
            msg.append(": the template's args are node_args ").append(nodeArgs).append(", task_args ").append(taskArgs)
                    .append(", op_args ").append(opArgs);
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, msg.toString());
        }
        return new LinkedHashMap<>(args);
    }

    @Override
    public String toString() {
        return "TaskTemplate[" + tool.name() + "/" + name + ": " + commandTemplate + "]";
    }
}

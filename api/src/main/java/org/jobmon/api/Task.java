package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * One command in a workflow's DAG, created from a {@link TaskTemplate} with every arg filled.
 * Tasks are plain objects until their workflow runs; upstreams may be added until then.
 */
public final class Task {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private final TaskTemplate template;
    private final String name;
    private final Map<String, String> nodeArgs;
    private final Map<String, String> taskArgs;
    private final Map<String, String> opArgs;
    private final String command;
    private final int maxAttempts;
    private final ExecutorParameters executorParameters;
    private final DynamicResources dynamicResources;
    private final Map<String, String> attributes;
    private final TaskLinks upstreams = new TaskLinks();
    private final TaskLinks downstreams = new TaskLinks();

    private Task(Builder b, Map<String, String> args) {
        this.template = b.template;
        this.nodeArgs = pick(args, template.nodeArgs());
        this.taskArgs = pick(args, template.taskArgs());
        this.opArgs = pick(args, template.opArgs());
        this.name = b.name != null ? b.name : defaultName(template, nodeArgs, taskArgs);
        this.command = template.render(args);
        this.maxAttempts = b.maxAttempts;
        this.executorParameters = b.executorParameters;
        this.dynamicResources = b.dynamicResources;
        this.attributes = compact(b.attributes);
    }

    private static Map<String, String> pick(Map<String, String> args, List<String> names) {
        if (names.size() == 1) {
            return Collections.singletonMap(names.get(0), args.get(names.get(0)));
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, args.get(n));
        }
        return compact(out);
    }

    /**
     * An unmodifiable copy in the same order, as small as it can be: a workflow of a million tasks
     * keeps four of these per task, most of them empty or of a few entries.
     */
    private static Map<String, String> compact(Map<String, String> map) {
        return switch (map.size()) {
            case 0 -> Map.of();
            case 1 -> {
                Map.Entry<String, String> e = map.entrySet().iterator().next();
                yield Collections.singletonMap(e.getKey(), e.getValue());
            }
            default -> map.size() <= 8 ? ArgMap.copyOf(map) : Collections.unmodifiableMap(new LinkedHashMap<>(map));
        };
    }

    private static String defaultName(TaskTemplate template, Map<String, String> nodeArgs, Map<String, String> taskArgs) {
        Collection<String> values = nodeArgs.isEmpty() ? taskArgs.values() : nodeArgs.values();
        String suffix = values.stream().map(v -> v.replaceAll("[^A-Za-z0-9._-]+", "_")).collect(Collectors.joining("_"));
        String n = suffix.isEmpty() ? template.name() : template.name() + "_" + suffix;
        return n.length() > 250 ? n.substring(0, 250) : n;
    }

    public TaskTemplate template() {
        return template;
    }

    public String name() {
        return name;
    }

    public Map<String, String> nodeArgs() {
        return nodeArgs;
    }

    public Map<String, String> taskArgs() {
        return taskArgs;
    }

    public Map<String, String> opArgs() {
        return opArgs;
    }

    /** The command with every arg filled in. */
    public String command() {
        return command;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** The task's own resources (layered over template and workflow defaults when it runs). */
    public ExecutorParameters executorParameters() {
        return executorParameters;
    }

    /** A function computing resources when the task becomes ready, instead of static ones. */
    public Optional<DynamicResources> dynamicResources() {
        return Optional.ofNullable(dynamicResources);
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    public Set<Task> upstreams() {
        return upstreams.view();
    }

    public Set<Task> downstreams() {
        return downstreams.view();
    }

    /** Makes this task wait for {@code upstream} to be DONE. */
    public Task addUpstream(Task upstream) {
        requireNonNull(upstream, "upstream is null");
        if (upstream == this) {
            throw new JobmonException(ErrorCode.INVALID_DAG, "task '" + name + "' cannot be its own upstream");
        }
        upstreams.add(upstream);
        upstream.downstreams.add(this);
        return this;
    }

    public Task addUpstreams(Collection<Task> tasks) {
        tasks.forEach(this::addUpstream);
        return this;
    }

    /** Makes {@code downstream} wait for this task. */
    public Task addDownstream(Task downstream) {
        requireNonNull(downstream, "downstream is null").addUpstream(this);
        return this;
    }

    @Override
    public String toString() {
        return "Task[" + name + "]";
    }

    /** Fills a task's args and options. */
    public static final class Builder {
        private final TaskTemplate template;
        private final Map<String, String> args = new LinkedHashMap<>();
        private final Map<String, String> attributes = new LinkedHashMap<>();
        private final List<Task> upstreams = new ArrayList<>();
        private String name;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private ExecutorParameters executorParameters = ExecutorParameters.empty();
        private DynamicResources dynamicResources;

        Builder(TaskTemplate template) {
            this.template = template;
        }

        public Builder name(String name) {
            if (name == null || name.isBlank()) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "task name '" + name + "' must not be blank");
            }
            if (name.length() > 255) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "task name '" + name.substring(0, 40)
                        + "...' is " + name.length() + " characters long: use at most 255");
            }
            this.name = name;
            return this;
        }

        /** Sets one arg; the value is used as its text. */
        public Builder arg(String argName, Object value) {
            requireNonNull(argName, "argName is null");
            if (value == null) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "arg '" + argName + "' of a task of template '"
                        + template.name() + "' is null: give it a value");
            }
            args.put(argName, String.valueOf(value));
            return this;
        }

        public Builder args(Map<String, ?> values) {
            values.forEach(this::arg);
            return this;
        }

        public Builder upstream(Task task) {
            upstreams.add(requireNonNull(task, "upstream task is null"));
            return this;
        }

        public Builder upstreams(Collection<Task> tasks) {
            tasks.forEach(this::upstream);
            return this;
        }

        public Builder maxAttempts(int attempts) {
            if (attempts < 1) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT,
                        "max_attempts " + attempts + " must be at least 1 (1 means no retries)");
            }
            this.maxAttempts = attempts;
            return this;
        }

        public Builder executorParameters(ExecutorParameters parameters) {
            this.executorParameters = requireNonNull(parameters, "executor parameters are null");
            this.dynamicResources = null;
            return this;
        }

        /** Resources computed when the task becomes ready (the seed's dynamic resources). */
        public Builder executorParameters(DynamicResources function) {
            this.dynamicResources = requireNonNull(function, "resource function is null");
            return this;
        }

        public Builder attribute(String attributeName, Object value) {
            attributes.put(requireNonNull(attributeName, "attribute name is null"), value == null ? null : String.valueOf(value));
            return this;
        }

        /** Task attributes as name to value. */
        public Builder attributes(Map<String, ?> values) {
            values.forEach(this::attribute);
            return this;
        }

        /** Task attributes given only by name (the seed accepts a list). */
        public Builder attributes(Collection<String> names) {
            names.forEach(n -> attribute(n, null));
            return this;
        }

        /** Checks the args against the template and makes the task. */
        public Task build() {
            String display = name != null ? name : template.name();
            Map<String, String> checked = template.checkTaskArgs(display, args);
            Task task = new Task(this, checked);
            upstreams.forEach(task::addUpstream);
            return task;
        }
    }
}

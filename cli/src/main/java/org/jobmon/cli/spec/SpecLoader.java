package org.jobmon.cli.spec;

import static org.jobmon.cli.spec.SpecNode.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Notifications;
import org.jobmon.api.ResourceParser;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a workflow spec (YAML or JSON) into api objects. Every check happens here, before the
 * engine sees the workflow, so a bad spec writes nothing to the database; each error names the
 * file, the path in the spec ({@code tasks[1].foreach.location_id}), the bad value and the fix.
 *
 * <pre>{@code
 * tool: demo_tool
 * workflow:
 *   name: three_phase
 *   workflow_args: three_phase_demo      # identity: omit for a one-off workflow (cannot be resumed)
 *   description: optional text
 *   executor: multiprocess               # sequential, multiprocess, sge, slurm, a plugin, or the seed's class names
 *   executor_config: {stdout: out/, stderr: err/, working_dir: ., project: proj_x, slots: 2}
 *   max_concurrently_running: 100
 *   fail_fast: false
 *   seconds_until_timeout: 36000         # or a duration: 10h, 01:30:00
 *   attributes: {release_id: 3}
 *   default_executor_parameters: {num_cores: 1, m_mem_free: 1G, max_runtime_seconds: 600, queue: all.q}
 *   notify: {command: "mail -s jobmon me", webhook: "https://hooks.example.com/...", on: [failed, task_fatal]}
 * task_templates:
 *   transform:
 *     command_template: "{python} {script} --location_id {location_id} --sex_id {sex_id} --out {out}"
 *     node_args: [location_id, sex_id]
 *     task_args: [out]
 *     op_args: [python, script]
 *     default_executor_parameters: {m_mem_free: 2G}
 * tasks:
 *   - template: transform
 *     name: "transform_{location_id}_{sex_id}"
 *     foreach: {location_id: {from: 1, to: 10}, sex_id: [1, 2]}
 *     args: {python: python3, script: scripts/transform.py, out: "out/t_{location_id}_{sex_id}"}
 *     max_attempts: 3
 *     executor_parameters: {max_runtime_seconds: 60}
 *     attributes: {release_id: 3}
 *     upstreams: ["prepare_*"]
 * }</pre>
 *
 * <p>Rules, where the format leaves a choice:
 * <ul>
 * <li><b>Keys</b> are snake_case and checked everywhere: an unknown key is an error naming it, its
 * path and the allowed keys. The one open map is {@code executor_config}: keys other than stdout,
 * stderr, working_dir and project go to the executor as extra settings (text). A key with no value
 * ({@code queue:}) is an error, not a default; a key given twice in one map is an error.
 * <li><b>foreach</b> variables take a list of values or an inclusive range {@code {from, to, step}}
 * (step defaults to 1, may be negative); an entry makes one task per combination, the first variable
 * varying slowest. A variable named like one of the template's args fills that arg (giving the
 * same arg under {@code args} too is an error). Any other variable is only for formatting: it must
 * be used in the name, an arg value, an attribute or an upstream pattern, so that a misspelt arg
 * does not pass as a formatting variable. An entry without foreach is one task.
 * <li><b>Placeholders</b> {@code {name}} in the task name, attribute values and upstream patterns
 * are filled from the entry's foreach values and its args (after their own placeholders are
 * filled). In arg values they are filled from the foreach values and the args whose values have
 * no placeholders. {@code {{} and {@code }}} give literal braces. The command template's
 * placeholders are the api's: every template arg must be filled, and nothing else may be.
 * <li><b>Names</b>: task names must be unique in a spec (the error names both entries that made
 * the name). A task without {@code name} gets the api's default name (template and node args).
 * <li><b>upstreams</b> are task names or patterns where {@code *} matches any text, filled with the
 * task's placeholders first ({@code "transform_{location_id}_*"}); they may name tasks of any
 * entry, earlier or later. A pattern that matches no task, or only the task itself, is an error;
 * a task never waits for itself, so a pattern that also matches its own task skips it.
 * <li><b>Paths</b>: relative paths in executor_config (stdout, stderr, working_dir) are relative
 * to the folder of the spec file, not the current directory; {@code ~} is the home folder.
 * working_dir defaults to the spec's folder, so relative script paths in commands work from
 * anywhere. Paths inside args are passed as written.
 * <li><b>Executor parameters</b> (num_cores, m_mem_free, max_runtime_seconds, queue, context_args,
 * resource_scales, hard_limits, executor_class) are set at three levels that the engine layers:
 * the workflow's default_executor_parameters, under a template's, under a task entry's own
 * executor_parameters.
 * </ul>
 */
public final class SpecLoader {
    private static final Logger log = LoggerFactory.getLogger(SpecLoader.class);

    static final Set<String> TOP_KEYS = keys("tool", "workflow", "task_templates", "tasks");
    static final Set<String> WORKFLOW_KEYS = keys("name", "workflow_args", "description", "executor", "executor_config",
            "max_concurrently_running", "fail_fast", "seconds_until_timeout", "attributes", "default_executor_parameters", "notify");
    static final Set<String> NOTIFY_KEYS = keys("command", "webhook", "on", "timeout_seconds");
    static final Set<String> TEMPLATE_KEYS = keys("command_template", "node_args", "task_args", "op_args",
            "default_executor_parameters");
    static final Set<String> TASK_KEYS = keys("template", "name", "foreach", "args", "max_attempts", "executor_parameters",
            "attributes", "upstreams");
    static final Set<String> EXECUTOR_CONFIG_KEYS = keys("stdout", "stderr", "working_dir", "project", "run_root");

    private final KnownExecutors executors;
    private final ExecutorParametersReader parameters;

    public SpecLoader(KnownExecutors executors) {
        this.executors = executors;
        this.parameters = new ExecutorParametersReader(executors);
    }

    /** A loader that accepts Jobmon's executors and the plugins on the classpath. */
    public static SpecLoader withInstalledExecutors() {
        return new SpecLoader(KnownExecutors.installed());
    }

    /** Reads and checks the spec file; relative paths in it are relative to its folder. */
    public LoadedSpec load(Path file) {
        String text = readText(file, "the spec file", "give the spec file (.yaml or .json)");
        return parse(file.toString(), file.toAbsolutePath().normalize().getParent(), text);
    }

    /**
     * Reads a file that holds what a spec's {@code workflow.notify} holds ({@code command},
     * {@code webhook}, {@code on}, {@code timeout_seconds}), as YAML or JSON, and checks it as the
     * spec's is checked: for {@code jobmon workflow_resume --notify FILE}, since the database keeps
     * no notifiers (a webhook's URL is a secret).
     */
    public static Notifications notifications(Path file) {
        String text = readText(file, "the notify file", "give a YAML or JSON file with command, webhook, on and timeout_seconds");
        return notifications(SpecReader.read(file.toString(), text));
    }

    private static String readText(Path file, String what, String fix) {
        String shown = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, shown + " is a folder: " + fix);
            }
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, what + " " + shown + " does not exist"
                    + " (looked in " + file.toAbsolutePath().normalize().getParent() + ")", e);
        } catch (AccessDeniedException e) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, what + " " + shown + " cannot be read: permission denied", e);
        } catch (CharacterCodingException e) {
            throw new JobmonException(ErrorCode.INVALID_SPEC, shown + ": is not UTF-8 text", e);
        } catch (IOException e) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, what + " " + shown + " cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads spec text as if from a file named {@code name} in {@code folder}. */
    public LoadedSpec parse(String name, Path folder, String text) {
        return new Build(SpecReader.read(name, text), folder.toAbsolutePath().normalize(), Path.of(name)).run();
    }

    /** One task made by an entry, with where it came from and its upstream patterns filled. */
    private record Made(Task task, int entry, String where, SpecNode nameNode, List<SpecNode> upstreamNodes,
            List<String> upstreamPatterns) {
    }

    /** The state of reading one spec. */
    private final class Build {
        private final SpecNode root;
        private final Path folder;
        private final Path file;
        private final Map<String, TaskTemplate> templates = new LinkedHashMap<>();
        private final Set<String> usedTemplates = new LinkedHashSet<>();
        private final List<Made> made = new ArrayList<>();
        private final TaskNameIndex<Made> byName = new TaskNameIndex<>();
        private final List<String> exampleNames = new ArrayList<>();

        Build(SpecNode root, Path folder, Path file) {
            this.root = root;
            this.folder = folder;
            this.file = file;
        }

        LoadedSpec run() {
            Map<String, SpecNode> top = root.object(TOP_KEYS, TOP_KEYS);
            SpecNode toolNode = top.get("tool");
            String toolName = toolNode.nonBlankText();
            Tool tool = api(toolNode, () -> Tool.create(toolName));

            SpecNode workflowNode = top.get("workflow");
            Map<String, SpecNode> wf = workflowNode.object(WORKFLOW_KEYS, keys("name"));
            RunOptions options = runOptions(wf);

            readTemplates(tool, top.get("task_templates"));
            readTasks(top.get("tasks"));
            linkUpstreams();
            templates.keySet().stream().filter(t -> !usedTemplates.contains(t))
                    .forEach(t -> log.info("{}: task template '{}' is not used by any task", root.file(), t));

            Workflow workflow = workflow(tool, workflowNode, wf);
            return new LoadedSpec(file, workflow, options, wf.containsKey("workflow_args"));
        }

        private Workflow workflow(Tool tool, SpecNode workflowNode, Map<String, SpecNode> wf) {
            SpecNode nameNode = wf.get("name");
            String name = nameNode.nonBlankText();
            Workflow workflow = api(nameNode, () -> tool.createWorkflow(name));
            if (wf.containsKey("workflow_args")) {
                SpecNode n = wf.get("workflow_args");
                String args = n.scalarText();
                api(n, () -> workflow.workflowArgs(args));
            }
            if (wf.containsKey("description")) {
                workflow.description(wf.get("description").text());
            }
            if (wf.containsKey("attributes")) {
                workflow.attributes(attributes(wf.get("attributes"), null));
            }
            workflow.setExecutor(executorSettings(workflowNode.get("executor"), workflowNode.get("executor_config")));
            if (wf.containsKey("default_executor_parameters")) {
                workflow.setDefaultExecutorParameters(parameters.read(wf.get("default_executor_parameters")));
            }
            if (wf.containsKey("notify")) {
                workflow.notifications(notifications(wf.get("notify")));
            }
            for (Made m : made) {
                workflow.addTask(m.task());
            }
            return workflow;
        }

        private RunOptions runOptions(Map<String, SpecNode> wf) {
            RunOptions o = RunOptions.defaults();
            if (wf.containsKey("fail_fast")) {
                o = o.withFailFast(wf.get("fail_fast").bool());
            }
            if (wf.containsKey("max_concurrently_running")) {
                SpecNode n = wf.get("max_concurrently_running");
                int max = n.intValue();
                RunOptions base = o;
                o = api(n, () -> base.withMaxConcurrentlyRunning(max));
            }
            if (wf.containsKey("seconds_until_timeout")) {
                SpecNode n = wf.get("seconds_until_timeout");
                Object value = n.scalarValue();
                long seconds = api(n, () -> ResourceParser.runtimeSeconds("seconds_until_timeout", value));
                o = o.withSecondsUntilTimeout(seconds);
            }
            return o;
        }

        private ExecutorSettings executorSettings(SpecNode executorNode, SpecNode configNode) {
            String executor = executorNode.present() ? executors.check(executorNode) : ExecutorNames.MULTIPROCESS;
            ExecutorSettings s = ExecutorSettings.of(executor);
            Map<String, String> extra = new LinkedHashMap<>();
            Map<String, SpecNode> config = configNode.present() ? configNode.anyObject() : Map.of();
            for (Map.Entry<String, SpecNode> e : config.entrySet()) {
                SpecNode v = e.getValue();
                switch (e.getKey()) {
                    case "stdout" -> s = s.withStdout(path(v));
                    case "stderr" -> s = s.withStderr(path(v));
                    case "working_dir" -> s = s.withWorkingDir(path(v));
                    case "project" -> s = s.withProject(v.nonBlankText());
                    case ExecutorSettings.RUN_ROOT -> extra.put(ExecutorSettings.RUN_ROOT, path(v).toString());
                    default -> {
                        String hint = Suggestions.didYouMean(e.getKey(), EXECUTOR_CONFIG_KEYS);
                        if (!hint.isEmpty()) {
                            log.warn("{}: {}: passed to the executor as an extra setting{}", root.file(), v.path(), hint);
                        }
                        extra.put(e.getKey(), v.scalarText());
                    }
                }
            }
            if (!config.containsKey("working_dir")) {
                s = s.withWorkingDir(folder);
            }
            return s.withExtra(extra);
        }

        /** A path from the spec: relative to the spec's folder, {@code ~} for the home folder. */
        private Path path(SpecNode node) {
            String text = node.nonBlankText();
            try {
                Path p;
                if (text.equals("~") || text.startsWith("~/")) {
                    p = Path.of(System.getProperty("user.home")).resolve(text.equals("~") ? "" : text.substring(2));
                } else {
                    p = Path.of(text);
                }
                return (p.isAbsolute() ? p : folder.resolve(p)).normalize();
            } catch (InvalidPathException e) {
                throw node.error("'" + text + "' is not a path: " + e.getReason());
            }
        }

        private void readTemplates(Tool tool, SpecNode node) {
            Map<String, SpecNode> entries = node.anyObject();
            if (entries.isEmpty()) {
                throw node.error("no task templates: define at least one, such as\n  task_templates:\n    hello:\n"
                        + "      command_template: \"echo {greeting}\"\n      node_args: [greeting]");
            }
            for (Map.Entry<String, SpecNode> e : entries.entrySet()) {
                SpecNode t = e.getValue();
                Map<String, SpecNode> keys = t.object(TEMPLATE_KEYS, keys("command_template"));
                String command = keys.get("command_template").nonBlankText();
                List<String> nodeArgs = argNames(t.get("node_args"));
                List<String> taskArgs = argNames(t.get("task_args"));
                List<String> opArgs = argNames(t.get("op_args"));
                TaskTemplate template = api(t, () -> tool.getTaskTemplate(e.getKey(), command, nodeArgs, taskArgs, opArgs));
                if (keys.containsKey("default_executor_parameters")) {
                    template.setDefaultExecutorParameters(parameters.read(keys.get("default_executor_parameters")));
                }
                templates.put(e.getKey(), template);
            }
        }

        private List<String> argNames(SpecNode node) {
            if (!node.present()) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (SpecNode item : node.list()) {
                names.add(item.nonBlankText());
            }
            return names;
        }

        private void readTasks(SpecNode node) {
            List<SpecNode> entries = node.list();
            if (entries.isEmpty()) {
                throw node.error("tasks is empty: add at least one entry, such as\n  tasks:\n    - template: "
                        + templates.keySet().iterator().next() + "\n      args: {...}");
            }
            for (int i = 0; i < entries.size(); i++) {
                readEntry(entries.get(i), i);
            }
        }

        private void readEntry(SpecNode entry, int index) {
            Map<String, SpecNode> keys = entry.object(TASK_KEYS, keys("template"));
            SpecNode templateNode = keys.get("template");
            String templateName = templateNode.nonBlankText();
            TaskTemplate template = templates.get(templateName);
            if (template == null) {
                throw templateNode.error("there is no task template '" + templateName + "'"
                        + Suggestions.didYouMean(templateName, templates.keySet()) + ": define it under task_templates, or use one of "
                        + String.join(", ", templates.keySet()));
            }
            usedTemplates.add(templateName);
            Set<String> templateArgs = new LinkedHashSet<>();
            templateArgs.addAll(template.nodeArgs());
            templateArgs.addAll(template.taskArgs());
            templateArgs.addAll(template.opArgs());

            Foreach foreach = keys.containsKey("foreach") ? Foreach.parse(keys.get("foreach")) : Foreach.none();
            Set<String> variables = new LinkedHashSet<>(foreach.variables());

            // args: only the template's, not also given by foreach
            Map<String, String> rawArgs = new LinkedHashMap<>();
            Map<String, SpecNode> argNodes = keys.containsKey("args") ? keys.get("args").anyObject() : Map.of();
            for (Map.Entry<String, SpecNode> a : argNodes.entrySet()) {
                if (!templateArgs.contains(a.getKey())) {
                    throw a.getValue().error("'" + a.getKey() + "' is not an arg of template '" + templateName + "'"
                            + Suggestions.didYouMean(a.getKey(), templateArgs) + ": " + argsOf(template)
                            + (variables.isEmpty() ? "" : "; a value used only in names and patterns goes under foreach"));
                }
                if (variables.contains(a.getKey())) {
                    throw a.getValue().error("'" + a.getKey() + "' is given both under args and under foreach: keep one");
                }
                rawArgs.put(a.getKey(), a.getValue().scalarText());
            }
            List<String> missing = templateArgs.stream()
                    .filter(a -> !rawArgs.containsKey(a) && !variables.contains(a)).toList();
            if (!missing.isEmpty()) {
                SpecNode at = keys.containsKey("args") ? keys.get("args") : entry;
                throw at.error("template '" + templateName + "' needs " + (missing.size() == 1 ? "the arg " : "the args ")
                        + String.join(", ", missing) + ", which this entry does not give: add "
                        + (missing.size() == 1 ? "it" : "them") + " under args (or under foreach for one task per value); "
                        + argsOf(template));
            }

            // placeholders: arg values see foreach values and plain args; the rest see every arg
            Set<String> plainArgs = rawArgs.entrySet().stream().filter(a -> Placeholders.names(a.getValue()).isEmpty())
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(LinkedHashSet::new));
            Set<String> used = new LinkedHashSet<>();
            for (Map.Entry<String, String> a : rawArgs.entrySet()) {
                for (String ref : Placeholders.names(a.getValue())) {
                    used.add(ref);
                    if (!variables.contains(ref) && !plainArgs.contains(ref)) {
                        SpecNode at = argNodes.get(a.getKey());
                        throw at.error(rawArgs.containsKey(ref)
                                ? "{" + ref + "} refers to the arg " + ref + ", whose own value has placeholders: "
                                        + "an arg value may use foreach variables and args with plain values"
                                : unknownPlaceholder(ref, variables, rawArgs.keySet()));
                    }
                }
            }
            Set<String> known = new LinkedHashSet<>(variables);
            known.addAll(rawArgs.keySet());
            SpecNode nameNode = keys.get("name");
            String nameText = nameNode == null ? null : checked(nameNode, nameNode.nonBlankText(), known, used);
            List<SpecNode> upstreamNodes = keys.containsKey("upstreams") ? keys.get("upstreams").list() : List.of();
            List<String> upstreamTexts = new ArrayList<>();
            for (SpecNode u : upstreamNodes) {
                upstreamTexts.add(checked(u, u.nonBlankText(), known, used));
            }
            Map<String, String> attributeTexts = keys.containsKey("attributes")
                    ? attributes(keys.get("attributes"), (n, text) -> checked(n, text, known, used)) : Map.of();
            for (String v : variables) {
                if (!templateArgs.contains(v) && !used.contains(v)) {
                    throw keys.get("foreach").get(v).error("'" + v + "' is neither an arg of template '" + templateName
                            + "' nor used in the name, an arg, an attribute or an upstream" + Suggestions.didYouMean(v, templateArgs)
                            + ": use {" + v + "} somewhere, or drop it; " + argsOf(template));
                }
            }

            int maxAttempts = keys.containsKey("max_attempts") ? keys.get("max_attempts").intValue() : Task.DEFAULT_MAX_ATTEMPTS;
            ExecutorParameters own = keys.containsKey("executor_parameters")
                    ? parameters.read(keys.get("executor_parameters")) : null;

            String entryPath = "tasks[" + index + "]";
            for (Map<String, String> combination : foreach.combinations()) {
                String values = combination.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(Collectors.joining(", "));
                String where = combination.isEmpty() ? entryPath : entryPath + " (" + values + ")";
                Map<String, String> argContext = new LinkedHashMap<>(combination);
                plainArgs.forEach(a -> argContext.put(a, rawArgs.get(a)));
                Map<String, String> args = new LinkedHashMap<>();
                rawArgs.forEach((k, v) -> args.put(k, Placeholders.fill(v, argContext)));
                combination.forEach((k, v) -> {
                    if (templateArgs.contains(k)) {
                        args.put(k, v);
                    }
                });
                Map<String, String> context = new LinkedHashMap<>(combination);
                context.putAll(args);

                Task.Builder b = template.createTask();
                if (nameText != null) {
                    String name = Placeholders.fill(nameText, context);
                    api(nameNode, values, () -> b.name(name));
                }
                b.args(args);
                api(keys.containsKey("max_attempts") ? keys.get("max_attempts") : entry, values, () -> b.maxAttempts(maxAttempts));
                if (own != null) {
                    b.executorParameters(own);
                }
                attributeTexts.forEach((k, v) -> b.attribute(k, v == null ? null : Placeholders.fill(v, context)));
                Task task = api(entry, values, b::build);
                List<String> patterns = upstreamTexts.stream().map(u -> Placeholders.fill(u, context)).toList();
                add(new Made(task, index, where, nameNode == null ? entry : nameNode, upstreamNodes, patterns));
            }
        }

        private void add(Made m) {
            if (exampleNames.isEmpty() || made.get(made.size() - 1).entry() != m.entry()) {
                exampleNames.add(m.task().name());
            }
            Made before = byName.putIfAbsent(m.task().name(), m);
            if (before != null) {
                throw m.nameNode().error("the task name '" + m.task().name() + "' of " + m.where()
                        + " is also the name of " + before.where() + ": task names must be unique in a spec;"
                        + " put every foreach variable in the name, such as name: \"transform_{location_id}_{sex_id}\"");
            }
            made.add(m);
        }

        private void linkUpstreams() {
            for (Made m : made) {
                for (int i = 0; i < m.upstreamPatterns().size(); i++) {
                    String pattern = m.upstreamPatterns().get(i);
                    SpecNode node = m.upstreamNodes().get(i);
                    List<Made> found = byName.match(pattern);
                    String shown = "'" + node.text() + "'" + (pattern.equals(node.text()) ? "" : " (here '" + pattern + "')");
                    if (found.isEmpty()) {
                        throw node.error("the upstream " + shown + " of " + m.where() + " matches no task: give a task name,"
                                + " or a pattern where * matches any text; task names in this spec look like "
                                + String.join(", ", exampleNames.subList(0, Math.min(5, exampleNames.size()))));
                    }
                    if (found.size() == 1 && found.get(0) == m) {
                        throw node.error("the upstream " + shown + " of " + m.where()
                                + " matches only the task itself: a task cannot wait for itself");
                    }
                    for (Made up : found) {
                        if (up != m) {
                            m.task().addUpstream(up.task());
                        }
                    }
                }
            }
        }

        /** The text after checking that its placeholders are known; records the names it uses. */
        private String checked(SpecNode node, String text, Set<String> known, Set<String> used) {
            for (String ref : Placeholders.names(text)) {
                if (!known.contains(ref)) {
                    throw node.error(unknownPlaceholder(ref, known, Set.of()));
                }
                used.add(ref);
            }
            return text;
        }

        private String unknownPlaceholder(String ref, Set<String> variables, Set<String> args) {
            Set<String> all = new LinkedHashSet<>(variables);
            all.addAll(args);
            return "{" + ref + "} is not a foreach variable or an arg of this task" + Suggestions.didYouMean(ref, all)
                    + (all.isEmpty() ? ": this entry has none" : ": use one of " + String.join(", ", all))
                    + "; write {{" + ref + "}} for the literal text {" + ref + "}";
        }

        /** Attributes as a map of values or a list of names; {@code format} checks text values (tasks only). */
        private Map<String, String> attributes(SpecNode node, BiFunction<SpecNode, String, String> format) {
            Map<String, String> out = new LinkedHashMap<>();
            if (node.isArray()) {
                for (SpecNode n : node.list()) {
                    out.put(n.nonBlankText(), null);
                }
                return out;
            }
            for (Map.Entry<String, SpecNode> e : node.anyObject().entrySet()) {
                SpecNode v = e.getValue();
                String text = v.isNull() ? null : v.scalarText();
                out.put(e.getKey(), text == null || format == null ? text : format.apply(v, text));
            }
            return out;
        }
    }

    private static String argsOf(TaskTemplate t) {
        return "template '" + t.name() + "' has node_args " + t.nodeArgs() + ", task_args " + t.taskArgs()
                + ", op_args " + t.opArgs();
    }

    /** Calls the api; its error gets the node's place in the spec (and keeps its code). */
    /** notify: {command: SHELL, webhook: URL, on: [failed, done, task_fatal], timeout_seconds: N}. */
    private static Notifications notifications(SpecNode node) {
        Map<String, SpecNode> n = node.object(NOTIFY_KEYS, Set.of());
        if (!n.containsKey("command") && !n.containsKey("webhook")) {
            throw node.error("names no one to tell: give a command, a webhook, or both");
        }
        Notifications who = Notifications.none();
        if (n.containsKey("command")) {
            SpecNode c = n.get("command");
            String command = c.nonBlankText();
            who = api(c, () -> Notifications.command(command));
        }
        if (n.containsKey("webhook")) {
            SpecNode w = n.get("webhook");
            String url = w.nonBlankText();
            Notifications base = who;
            who = api(w, () -> base.isEmpty() ? Notifications.webhook(url) : base.withWebhook(url));
        }
        if (n.containsKey("on")) {
            SpecNode on = n.get("on");
            List<Notifications.Event> events = new java.util.ArrayList<>();
            for (SpecNode e : on.isArray() ? on.list() : List.of(on)) {
                String name = e.nonBlankText();
                events.add(api(e, () -> Notifications.Event.named(name)));
            }
            if (events.isEmpty()) {
                throw on.error("names no event: give one or more of failed, done, task_fatal");
            }
            Notifications base = who;
            who = api(on, () -> base.on(events.get(0), events.subList(1, events.size()).toArray(Notifications.Event[]::new)));
        }
        if (n.containsKey("timeout_seconds")) {
            SpecNode t = n.get("timeout_seconds");
            long seconds = t.integer();
            Notifications base = who;
            who = api(t, () -> base.withTimeout(java.time.Duration.ofSeconds(seconds)));
        }
        return who;
    }

    private static <T> T api(SpecNode at, Supplier<T> call) {
        try {
            return call.get();
        } catch (JobmonException e) {
            throw at.error(e);
        }
    }

    /** As {@link #api(SpecNode, Supplier)}, naming the foreach values of the task being made. */
    private static <T> T api(SpecNode at, String foreachValues, Supplier<T> call) {
        try {
            return call.get();
        } catch (JobmonException e) {
            throw at.error(foreachValues.isEmpty() ? e
                    : new JobmonException(e.code(), "for " + foreachValues + ": " + e.getMessage(), e));
        }
    }
}

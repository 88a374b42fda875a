package org.jobmon.cli.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Task;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.spec.LoadedSpec;
import org.jobmon.cli.spec.SpecLoader;
import org.jobmon.persistence.Database;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon dag SPEC | -w ID [--tasks]}: the DAG in Graphviz dot, at the level of task templates
 * (a node per template with its number of tasks, and per status for a workflow in the database; an
 * edge per pair of templates with the number of task edges), so that a 100,000-task DAG stays
 * readable; {@code --tasks} draws every task.
 */
@Command(name = "dag", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Print a workflow's DAG in Graphviz dot: one node per task template (--tasks: per task).",
            "Draw it with: jobmon dag spec.yaml | dot -Tsvg > dag.svg"})
public final class DagCommand implements Callable<Integer> {
    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC", description = "a workflow spec (nothing is written)")
    private Path specFile;

    @Option(names = {"-w", "--workflow_id"}, paramLabel = "ID", description = "a workflow in the database, with its tasks' statuses")
    private Long workflowId;

    @Option(names = "--tasks", description = "one node per task instead of per template")
    private boolean tasks;

    /** A task as the picture needs it. */
    record Node(String name, String template, String status, List<String> upstreams) {
    }

    @Override
    public Integer call() {
        if ((specFile == null) == (workflowId == null)) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "give a spec file or -w WORKFLOW_ID (one of them): "
                    + "jobmon dag spec.yaml, or jobmon dag -w 42");
        }
        List<Node> nodes = specFile != null ? fromSpec() : fromDatabase(workflowId);
        PrintWriter out = spec.commandLine().getOut();
        out.print(tasks ? taskDot(nodes) : templateDot(nodes));
        out.flush();
        return ExitCodes.OK;
    }

    private List<Node> fromSpec() {
        LoadedSpec loaded = new SpecLoader(cli.context().executors()).load(specFile);
        List<Node> nodes = new ArrayList<>();
        for (Task t : loaded.workflow().tasks()) {
            nodes.add(new Node(t.name(), t.template().name(), null, t.upstreams().stream().map(Task::name).toList()));
        }
        return nodes;
    }

    private List<Node> fromDatabase(long id) {
        try (Database db = Database.open(cli.databaseUrl())) {
            return db.jdbi().withHandle(h -> {
                Map<Long, String[]> byNode = new LinkedHashMap<>(); // node id -> name, template, status
                h.createQuery("SELECT t.node_id, t.name, tt.name, t.status FROM task t JOIN node n ON n.id = t.node_id "
                        + "JOIN task_template_version v ON v.id = n.task_template_version_id JOIN task_template tt ON tt.id = "
                        + "v.task_template_id WHERE t.workflow_id = :w ORDER BY t.id").bind("w", id)
                        .map((rs, ctx) -> byNode.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)}))
                        .list();
                if (byNode.isEmpty()) {
                    throw new JobmonException(ErrorCode.NOT_FOUND, "no workflow " + id + " in " + db.displayUrl()
                            + ": jobmon workflow_status lists the workflows");
                }
                Map<Long, List<String>> upstreams = new HashMap<>();
                h.createQuery("SELECT e.upstream_node_id, e.downstream_node_id FROM edge e JOIN workflow w ON w.dag_id = e.dag_id "
                        + "WHERE w.id = :w").bind("w", id).map((rs, ctx) -> {
                            String[] up = byNode.get(rs.getLong(1));
                            if (up != null) {
                                upstreams.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(up[0]);
                            }
                            return 0;
                        }).list();
                List<Node> nodes = new ArrayList<>();
                byNode.forEach((node, t) -> nodes.add(new Node(t[0], t[1], statusWord(t[2]), upstreams.getOrDefault(node, List.of()))));
                return nodes;
            });
        }
    }

    private static String statusWord(String code) {
        return switch (code) {
            case "D" -> "done";
            case "F" -> "fatal";
            case "R", "I", "O" -> "running";
            default -> "pending";
        };
    }

    /** One node per template with its task count (and counts by status), one edge per pair of templates. */
    static String templateDot(List<Node> nodes) {
        Map<String, String> templateOf = new HashMap<>();
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (Node n : nodes) {
            templateOf.put(n.name(), n.template());
            Map<String, Integer> c = counts.computeIfAbsent(n.template(), k -> new TreeMap<>());
            c.merge("tasks", 1, Integer::sum);
            if (n.status() != null) {
                c.merge(n.status(), 1, Integer::sum);
            }
        }
        Map<String, Integer> edges = new LinkedHashMap<>();
        for (Node n : nodes) {
            for (String up : n.upstreams()) {
                edges.merge(quote(templateOf.get(up)) + " -> " + quote(n.template()), 1, Integer::sum);
            }
        }
        StringBuilder dot = new StringBuilder("digraph jobmon {\n  rankdir=LR;\n  node [shape=box];\n");
        counts.forEach((template, c) -> {
            StringBuilder label = new StringBuilder(template).append("\\n").append(c.get("tasks")).append(c.get("tasks") == 1 ? " task" : " tasks");
            for (String s : List.of("done", "running", "pending", "fatal")) {
                if (c.containsKey(s)) {
                    label.append("\\n").append(c.get(s)).append(' ').append(s);
                }
            }
            dot.append("  ").append(quote(template)).append(" [label=").append(quote(label.toString())).append("];\n");
        });
        edges.forEach((edge, n) -> dot.append("  ").append(edge).append(" [label=\"").append(n).append("\"];\n"));
        return dot.append("}\n").toString();
    }

    /** One node per task. */
    static String taskDot(List<Node> nodes) {
        StringBuilder dot = new StringBuilder("digraph jobmon {\n  rankdir=LR;\n  node [shape=box];\n");
        for (Node n : nodes) {
            dot.append("  ").append(quote(n.name())).append(" [label=").append(quote(n.name() + (n.status() != null ? "\\n" + n.status() : "")))
                    .append("];\n");
        }
        for (Node n : nodes) {
            for (String up : n.upstreams()) {
                dot.append("  ").append(quote(up)).append(" -> ").append(quote(n.name())).append(";\n");
            }
        }
        return dot.append("}\n").toString();
    }

    /** A dot ID: double-quoted, with quotes and backslashes escaped (a label's \n is kept as the line break). */
    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\\\\n", "\\n").replace("\"", "\\\"") + "\"";
    }
}

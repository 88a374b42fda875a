package org.jobmon.cli.status;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.JobmonCli;
import org.jobmon.cli.status.ResourceAdvice.Summary;
import org.jobmon.cli.status.Table.Column;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.UsageDao;
import org.jobmon.persistence.dao.UsageDao.DoneAttempt;
import org.jobmon.persistence.dao.UsageDao.TemplateVersion;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jobmon task_template_resources -t VERSION [-w ID...] [-n]}: what the DONE attempts of a task
 * template version used (runtime and peak memory: min, median, p95, max) and the resources the
 * rule in cli/README.md suggests asking for next time.
 */
@Command(name = "task_template_resources", sortOptions = false, usageHelpAutoWidth = true,
        description = {"What a task template's DONE attempts used, and the resources to ask for next time.",
            "Runtime and peak memory (max RSS) over the DONE attempts: min, median, 95th percentile, max. Suggested: memory = "
                + "highest max RSS x 1.2, rounded up to 128 MiB; max_runtime_seconds = p95 runtime x 1.5, rounded up to whole "
                + "minutes; num_cores = the most requested; queue = the most requested."},
        footerHeading = "%n",
        footer = {"JSON keys: task_template_version_id, template, tool, workflows, done_attempts, runtime_s and maxrss_bytes "
            + "(each: n, min, median, p95, max; null when no attempt reported it), suggested (m_mem_free, memory_mib, "
            + "max_runtime_seconds, num_cores, queue; null when unknown)."})
public final class TaskTemplateResourcesCommand implements Callable<Integer> {
    @ParentCommand
    private JobmonCli cli;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-t", "--task_template_version"}, required = true, paramLabel = "ID|NAME",
            description = "the task template version, by id, or a template's name for its newest version (a number is an id)")
    private String version;

    @Option(names = {"-w", "--workflows"}, arity = "1..*", paramLabel = "ID",
            description = "only attempts of these workflows (default: every workflow)")
    private List<Long> workflows = new ArrayList<>();

    @Option(names = {"-n", "--json"}, description = "print a JSON object instead of the table")
    private boolean json;

    @Override
    public Integer call() {
        UsageDao dao = new UsageDao();
        TemplateVersion tv;
        List<DoneAttempt> done;
        try (Database db = StatusSupport.open(cli)) {
            tv = db.jdbi().withHandle(h -> find(h, dao, db));
            if (!workflows.isEmpty()) {
                Set<Long> missing = new LinkedHashSet<>(workflows);
                missing.removeAll(db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM workflow WHERE id IN (<ids>)")
                        .bindList("ids", workflows).mapTo(Long.class).list()));
                if (!missing.isEmpty()) {
                    throw StatusSupport.noWorkflow(missing, db);
                }
            }
            done = db.jdbi().withHandle(h -> dao.doneAttempts(h, tv.id(), new LinkedHashSet<>(workflows)));
        }
        ResourceAdvice advice = ResourceAdvice.of(done);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Formats.printJson(out, List.of(json(tv, advice, done)));
            return ExitCodes.OK;
        }
        Formats.printLines(out, text(tv, advice, done, !workflows.isEmpty()));
        return ExitCodes.OK;
    }

    private TemplateVersion find(org.jdbi.v3.core.Handle h, UsageDao dao, Database db) {
        if (version.matches("\\d{1,18}")) {
            return dao.templateVersion(h, Long.parseLong(version)).orElseThrow(() -> new JobmonException(ErrorCode.NOT_FOUND,
                    "no task template version " + version + " in the database " + db.displayUrl() + ": give a version id, or a "
                            + "template's name for its newest version (jobmon sql \"SELECT v.id, t.name FROM task_template_version v "
                            + "JOIN task_template t ON t.id = v.task_template_id\" lists them)"));
        }
        List<TemplateVersion> named = dao.templateVersionsNamed(h, version);
        if (named.isEmpty()) {
            throw new JobmonException(ErrorCode.NOT_FOUND, "no task template named '" + version + "' in the database " + db.displayUrl()
                    + ": check the name (as in the spec's task_templates or getTaskTemplate), or give a version id");
        }
        Set<String> tools = new LinkedHashSet<>();
        named.forEach(v -> tools.add(v.tool()));
        if (tools.size() > 1) {
            List<String> each = new ArrayList<>();
            for (String tool : tools) {
                named.stream().filter(v -> v.tool().equals(tool)).findFirst().ifPresent(v -> each.add(v.id() + " (tool " + tool + ")"));
            }
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "several tools have a template named '" + version + "': give the "
                    + "version id of the one you mean; the newest of each: " + String.join(", ", each));
        }
        return named.get(0);
    }

    private static Map<String, Object> json(TemplateVersion tv, ResourceAdvice a, List<DoneAttempt> done) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("task_template_version_id", tv.id());
        o.put("template", tv.template());
        o.put("tool", tv.tool());
        o.put("workflows", ResourceAdvice.workflows(done));
        o.put("done_attempts", a.attempts());
        o.put("runtime_s", summary(a.runtimeSeconds(), v -> v));
        o.put("maxrss_bytes", summary(a.maxRssBytes(), Math::round));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("m_mem_free", a.memoryMib().isPresent() ? a.memoryMib().getAsLong() + "M" : null);
        s.put("memory_mib", a.memoryMib().isPresent() ? a.memoryMib().getAsLong() : null);
        s.put("max_runtime_seconds", a.maxRuntimeSeconds().isPresent() ? a.maxRuntimeSeconds().getAsLong() : null);
        s.put("num_cores", a.numCores().isPresent() ? a.numCores().getAsInt() : null);
        s.put("queue", a.queue().orElse(null));
        o.put("suggested", s);
        return o;
    }

    /** The summary with its values as {@code value} makes them (bytes are whole numbers). */
    private static Map<String, Object> summary(Summary s, java.util.function.DoubleFunction<Object> value) {
        if (s.n() == 0) {
            return null;
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("n", s.n());
        o.put("min", value.apply(s.min()));
        o.put("median", value.apply(s.median()));
        o.put("p95", value.apply(s.p95()));
        o.put("max", value.apply(s.max()));
        return o;
    }

    private static List<String> text(TemplateVersion tv, ResourceAdvice a, List<DoneAttempt> done, boolean workflowsGiven) {
        List<String> lines = new ArrayList<>();
        List<Long> wfs = ResourceAdvice.workflows(done);
        lines.add("task template " + tv.template() + " (tool " + tv.tool() + "), version " + tv.id() + ": " + a.attempts() + " DONE attempt"
                + (a.attempts() == 1 ? "" : "s") + (wfs.isEmpty() ? "" : " in workflow" + (wfs.size() == 1 ? " " : "s ")
                        + Formats.list(wfs, 8)));
        if (a.attempts() == 0) {
            lines.add("nothing to suggest from: no attempt of this template version is DONE" + (workflowsGiven ? " in the workflows given" : ""));
            return lines;
        }
        Table t = new Table(List.of(Column.left(""), Column.right("N"), Column.right("MIN"), Column.right("MEDIAN"), Column.right("P95"),
                Column.right("MAX")));
        t.row(row("runtime", a.runtimeSeconds(), ResourceAdvice::formatSeconds));
        t.row(row("max RSS", a.maxRssBytes(), v -> Formats.bytes(Math.round(v))));
        lines.add("");
        lines.addAll(t.renderAnyway(Table.MAX_WIDTH));
        lines.add("");
        List<String> s = new ArrayList<>();
        a.memoryMib().ifPresentOrElse(m -> s.add("m_mem_free " + m + "M"), () -> s.add("m_mem_free: no max RSS reported"));
        a.maxRuntimeSeconds().ifPresentOrElse(r -> s.add("max_runtime_seconds " + r), () -> s.add("max_runtime_seconds: no runtime "
                + "reported"));
        a.numCores().ifPresent(c -> s.add("num_cores " + c));
        a.queue().ifPresent(q -> s.add("queue " + q));
        lines.add("suggested: " + String.join(", ", s));
        if (a.memoryMib().isPresent()) {
            lines.add("  memory: highest max RSS " + Formats.bytes(Math.round(a.maxRssBytes().max())) + " x " + ResourceAdvice.MEMORY_MARGIN
                    + ", rounded up to " + ResourceAdvice.MEMORY_STEP_MIB + " MiB");
        }
        if (a.maxRuntimeSeconds().isPresent()) {
            lines.add("  runtime: p95 " + ResourceAdvice.formatSeconds(a.runtimeSeconds().p95()) + " x " + ResourceAdvice.RUNTIME_MARGIN
                    + ", rounded up to whole minutes");
        }
        return lines;
    }

    private static List<String> row(String what, Summary s, java.util.function.DoubleFunction<String> format) {
        if (s.n() == 0) {
            return List.of(what, "0", "-", "-", "-", "-");
        }
        return List.of(what, String.format(Locale.ROOT, "%d", s.n()), format.apply(s.min()), format.apply(s.median()), format.apply(s.p95()),
                format.apply(s.max()));
    }
}

package org.jobmon.cli.run;

import java.io.PrintWriter;
import java.util.List;

import org.jobmon.api.Resources;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;
import org.jobmon.engine.bind.DagValidator;
import org.jobmon.engine.resources.ResourceResolver;

/**
 * {@code jobmon run --dry-run SPEC}: the tasks a spec expands to, checked as a run would check them
 * (the DAG, each task's resources), printed instead of run. Nothing is written anywhere.
 */
final class DryRun {
    /** Upstreams listed per task; the others are counted. */
    private static final int UPSTREAMS_SHOWN = 5;

    private DryRun() {
    }

    static void print(PrintWriter out, Workflow workflow) {
        DagValidator.validate(workflow);
        ResourceResolver resolver = new ResourceResolver(workflow);
        for (Task t : workflow.tasks()) {
            out.println(t.name() + "  [" + t.template().name() + "]");
            out.println("  command:    " + t.command());
            List<String> ups = t.upstreams().stream().map(Task::name).toList();
            out.println("  upstreams:  " + (ups.isEmpty() ? "(none)" : String.join(", ", ups.subList(0, Math.min(UPSTREAMS_SHOWN, ups.size())))
                    + (ups.size() > UPSTREAMS_SHOWN ? " and " + (ups.size() - UPSTREAMS_SHOWN) + " more" : "")));
            out.println("  resources:  " + (t.dynamicResources().isPresent() ? "chosen when the task is ready (dynamic)"
                    : describe(resolver.staticResources(t))) + ", " + t.maxAttempts() + " attempts at most");
        }
        long templates = workflow.tasks().stream().map(t -> t.template().name()).distinct().count();
        out.println(workflow.tasks().size() + (workflow.tasks().size() == 1 ? " task" : " tasks") + " of " + templates
                + (templates == 1 ? " template" : " templates") + " on the " + workflow.executor().executorName()
                + " executor; a dry run: nothing was run or written");
        out.flush();
    }

    private static String describe(Resources r) {
        return r.numCores() + (r.numCores() == 1 ? " core, " : " cores, ") + (r.memoryMib() % 1024 == 0 ? r.memoryMib() / 1024 + "G"
                : r.memoryMib() + "M") + " memory, " + r.maxRuntimeSeconds() + " s runtime" + r.queue().map(q -> ", queue " + q).orElse("");
    }
}

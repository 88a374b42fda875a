package org.jobmon.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.persistence.DatabaseUrls;

/**
 * A benchmark, not a test (bench/resume-bench.sh runs it): binds an N-task workflow of {@code true}
 * commands without running it, marks 99% of its tasks DONE, then times resuming it: binding (identity
 * check, reset) until the remaining 1% start, and the whole resumed run.
 */
public final class ResumeBench {
    private ResumeBench() {
    }

    static Workflow build(int n) {
        Tool tool = Tool.create("resume_bench");
        TaskTemplate t = tool.getTaskTemplate("t", "true {i}", List.of("i"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("resume_bench").workflowArgs("resume_bench")
                .setExecutor(ExecutorSettings.of("multiprocess").withExtra(Map.of("slots", "2")));
        List<Task> tasks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tasks.add(t.createTask(Map.of("i", i)));
        }
        return wf.addTasks(tasks);
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        Path dir = Files.createTempDirectory("resume-bench");
        EngineConfig config = EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(100));
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db")))
                .workRoot(dir.resolve("runs")).config(config).build()) {
            long t0 = System.nanoTime();
            engine.run(build(n), RunOptions.defaults().withMaxConcurrentlyRunning(0).withSecondsUntilTimeout(1));
            long t1 = System.nanoTime();
            engine.database().jdbi().useHandle(h -> h.execute("UPDATE task SET status = 'D' WHERE id % 100 <> 0"));
            Workflow again = build(n);
            long[] started = new long[1];
            long t2 = System.nanoTime();
            WorkflowRunResult r = engine.run(again, RunOptions.defaults().withResume(true), new RunListener() {
                @Override
                public void bound(long workflowId, long workflowRunId, int tasks, int previouslyDone) {
                    started[0] = System.nanoTime();
                }
            });
            long t3 = System.nanoTime();
            System.out.printf("first bind of %d tasks (not run): %.2f s%n", n, (t1 - t0) / 1e9);
            System.out.printf("resume with %d of %d DONE: bound and starting after %.2f s, run %s after %.2f s%n",
                    r.previouslyDone(), n, (started[0] - t2) / 1e9, r.status(), (t3 - t2) / 1e9);
        }
    }
}

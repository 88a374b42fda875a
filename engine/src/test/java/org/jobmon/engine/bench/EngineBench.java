package org.jobmon.engine.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.engine.RunControl;
import org.jobmon.engine.RunListener;
import org.jobmon.persistence.DatabaseUrls;

/**
 * The engine's side of {@code bench/run}: each mode is one whole process (started by the script,
 * with the heap limit it sets) and prints one {@code RESULT key=value ...} line.
 * <ul>
 * <li>{@code bind L DB_URL}: binds the three-phase DAG of {@code true} tasks (3L+1 tasks) without
 * running any: validation, hashing, writing; seconds until the run is bound and the peak heap;</li>
 * <li>{@code prepare-resume N DB_FILE}: binds N independent tasks into an embedded database and marks
 * 99% of them DONE;</li>
 * <li>{@code resume N [DB_FILE]}: times a resume of that workflow until the first new attempt runs,
 * on a database {@code prepare-resume} made (a copy of it: the resume changes it), or on one it
 * prepares itself;</li>
 * <li>{@code memory L}: runs the three-phase DAG of L locations on the multiprocess executor (2
 * slots) and samples the heap after a full GC at each quarter of the finished tasks.</li>
 * </ul>
 */
public final class EngineBench {
    private EngineBench() {
    }

    /** transform(l, s) for s in 1, 2 -> aggregate(l) -> one summarize: 3L+1 tasks of {@code true}. */
    static Workflow threePhase(int locations, String name) {
        Tool tool = Tool.create("bench_tool");
        TaskTemplate transform = tool.getTaskTemplate("transform", "true {location_id} {sex_id}", List.of("location_id", "sex_id"),
                List.of(), List.of());
        TaskTemplate aggregate = tool.getTaskTemplate("aggregate", "true {location_id}", List.of("location_id"), List.of(), List.of());
        TaskTemplate summarize = tool.getTaskTemplate("summarize", "true summarize", List.of(), List.of(), List.of());
        Workflow wf = tool.createWorkflow(name).workflowArgs(name)
                .setExecutor(ExecutorSettings.of("multiprocess").withExtra(Map.of("slots", "2")));
        List<Task> tasks = new ArrayList<>(3 * locations + 1);
        List<Task> aggregates = new ArrayList<>(locations);
        for (int l = 1; l <= locations; l++) {
            Task a = transform.createTask().arg("location_id", l).arg("sex_id", 1).build();
            Task b = transform.createTask().arg("location_id", l).arg("sex_id", 2).build();
            Task agg = aggregate.createTask().arg("location_id", l).upstreams(List.of(a, b)).build();
            tasks.add(a);
            tasks.add(b);
            tasks.add(agg);
            aggregates.add(agg);
        }
        tasks.add(summarize.createTask().upstreams(aggregates).build());
        return wf.addTasks(tasks);
    }

    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    private static String s(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dir = Files.createTempDirectory("jobmon-bench");
        EngineConfig config = EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(100));
        try {
            switch (mode) {
                case "bind" -> bind(Integer.parseInt(args[1]), args.length > 2 ? args[2] : DatabaseUrls.embedded(dir.resolve("db")), dir,
                        config);
                case "prepare-resume" -> prepareResume(Integer.parseInt(args[1]), Path.of(args[2]), dir, config);
                case "resume" -> {
                    Path db = args.length > 2 ? Path.of(args[2]) : dir.resolve("db");
                    if (args.length <= 2) {
                        prepareResume(Integer.parseInt(args[1]), db, dir, config);
                    }
                    resume(Integer.parseInt(args[1]), db, dir, config);
                }
                case "memory" -> memory(Integer.parseInt(args[1]), dir, config);
                default -> throw new IllegalArgumentException("mode " + mode + ": use bind, prepare-resume, resume or memory");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void bind(int locations, String url, Path dir, EngineConfig config) {
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(url).workRoot(dir.resolve("runs")).config(config).build()) {
            engine.database(); // the schema, outside the timing
            long[] bound = new long[2];
            long t0 = System.nanoTime();
            Workflow wf = threePhase(locations, "bind_bench");
            engine.run(wf, RunOptions.defaults().withMaxConcurrentlyRunning(0).withSecondsUntilTimeout(1), new RunListener() {
                @Override
                public void bound(long workflowId, long workflowRunId, int tasks, int previouslyDone) {
                    bound[0] = System.nanoTime();
                    bound[1] = heapAfterGc(); // what the bound workflow keeps, garbage aside
                }
            });
            System.out.println("RESULT tasks=" + (3 * locations + 1) + " bind_s=" + s(bound[0] - t0) + " live_heap_mb=" + mb(bound[1])
                    + " peak_heap_mb=" + mb(peakHeapBytes()));
        }
    }

    /** A database holding a bound n-task workflow, 99% of its tasks DONE: what {@code resume} starts from. */
    private static void prepareResume(int n, Path db, Path dir, EngineConfig config) {
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(db)).workRoot(dir.resolve("runs")).config(config)
                .build()) {
            engine.run(flat(n), RunOptions.defaults().withMaxConcurrentlyRunning(0).withSecondsUntilTimeout(1));
            engine.database().jdbi().useHandle(h -> h.execute("UPDATE task SET status = 'D' WHERE id % 100 <> 0"));
        }
        System.out.println("RESULT tasks=" + n + " prepared=" + db);
    }

    /** Resumes the workflow that {@code prepareResume} left in db (a copy: the resume changes it), timing it to the first new start. */
    private static void resume(int n, Path db, Path dir, EngineConfig config) {
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(db)).workRoot(dir.resolve("runs")).config(config)
                .build()) {
            Workflow again = flat(n);
            long[] started = new long[1];
            long t0 = System.nanoTime();
            // stopped once timed: the rest of the run is not what this measures
            RunControl[] control = new RunControl[1];
            control[0] = new RunControl(new RunListener() {
                @Override
                public void progress(Map<TaskStatus, Integer> counts) {
                    if (started[0] == 0 && (counts.getOrDefault(TaskStatus.RUNNING, 0) > 0 || counts.getOrDefault(TaskStatus.DONE, 0) > n - n / 100)) {
                        started[0] = System.nanoTime();
                        control[0].stop("timed");
                    }
                }
            });
            WorkflowRunResult r = engine.run(again, RunOptions.defaults().withResume(true), control[0]);
            System.out.println("RESULT tasks=" + n + " done_before=" + r.previouslyDone() + " first_start_s=" + s(started[0] - t0) + " status="
                    + r.status());
        }
    }

    private static Workflow flat(int n) {
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

    private static void memory(int locations, Path dir, EngineConfig config) {
        int total = 3 * locations + 1;
        List<String> samples = new ArrayList<>();
        try (JobmonEngine engine = JobmonEngine.builder().databaseUrl(DatabaseUrls.embedded(dir.resolve("db"))).workRoot(dir.resolve("runs"))
                .config(config).build()) {
            int[] next = {1};
            WorkflowRunResult r = engine.run(threePhase(locations, "memory_bench"), RunOptions.defaults(), new RunListener() {
                @Override
                public void progress(Map<TaskStatus, Integer> counts) {
                    int done = counts.getOrDefault(TaskStatus.DONE, 0);
                    while (next[0] <= 4 && done >= total * next[0] / 4) {
                        samples.add(mb(heapAfterGc()));
                        next[0]++;
                    }
                }
            });
            System.out.println("RESULT tasks=" + total + " heap_after_gc_mb=" + String.join(",", samples) + " peak_heap_mb=" + mb(peakHeapBytes())
                    + " status=" + r.status());
        }
    }
}

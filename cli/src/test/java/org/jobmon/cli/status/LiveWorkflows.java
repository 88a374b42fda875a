package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.FakeEngine;
import org.jobmon.cli.TestSpecs;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.JobmonEngine;
import org.jobmon.engine.RunListener;
import org.jobmon.persistence.DatabaseUrls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real workflows on a real engine and an embedded database in a folder, run from a test thread,
 * and the jobmon command line against the same database. Waits poll with a deadline.
 */
final class LiveWorkflows implements AutoCloseable {
    static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final String db;
    final JobmonEngine engine;
    private final Tool tool = Tool.create("status_cli_test");
    private final TaskTemplate shell = tool.getTaskTemplate("shell", "{cmd}", List.of("cmd"), List.of(), List.of());
    private final List<CompletableFuture<?>> running = new ArrayList<>();

    LiveWorkflows(Path dir) {
        this.dir = dir;
        this.db = DatabaseUrls.embedded(dir.resolve("db"));
        this.engine = JobmonEngine.builder().databaseUrl(db).workRoot(dir.resolve("runs"))
                .config(EngineConfig.defaults().withMaxCycleWait(Duration.ofMillis(50))).build();
    }

    /** A task running {@code sh -c cmd} in {@link #dir}, named {@code name}. */
    Task sh(String name, String cmd, int maxAttempts) {
        return shell.createTask().name(name).arg("cmd", cmd).maxAttempts(maxAttempts).build();
    }

    /** An empty workflow on the multiprocess executor with {@code slots} slots, working in {@link #dir}. */
    Workflow workflow(String workflowArgs, int slots) {
        return tool.createWorkflow(workflowArgs).workflowArgs(workflowArgs)
                .setExecutor(ExecutorSettings.of("multiprocess").withWorkingDir(dir).withExtra(Map.of("slots", Integer.toString(slots))));
    }

    /** A run going on in a test thread; its workflow id is known once it is bound. */
    final class Run {
        final CompletableFuture<Long> workflowId = new CompletableFuture<>();
        final CompletableFuture<WorkflowRunResult> result;

        Run(Workflow wf, RunOptions options) {
            RunListener listener = new RunListener() {
                @Override
                public void bound(long id, long runId, int tasks, int previouslyDone) {
                    workflowId.complete(id);
                }
            };
            result = CompletableFuture.supplyAsync(() -> engine.run(wf, options, listener));
            result.whenComplete((r, e) -> {
                if (e != null) {
                    workflowId.completeExceptionally(e);
                }
            });
            running.add(result);
        }

        long id() {
            return get(workflowId);
        }

        WorkflowRunResult end() {
            return get(result);
        }
    }

    Run start(Workflow wf, RunOptions options) {
        return new Run(wf, options);
    }

    WorkflowRunResult run(Workflow wf, RunOptions options) {
        return engine.run(wf, options);
    }

    static <T> T get(CompletableFuture<T> f) {
        try {
            return f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the run failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the run did not end within " + DEADLINE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} every 50 ms until it holds; fails after the deadline. */
    static void await(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + DEADLINE + " waiting for " + what);
            }
            pause();
        }
    }

    static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** {@code jobmon ARGS --db DB}, in this process. */
    CliResult jobmon(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--db");
        all.add(db);
        return CliResult.run(TestSpecs.context(FakeEngine.done()), all.toArray(String[]::new));
    }

    /** The JSON array a {@code -n} command printed, after checking it exited 0. */
    JsonNode json(String... args) {
        CliResult r = jobmon(args).exits(ExitCodes.OK);
        try {
            JsonNode node = JSON.readTree(r.out());
            assertThat(node.isArray()).as("stdout is a JSON array: %s", r.out()).isTrue();
            return node;
        } catch (IOException e) {
            throw new AssertionError("stdout is not JSON: " + r.out(), e);
        }
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** The workflow's task ids by task name. */
    Map<String, Long> taskIds(long workflowId) {
        Map<String, Long> ids = new HashMap<>();
        json("workflow_tasks", "-w", Long.toString(workflowId), "-n").forEach(t -> ids.put(t.get("task_name").asText(),
                t.get("task_id").asLong()));
        return ids;
    }

    /** One {@code workflow_status -w ID -n} row. */
    JsonNode workflowStatus(long workflowId) {
        JsonNode rows = json("workflow_status", "-w", Long.toString(workflowId), "-n");
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    List<String> lines(String file) {
        Path p = dir.resolve(file);
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void touch(String file) {
        try {
            Files.writeString(dir.resolve(file), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count(String sql, Object... binds) {
        return engine.database().jdbi().withHandle(h -> {
            var q = h.createQuery(sql);
            for (int i = 0; i < binds.length; i++) {
                q.bind(i, binds[i]);
            }
            return q.mapTo(Long.class).one();
        });
    }

    void execute(String sql, Object... binds) {
        engine.database().jdbi().useHandle(h -> h.execute(sql, binds));
    }

    @Override
    public void close() {
        // a gate file left closed by a failed test would keep tasks waiting: open every gate, let runs end
        touch("release");
        for (CompletableFuture<?> f : running) {
            try {
                f.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                // the test has already failed
            }
        }
        engine.close();
    }
}

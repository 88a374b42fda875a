package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A workflow bigger than one written batch (rows go out in chunks of 5,000 within the bind's
 * transaction): every row arrives, parents before the rows that refer to them.
 */
class LargeBindTest {
    @TempDir
    Path dir;

    @Test
    void aWorkflowOfManyBatchesIsWrittenWhole() {
        int n = 6_001;
        Tool tool = Tool.create("large_bind");
        TaskTemplate t = tool.getTaskTemplate("t", "true {a} {b} {c}", List.of("a", "b"), List.of("c"), List.of());
        Workflow wf = tool.createWorkflow("large_bind").setExecutor(ExecutorSettings.of("sequential"));
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Task.Builder b = t.createTask().arg("a", i).arg("b", i % 7).arg("c", "x" + i).attribute("size", i);
            if (i > 0) {
                b.upstreams(List.of(tasks.get(i - 1)));
            }
            tasks.add(b.build());
        }
        wf.addTasks(tasks);

        try (JobmonEngine engine = EngineFixture.engine(DatabaseUrls.embedded(dir.resolve("db")), dir.resolve("runs"))) {
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults().withMaxConcurrentlyRunning(0).withSecondsUntilTimeout(1));
            assertThat(r.tasks()).isEqualTo(n);
            Map<String, Long> rows = new java.util.TreeMap<>();
            for (String table : List.of("node", "node_arg", "task", "task_arg", "task_attribute", "executor_parameter_set", "edge")) {
                rows.put(table, engine.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Long.class).one()));
            }
            assertThat(rows).containsEntry("node", (long) n).containsEntry("node_arg", 2L * n).containsEntry("task", (long) n)
                    .containsEntry("task_arg", (long) n).containsEntry("task_attribute", (long) n)
                    .containsEntry("executor_parameter_set", (long) n).containsEntry("edge", n - 1L);
        }
    }
}

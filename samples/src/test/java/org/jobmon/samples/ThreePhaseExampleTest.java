package org.jobmon.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreePhaseExampleTest {
    @TempDir
    Path dir;

    /** What summarize must write: transform writes location * 10 + sex for locations 1..10 and sexes 1, 2. */
    static long expectedTotal() {
        long total = 0;
        for (int location = 1; location <= 10; location++) {
            for (int sex = 1; sex <= 2; sex++) {
                total += location * 10L + sex;
            }
        }
        return total; // 1130
    }

    @Test
    void theDagHasTwentyTransformsTenAggregatesAndOneSummarize() {
        Workflow workflow = ThreePhaseExample.build(ThreePhaseExample.findThreePhaseFolder(), dir.resolve("out"));

        assertThat(workflow.tasks()).hasSize(31);
        Task aggregate3 = workflow.findTask("aggregate_3").orElseThrow();
        assertThat(aggregate3.upstreams()).extracting(Task::name).containsExactlyInAnyOrder("transform_3_1", "transform_3_2");
        assertThat(aggregate3.attributes()).containsEntry("location_set_version_id", "35");
        assertThat(workflow.findTask("transform_10_2").orElseThrow().attributes()).containsEntry("release_id", "3");
        Task summarize = workflow.findTask("summarize_0").orElseThrow();
        assertThat(summarize.upstreams()).hasSize(10).allMatch(t -> t.name().startsWith("aggregate_"));
        assertThat(summarize.maxAttempts()).isEqualTo(1);
    }

    @Test
    void allThirtyOneTasksRunDoneAndSummarizeWritesTheTotal() throws IOException {
        Path out = dir.resolve("out");
        Workflow workflow = ThreePhaseExample.build(ThreePhaseExample.findThreePhaseFolder(), out);

        try (SampleEngine engine = new SampleEngine(dir)) {
            long start = System.nanoTime();
            WorkflowRunResult r = engine.engine().run(workflow, RunOptions.defaults());
            System.out.printf("ThreePhaseExample: 31 tasks ran in %.2f s%n", (System.nanoTime() - start) / 1e9);

            assertThat(r.status()).as(r.message()).isEqualTo(WorkflowRunStatus.DONE);
            assertThat(r.tasks()).isEqualTo(31);
            assertThat(r.done()).isEqualTo(31);
            assertThat(engine.number("SELECT count(*) FROM task WHERE workflow_id = ? AND status = 'D'", r.workflowId()))
                    .isEqualTo(31);
            assertThat(engine.number("SELECT count(*) FROM task_attribute a JOIN task_attribute_type y "
                    + "ON y.id = a.task_attribute_type_id JOIN task t ON t.id = a.task_id "
                    + "WHERE t.workflow_id = ? AND y.name = 'release_id' AND a.val = '3'", r.workflowId())).isEqualTo(20);
        }
        assertThat(Files.readString(out.resolve("aggregate/3.txt")).strip()).isEqualTo("63");
        assertThat(Files.readString(ThreePhaseExample.summaryFile(out)).strip()).isEqualTo(Long.toString(expectedTotal()));
    }

    @Test
    void aScriptRunBeforeItsInputsExistFailsLoudly() throws Exception {
        Path script = ThreePhaseExample.findThreePhaseFolder().resolve("scripts/aggregate.sh");
        Process p = new ProcessBuilder("sh", script.toString(), "--location_id", "4", "--transform_dir",
                dir.resolve("nothing_here").toString(), "--output_file_path", dir.resolve("agg").toString()).start();
        p.getOutputStream().close();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.waitFor()).isNotZero();
        assertThat(stderr).contains("aggregate.sh: input").contains("4_1.txt does not exist");
        assertThat(dir.resolve("agg")).doesNotExist();
    }

    @Test
    void theFolderIsFoundFromTheModuleOrTheRepositoryRoot() {
        Path found = ThreePhaseExample.findThreePhaseFolder();
        assertThat(found.resolve("three_phase.yaml")).isRegularFile();
        assertThat(List.of("transform.sh", "aggregate.sh", "summarize.sh")).allSatisfy(s ->
                assertThat(found.resolve("scripts").resolve(s)).isRegularFile());
    }
}

package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resume of a workflow whose jobs are in a real batch scheduler, with controllers as separate
 * processes: two tasks run (one array job) and a third, asking for both of the machine's cores, waits
 * in the queue. A cold resume deletes every job of the old run, running or queued; a hot one adopts
 * them by their job ids; after a SIGKILL'd controller the resume finds and handles every one.
 * Each task appends a line to its own file when it starts: a file's line count is how often it ran.
 * Then it waits for the test to open a gate (a file), so that no job ends by itself before the test
 * has resumed, however slowly the resuming controller starts.
 * A subclass names the executor and asks its scheduler which jobs it still has.
 */
abstract class BatchResumeContract extends ControllerFixture {
    /** The executor's name in the spec. */
    abstract String executor();

    /** Skips (or fails, under CI) without the scheduler. */
    abstract void requireScheduler();

    /** Whether the scheduler still has this job (or array member) pending or running. */
    abstract boolean inScheduler(String executorId);

    @Override
    String specText() {
        return """
                tool: %1$s_resume_it
                workflow:
                  name: %1$s_resumable
                  workflow_args: %1$s_resumable
                  executor: %1$s
                  executor_config: {poll_interval: 1s, run_root: %2$s}
                task_templates:
                  step:
                    command_template: "echo ran >> %3$s/ran_{n}.log; until [ -e %3$s/gate ]; do sleep 0.2; done; sleep {s}"
                    node_args: [n]
                    task_args: [s]
                tasks:
                  - {template: step, name: slow_a, args: {n: slow_a, s: 1}, executor_parameters: {m_mem_free: 100M, num_cores: 1, max_runtime_seconds: 120}}
                  - {template: step, name: slow_b, args: {n: slow_b, s: 1}, executor_parameters: {m_mem_free: 100M, num_cores: 1, max_runtime_seconds: 120}}
                  - {template: step, name: wide, args: {n: wide, s: 1}, executor_parameters: {m_mem_free: 100M, num_cores: 2, max_runtime_seconds: 120}}
                """.formatted(executor(), dir.resolve("runs"), dir);
    }

    @Override
    String specName() {
        return executor() + "_resumable.yaml";
    }

    @BeforeEach
    void scheduler() {
        requireScheduler();
    }

    private long runs(String task) throws Exception {
        Path log = dir.resolve("ran_" + task + ".log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    /** Lets every waiting task, of any run, go on to its end. */
    private void openGate() throws Exception {
        Files.createFile(dir.resolve("gate"));
    }

    private List<String> executorIds(long runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT executor_id FROM task_instance WHERE workflow_run_id = :r AND executor_id IS NOT NULL")
                .bind("r", runId).mapTo(String.class).list());
    }

    /** The first controller, once both slow tasks run and the wide one waits in the queue. */
    private ControllerProcess startWithRunningAndQueuedJobs() throws Exception {
        ControllerProcess first = ControllerProcess.start(dir, db, "run", spec.toString());
        ControllerProcess.await("two jobs running, one queued", () -> {
            try {
                return runs("slow_a") == 1 && runs("slow_b") == 1 && executorIds(1).size() == 3;
            } catch (Exception e) {
                return false;
            }
        });
        for (String id : executorIds(1)) {
            assertThat(inScheduler(id)).as("job " + id + " is in the scheduler").isTrue();
        }
        return first;
    }

    private ControllerProcess resume(String... flags) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", spec.toString(), "--resume", "-n"));
        args.addAll(List.of(flags));
        return ControllerProcess.start(dir, db, args.toArray(String[]::new));
    }

    private void assertNoneOfTheOldRunsJobsIsInTheCell(List<String> old) {
        for (String id : old) {
            assertThat(inScheduler(id)).as("job " + id + " is gone from the scheduler").isFalse();
        }
    }

    @Test
    void aColdResumeAfterASigkilledControllerDeletesItsRunningAndQueuedJobs() throws Exception {
        ControllerProcess first = startWithRunningAndQueuedJobs();
        List<String> old = executorIds(1);
        first.process.destroyForcibly();
        first.awaitExit();

        ControllerProcess second = resume();
        ControllerProcess.await("the resume's own attempt of slow_a started", 120, () -> {
            try {
                return runs("slow_a") == 2;
            } catch (Exception e) {
                return false;
            }
        });
        openGate();
        assertThat(second.awaitExit(180)).as(second.output()).isZero();

        assertNoneOfTheOldRunsJobsIsInTheCell(old);
        assertThat(count("SELECT count(*) FROM task_instance WHERE workflow_run_id = 1 AND status = 'F'"))
                .as("all three old jobs deleted by the resume").isEqualTo(3);
        String why = jdbi.withHandle(h -> h.createQuery("SELECT MAX(description) FROM task_instance_error_log e JOIN task_instance i "
                + "ON i.id = e.task_instance_id WHERE i.workflow_run_id = 1").mapTo(String.class).one());
        assertThat(why).contains("deleted by a cold resume");
        assertThat(runs("wide")).as("the queued job of the dead run never started; the resume's own ran once").isEqualTo(1);
        assertThat(runs("slow_a")).as("killed and run again").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM workflow_run WHERE id = 2 AND status = 'D'")).isEqualTo(1);
    }

    @Test
    void aHotResumeAfterASigkilledControllerAdoptsItsJobsByTheirIdsAndRunsNothingTwice() throws Exception {
        ControllerProcess first = startWithRunningAndQueuedJobs();
        first.process.destroyForcibly();
        first.awaitExit();

        ControllerProcess second = resume("--hot");
        openGate();
        assertThat(second.awaitExit(180)).as(second.output()).isZero();

        assertThat(runs("slow_a")).isEqualTo(1);
        assertThat(runs("slow_b")).isEqualTo(1);
        assertThat(runs("wide")).as("the queued job, adopted, ran once when the slots freed").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM task_instance")).as("no new attempt").isEqualTo(3);
        assertThat(count("SELECT count(*) FROM task_instance WHERE workflow_run_id = 1 AND status = 'D'"))
                .as("the old run's jobs, their results recorded by the new run").isEqualTo(3);
        assertThat(count("SELECT count(*) FROM workflow_run WHERE id = 2 AND status = 'D'")).isEqualTo(1);
    }

    @Test
    void aColdResumeWhileTheControllerRunsHasItDeleteItsJobs() throws Exception {
        ControllerProcess first = startWithRunningAndQueuedJobs();
        List<String> old = executorIds(1);

        ControllerProcess second = resume();
        assertThat(first.awaitExit(60)).as(first.output()).isEqualTo(1);
        openGate();
        assertThat(second.awaitExit(180)).as(second.output()).isZero();

        assertNoneOfTheOldRunsJobsIsInTheCell(old);
        // Ended by the controller that handed over ('F', killed on order), or, when a delete outlasted its 10 s grace
        // (the scheduler under load), by the resume that found the job gone ('E' or 'U'): never left open.
        assertThat(count("SELECT count(*) FROM task_instance WHERE workflow_run_id = 1 AND status IN ('F', 'E', 'U')"))
                .as("the old run's three attempts all ended; the controller said:%n%s", first.output()).isEqualTo(3);
        assertThat(runs("wide")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM workflow_run WHERE id = 2 AND status = 'D'")).isEqualTo(1);
    }
}

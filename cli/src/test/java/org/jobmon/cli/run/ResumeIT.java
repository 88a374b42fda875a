package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Resume across controller processes, as users do it: a second {@code jobmon run --resume} while
 * the first controller still runs (cold and hot), after it was killed with SIGKILL, and after Ctrl-C.
 * Every task appends a line to its own file when it starts, so a file's line count is how many
 * times that task ran. "slow" runs long enough (8 s) to be running when the second controller acts.
 */
class ResumeIT extends ControllerFixture {
    static final String SPEC = """
            tool: resume_it
            workflow:
              name: resumable
              workflow_args: resumable
              executor: multiprocess
              executor_config: {slots: 4}
            task_templates:
              step:
                command_template: "echo ran >> ran_{n}.log; sleep {s}"
                node_args: [n]
                task_args: [s]
            tasks:
              - {template: step, name: quick, args: {n: quick, s: 1}}
              - {template: step, name: slow, args: {n: slow, s: 8}}
              - {template: step, name: last, args: {n: last, s: 0}, upstreams: [quick, slow]}
            """;

    @Override
    String specText() {
        return SPEC;
    }

    @Override
    String specName() {
        return "resumable.yaml";
    }


    long runs(String task) throws Exception {
        Path log = dir.resolve("ran_" + task + ".log");
        return Files.exists(log) ? Files.readAllLines(log).size() : 0;
    }

    String runStatus(long runId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM workflow_run WHERE id = :r").bind("r", runId)
                .mapTo(String.class).one());
    }

    ControllerProcess startFirstAndWaitForBothRunning() throws Exception {
        ControllerProcess first = ControllerProcess.start(dir, db, "run", spec.toString());
        ControllerProcess.await("quick and slow running", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 2
                && Files.exists(dir.resolve("ran_quick.log")) && Files.exists(dir.resolve("ran_slow.log")));
        return first;
    }

    ControllerProcess resume(String... flags) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("run", spec.toString(), "--resume", "-n"));
        args.addAll(List.of(flags));
        return ControllerProcess.start(dir, db, args.toArray(String[]::new));
    }

    @Test
    void coldResumeWhileTheFirstControllerRunsTerminatesItAndKillsItsInstances() throws Exception {
        ControllerProcess first = startFirstAndWaitForBothRunning();
        List<Long> pids = jdbi.withHandle(h -> h.createQuery("SELECT process_group_id FROM task_instance WHERE status = 'R'")
                .mapTo(Long.class).list());
        ControllerProcess second = resume();

        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(second.output()).as("the resume says whom it waits for")
                .containsPattern("waiting for workflow run 1 \\(user [^,]+, host [^,]+, pid " + first.process.pid()
                        + ", last heartbeat \\d+ s ago\\) to hand the workflow over \\(cold: it kills its running tasks\\), at most \\d+ s");
        assertThat(first.awaitExit()).as(first.output()).isEqualTo(1);
        assertThat(runStatus(1)).isEqualTo("T");
        assertThat(runStatus(2)).isEqualTo("D");
        assertThat(count("SELECT count(*) FROM task_instance i JOIN task t ON t.id = i.task_id "
                + "WHERE i.workflow_run_id = 1 AND t.name = 'slow' AND i.status = 'F'")).as("slow killed").isEqualTo(1);
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        assertThat(runs("slow")).isEqualTo(2);
        assertThat(runs("last")).isEqualTo(1);
        assertThat(count("SELECT count(DISTINCT id) FROM workflow")).isEqualTo(1);
    }

    @Test
    void hotResumeWhileTheFirstControllerRunsAdoptsItsInstancesAndNothingRunsTwice() throws Exception {
        ControllerProcess first = startFirstAndWaitForBothRunning();
        ControllerProcess second = resume("--hot");

        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(first.awaitExit()).as(first.output()).isEqualTo(1);
        assertThat(runStatus(1)).isEqualTo("T");
        assertThat(runStatus(2)).isEqualTo("D");
        assertThat(runs("quick")).isEqualTo(1);
        assertThat(runs("slow")).isEqualTo(1);
        assertThat(runs("last")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM task_instance WHERE workflow_run_id = 1 AND status = 'D'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM task_instance")).isEqualTo(3);
    }

    @Test
    void afterSigkillAColdResumeFinishesAndDoesNotRerunWhatFinishedMeanwhile() throws Exception {
        ControllerProcess first = startFirstAndWaitForBothRunning();
        first.process.destroyForcibly();
        first.awaitExit();
        ControllerProcess second = resume();

        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(runStatus(1)).isEqualTo("E");
        assertThat(runs("quick")).as("quick finished while no controller watched").isEqualTo(1);
        assertThat(runs("slow")).as("slow was still running: a cold resume kills and reruns it").isEqualTo(2);
        assertThat(runs("last")).isEqualTo(1);
    }

    @Test
    void aResumeAfterSigkillOnTheSameHostDoesNotWaitForTheDeadControllersLease() throws Exception {
        // a 60 s heartbeat: the dead controller's lease lasts 186 s
        ControllerProcess first = ControllerProcess.startWithHeartbeat("60s", dir, db, "run", spec.toString());
        ControllerProcess.await("quick and slow running", () -> count("SELECT count(*) FROM task_instance WHERE status = 'R'") == 2
                && Files.exists(dir.resolve("ran_quick.log")) && Files.exists(dir.resolve("ran_slow.log")));
        first.process.destroyForcibly();
        first.awaitExit();
        long started = System.nanoTime();
        ControllerProcess second = resume("--hot");

        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("the resume, which waited for nobody")
                .isLessThan(java.time.Duration.ofSeconds(30));
        assertThat(second.output()).doesNotContain("waiting for");
        assertThat(runStatus(1)).isEqualTo("E");
        assertThat(runs("slow")).as("the slow task was adopted, not run again").isEqualTo(1);
    }

    @Test
    void afterSigkillAHotResumeFinishesAndRunsNothingTwice() throws Exception {
        ControllerProcess first = startFirstAndWaitForBothRunning();
        first.process.destroyForcibly();
        first.awaitExit();
        ControllerProcess second = resume("--hot");

        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(runs("quick")).isEqualTo(1);
        assertThat(runs("slow")).isEqualTo(1);
        assertThat(runs("last")).isEqualTo(1);
    }

    @Test
    void stoppedByCtrlCOrSigtermThenResumeEndsDone() throws Exception {
        ControllerProcess first = startFirstAndWaitForBothRunning();
        // SIGTERM: the same path as Ctrl-C, which a background process cannot receive (see ControllerSignalsIT)
        first.signal("TERM");
        assertThat(first.awaitExit()).isEqualTo(1);
        assertThat(runStatus(1)).isEqualTo("S");
        ControllerProcess second = resume();

        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(Files.readString(second.stdout)).contains("\"status\":\"DONE\"");
        assertThat(runs("last")).isEqualTo(1);
    }

    @Test
    void aHotHandOverDropsInstancesNotYetStartedSoNothingRunsTwice() throws Exception {
        java.nio.file.Path oneSlot = dir.resolve("one_slot.yaml");
        Files.writeString(oneSlot, """
                tool: resume_it
                workflow:
                  name: one_slot
                  workflow_args: one_slot
                  executor: multiprocess
                  executor_config: {slots: 1}
                task_templates:
                  step:
                    command_template: "echo ran >> ran_{n}.log; sleep {s}"
                    node_args: [n]
                    task_args: [s]
                tasks:
                  - {template: step, name: running, args: {n: running, s: 6}}
                  - {template: step, name: queued, args: {n: queued, s: 0}}
                """);
        ControllerProcess first = ControllerProcess.start(dir, db, "run", oneSlot.toString());
        ControllerProcess.await("one running, one queued behind it", () -> count("SELECT count(*) FROM task_instance "
                + "WHERE status = 'R'") == 1 && count("SELECT count(*) FROM task_instance WHERE status = 'B'") == 1
                && Files.exists(dir.resolve("ran_running.log")));
        ControllerProcess second = ControllerProcess.start(dir, db, "run", oneSlot.toString(), "--resume", "--hot", "-n");

        assertThat(second.awaitExit()).as(second.output()).isZero();
        assertThat(first.awaitExit()).as(first.output()).isEqualTo(1);
        assertThat(runs("running")).isEqualTo(1);
        assertThat(runs("queued")).isEqualTo(1);
        assertThat(Files.readString(first.stdout)).contains("not yet started were dropped");
    }

    @Test
    void killSelfReachesAnInstanceAdoptedByAHotResume() throws Exception {
        ControllerProcess first = startFirstAndWaitForBothRunning();
        ControllerProcess second = resume("--hot");
        ControllerProcess.await("the second run to adopt slow", () -> count("SELECT count(*) FROM workflow_run WHERE id = 2 "
                + "AND status = 'R'") == 1);
        long slowInstance = count("SELECT i.id FROM task_instance i JOIN task t ON t.id = i.task_id WHERE t.name = 'slow'");
        long pid = count("SELECT process_group_id FROM task_instance WHERE id = " + slowInstance);
        jdbi.useHandle(h -> h.execute("UPDATE task_instance SET status = 'K' WHERE id = " + slowInstance + " AND status = 'R'"));

        assertThat(second.awaitExit()).as(second.output()).isZero();
        first.awaitExit();
        assertThat(count("SELECT count(*) FROM task_instance WHERE id = " + slowInstance + " AND status = 'F'")).isEqualTo(1);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(runs("slow")).as("killed on order, then retried").isEqualTo(2);
    }
}

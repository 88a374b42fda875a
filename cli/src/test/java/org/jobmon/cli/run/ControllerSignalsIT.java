package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;


import org.junit.jupiter.api.Test;

/** What happens to a run when its controller process is stopped by a signal. */
class ControllerSignalsIT extends ControllerFixture {
    static final String SLEEPERS = """
            tool: signals
            workflow:
              name: sleepers
              workflow_args: sleepers
              executor: multiprocess
              executor_config: {slots: 2}
            task_templates:
              quick: {command_template: "echo {n}", node_args: [n]}
              slow: {command_template: "sleep {s}", node_args: [s]}
            tasks:
              - {template: quick, foreach: {n: [1, 2]}}
              - {template: slow, foreach: {s: [60, 61]}, upstreams: ["quick_*"]}
            """;

    /**
     * The sleepers' running instances (the quick tasks are RUNNING for a moment too: a count of all
     * RUNNING instances can match them).
     */
    static final String SLEEPING = "SELECT process_group_id FROM task_instance i JOIN task t ON t.id = i.task_id "
            + "WHERE i.status = 'R' AND t.command LIKE 'sleep%'";

    @Override
    String specText() {
        return SLEEPERS;
    }

    @Override
    String specName() {
        return "sleepers.yaml";
    }


    List<Long> pids(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).list());
    }

    @Test
    void ctrlCOrSigtermEndsTheRunStoppedKillsItsInstancesAndSaysHowToResume() throws Exception {
        ControllerProcess controller = ControllerProcess.start(dir, db, "run", spec.toString());
        ControllerProcess.await("both sleepers running",
                () -> count(SLEEPING.replace("process_group_id", "count(*)")) == 2);
        List<Long> sleeping = pids(SLEEPING);

        // Ctrl-C is SIGINT, but a process started in the background (as CI starts these tests) inherits
        // SIGINT ignored and cannot catch it; SIGTERM takes the same path in the controller.
        controller.signal("TERM");
        int exit = controller.awaitExit();

        assertThat(exit).as(controller.output()).isEqualTo(1);
        assertThat(controller.output()).contains("stopped").contains("--resume");
        assertThat(count("SELECT count(*) FROM workflow_run WHERE status = 'S'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM task_instance WHERE status = 'F'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM task_instance WHERE status = 'D'")).isEqualTo(2);
        for (long pid : sleeping) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("sleeper " + pid).isFalse();
        }
    }

    @Test
    void aSecondSigtermQuitsAtOnceWithExitCode143() throws Exception {
        ControllerProcess controller = ControllerProcess.start(dir, db, "run", spec.toString());
        ControllerProcess.await("both sleepers running",
                () -> count(SLEEPING.replace("process_group_id", "count(*)")) == 2);
        List<Long> sleeping = pids(SLEEPING);
        try {
            // 50 ms apart, well within the graceful stop (about a second: the sleepers are killed and waited for)
            controller.signalTwice("TERM");
            int exit = controller.awaitExit();

            assertThat(exit).as(controller.output()).isEqualTo(128 + 15);
            assertThat(controller.output()).contains("SIGTERM: stopping the run").contains("SIGTERM again: quitting at once");
        } finally {
            for (long pid : sleeping) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        }
    }

    @Test
    void aControllerKilledWithSigkillIsLaterShownErrorWithEveryFinishedAttemptRecorded() throws Exception {
        ControllerProcess controller = ControllerProcess.start(dir, db, "run", spec.toString());
        ControllerProcess.await("both sleepers running",
                () -> count(SLEEPING.replace("process_group_id", "count(*)")) == 2);
        List<Long> sleeping = pids(SLEEPING + " ORDER BY i.id");
        long workflowId = count("SELECT id FROM workflow");

        controller.process.destroyForcibly();
        controller.awaitExit();
        try {
            // One sleeper dies with the controller gone and leaves no exit record; the other goes on.
            ProcessHandle.of(sleeping.get(0)).ifPresent(ProcessHandle::destroyForcibly);
            // the next process that looks (here: jobmon workflow_status) marks the dead run ERROR
            ControllerProcess.await("the dead run to be settled by jobmon workflow_status", () -> {
                try {
                    ControllerProcess.start(dir, db, "workflow_status", "-w", Long.toString(workflowId), "-n").awaitExit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return count("SELECT count(*) FROM workflow_run WHERE status = 'E'") == 1;
            });
            assertThat(count("SELECT count(*) FROM workflow_run WHERE status = 'E'")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM workflow_run WHERE status = 'R'")).isZero();
            assertThat(count("SELECT count(*) FROM task_instance WHERE status = 'D' AND exit_code = 0")).isEqualTo(2);
            assertThat(count("SELECT count(*) FROM task_instance WHERE status = 'U' AND process_group_id = " + sleeping.get(0)))
                    .as("the sleeper killed meanwhile is lost; instances: " + rows("SELECT id || ':' || status || ':' "
                            + "|| COALESCE(process_group_id, 0) FROM task_instance ORDER BY id")).isEqualTo(1);
            assertThat(count("SELECT count(*) FROM task_instance WHERE status = 'R' AND process_group_id = " + sleeping.get(1)))
                    .as("the sleeper that still runs is still shown running").isEqualTo(1);
        } finally {
            for (long pid : sleeping) {
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                });
            }
        }
    }

    List<String> rows(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).list());
    }
}

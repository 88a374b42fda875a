package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Task;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.CliResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.cli.status.LiveWorkflows.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobmon update_task_status} on real workflows, then a resume through the engine. */
@Tag("engine")
class UpdateTaskStatusTest {
    @TempDir
    Path dir;
    LiveWorkflows live;

    @BeforeEach
    void open() {
        live = new LiveWorkflows(dir);
    }

    @AfterEach
    void close() {
        live.close();
    }

    /**
     * step_1 -> ... -> step_5, each appending its number to "ran"; step_{failing} fails (max_attempts
     * 1) until the file "fixed" exists. Built anew for every run, identical each time.
     */
    private Workflow chain(String workflowArgs, int failing) {
        Workflow wf = live.workflow(workflowArgs, 2);
        Task previous = null;
        for (int i = 1; i <= 5; i++) {
            String cmd = (i == failing ? "test -f fixed || { echo step " + i + " is broken >&2; exit 3; }; " : "")
                    + "echo " + i + " >> ran";
            Task t = live.sh("step_" + i, cmd + " # " + workflowArgs, 1);
            if (previous != null) {
                t.addUpstream(previous);
            }
            wf.addTask(t);
            previous = t;
        }
        return wf;
    }

    private CliResult update(long workflowId, String status, long... taskIds) {
        List<String> args = new ArrayList<>(List.of("update_task_status", "-w", Long.toString(workflowId), "-s", status, "-t"));
        for (long t : taskIds) {
            args.add(Long.toString(t));
        }
        return live.jobmon(args.toArray(String[]::new));
    }

    private String taskStatus(long taskId) {
        return live.engine.database().jdbi().withHandle(h -> h.createQuery("SELECT status FROM task WHERE id = :t").bind("t", taskId)
                .mapTo(String.class).one());
    }

    private String workflowStatus(long workflowId) {
        return live.engine.database().jdbi().withHandle(h -> h.createQuery("SELECT status FROM workflow WHERE id = :w")
                .bind("w", workflowId).mapTo(String.class).one());
    }

    @Test
    void doneOnTheFailedThirdTaskThenResumeRunsOnlyTasksFourAndFive() {
        WorkflowRunResult first = live.run(chain("chain_d", 3), RunOptions.defaults());
        assertThat(first.status()).isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(live.lines("ran")).containsExactly("1", "2");
        long wf = first.workflowId();
        Map<String, Long> ids = live.taskIds(wf);
        assertThat(taskStatus(ids.get("step_3"))).isEqualTo("F");

        CliResult r = update(wf, "d", ids.get("step_3")).exits(ExitCodes.OK);
        assertThat(r.out()).contains("1 task set to DONE (D): " + ids.get("step_3")).contains("resume");
        assertThat(taskStatus(ids.get("step_3"))).isEqualTo("D");
        assertThat(taskStatus(ids.get("step_4"))).isEqualTo("G");
        assertThat(live.count("SELECT COUNT(*) FROM task_status_audit WHERE task_id = ? AND previous_status = 'F' AND new_status = 'D'",
                ids.get("step_3"))).isEqualTo(1);

        WorkflowRunResult resumed = live.run(chain("chain_d", 3), RunOptions.defaults().withResume(true));
        assertThat(resumed.status()).as(resumed.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(resumed.workflowId()).isEqualTo(wf);
        assertThat(live.lines("ran")).containsExactly("1", "2", "4", "5");
    }

    @Test
    void fatalOnTaskTwoOfADoneWorkflowSuspendsItAndResumeRerunsTasksTwoToFive() {
        WorkflowRunResult first = live.run(chain("chain_f", 0), RunOptions.defaults());
        assertThat(first.status()).isEqualTo(WorkflowRunStatus.DONE);
        long wf = first.workflowId();
        assertThat(workflowStatus(wf)).isEqualTo("D");
        Map<String, Long> ids = live.taskIds(wf);

        CliResult r = update(wf, "F", ids.get("step_2")).exits(ExitCodes.OK);
        assertThat(r.out()).contains("4 tasks set to ERROR_FATAL (F)").contains("(1 listed, 3 downstream)")
                .contains("was DONE and is now SUSPENDED");
        assertThat(workflowStatus(wf)).isEqualTo("S");
        assertThat(live.workflowStatus(wf).get("wf_status").asText()).isEqualTo("SUSPENDED");
        assertThat(taskStatus(ids.get("step_1"))).isEqualTo("D");
        for (int i = 2; i <= 5; i++) {
            assertThat(taskStatus(ids.get("step_" + i))).as("step_%d", i).isEqualTo("F");
        }
        assertThat(live.count("SELECT COUNT(*) FROM task_status_audit a JOIN task t ON t.id = a.task_id WHERE t.workflow_id = ? "
                + "AND a.previous_status = 'D' AND a.new_status = 'F'", wf)).isEqualTo(4);
        assertThat(live.json("workflow_tasks", "-w", Long.toString(wf), "-s", "fatal", "-n")).hasSize(4);

        WorkflowRunResult resumed = live.run(chain("chain_f", 0), RunOptions.defaults().withResume(true));
        assertThat(resumed.status()).as(resumed.message()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(resumed.previouslyDone()).isEqualTo(1);
        assertThat(live.lines("ran")).containsExactly("1", "2", "3", "4", "5", "2", "3", "4", "5");
    }

    @Test
    void fatalOnTheMiddleOfADiamondSetsOnlyItsDownstream() {
        // a -> b -> d, a -> c -> d: F on b sets b and d, not a or c
        Workflow wf = live.workflow("diamond", 2);
        Task a = live.sh("a", "true # a", 1);
        Task b = live.sh("b", "true # b", 1);
        Task c = live.sh("c", "true # c", 1);
        Task d = live.sh("d", "true # d", 1);
        b.addUpstream(a);
        c.addUpstream(a);
        d.addUpstreams(List.of(b, c));
        wf.addTasks(List.of(a, b, c, d));
        long id = live.run(wf, RunOptions.defaults()).workflowId();
        Map<String, Long> ids = live.taskIds(id);

        update(id, "f", ids.get("b")).exits(ExitCodes.OK);
        assertThat(List.of(taskStatus(ids.get("a")), taskStatus(ids.get("b")), taskStatus(ids.get("c")), taskStatus(ids.get("d"))))
                .containsExactly("D", "F", "D", "F");
    }

    @Test
    void anActiveWorkflowIsRefusedByRuleTwo() {
        Workflow wf = live.workflow("active", 2);
        wf.addTask(live.sh("gated", String.format(LiveStatusTest.GATED, "g"), 1));
        Run run = live.start(wf, RunOptions.defaults());
        long id = run.id();
        long task = live.taskIds(id).get("gated");

        CliResult r = update(id, "D", task).exits(ExitCodes.FAILED);
        assertThat(r.err()).startsWith("jobmon: refused by rule 2: only inactive workflows can have task statuses updated")
                .contains("is being run by workflow run").doesNotContain("\tat ");
        assertThat(taskStatus(task)).isNotEqualTo("D");
        live.touch("release");
        assertThat(run.end().isDone()).isTrue();
    }

    @Test
    void aUserWithoutARunOfTheWorkflowIsRefusedByRuleThree() {
        long id = live.run(chain("someone_elses", 0), RunOptions.defaults()).workflowId();
        long task = live.taskIds(id).get("step_2");
        live.execute("UPDATE workflow_run SET user = 'someone_else' WHERE workflow_id = ?", id);

        CliResult r = update(id, "F", task).exits(ExitCodes.FAILED);
        assertThat(r.err()).startsWith("jobmon: refused by rule 3: the updating user must have at least one workflow run of the "
                + "workflow").contains("its runs are by someone_else").doesNotContain("\tat ");
        assertThat(taskStatus(task)).isEqualTo("D");
        assertThat(workflowStatus(id)).isEqualTo("D");
    }

    @Test
    void theConcurrencyLimitOfAnotherUsersWorkflowChangesOnlyWhenAskedFor() {
        long id = live.run(chain("a_colleagues", 0), RunOptions.defaults()).workflowId();
        live.execute("UPDATE workflow_run SET user = 'a_colleague' WHERE workflow_id = ?", id);

        CliResult refused = live.jobmon("concurrency_limit", "-w", Long.toString(id), "-n", "0").exits(ExitCodes.FAILED);
        assertThat(refused.err()).contains("was run by a_colleague").contains("--other-user").doesNotContain("\tat ");
        live.jobmon("concurrency_limit", "-w", Long.toString(id), "-n", "0", "--other-user").exits(ExitCodes.OK);
    }

    @Test
    void tasksOfAnotherWorkflowAreRefusedByRuleFour() {
        long one = live.run(chain("first_chain", 0), RunOptions.defaults()).workflowId();
        long two = live.run(chain("second_chain", 0), RunOptions.defaults()).workflowId();
        long ownTask = live.taskIds(one).get("step_1");
        long foreignTask = live.taskIds(two).get("step_1");

        CliResult r = update(one, "F", ownTask, foreignTask).exits(ExitCodes.FAILED);
        assertThat(r.err()).startsWith("jobmon: refused by rule 4: the tasks must all belong to the workflow")
                .contains("task " + foreignTask + " belongs to workflow " + two + ", not to workflow " + one);
        assertThat(taskStatus(ownTask)).isEqualTo("D");
    }

    @Test
    void aStatusOtherThanDOrFIsAUsageErrorAndUnknownIdsFail() {
        long id = live.run(chain("usage", 0), RunOptions.defaults()).workflowId();
        long task = live.taskIds(id).get("step_1");

        CliResult r = update(id, "R", task).exits(ExitCodes.USAGE);
        assertThat(r.err()).contains("'R' cannot be set: the status must be D (DONE) or F (ERROR_FATAL)");
        update(id, "G", task).exits(ExitCodes.USAGE);
        assertThat(update(4242, "D", task).exits(ExitCodes.FAILED).err()).startsWith("jobmon: no workflow 4242 in the database");
        assertThat(update(id, "D", 987654).exits(ExitCodes.FAILED).err()).startsWith("jobmon: no task 987654 in the database");
        assertThat(live.jobmon("update_task_status", "-w", Long.toString(id), "-s", "D").exits(ExitCodes.USAGE).err())
                .contains("--task_ids");
    }
}

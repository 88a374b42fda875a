package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.cli.ExitCodes;
import org.jobmon.engine.RunControl;
import org.jobmon.engine.RunListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concurrency limit, changed with {@code jobmon concurrency_limit} while a workflow runs with far
 * more ready tasks than slots, bites at once: the engine keeps ready work in its own queue and hands
 * the multiprocess executor only what it can start. The tasks count themselves: each appends
 * "start" and "end" lines to one file.
 */
class ConcurrencyLimitIT {
    private static final String TASK = "echo start >> events; sleep 2; echo end >> events";

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

    private long starts() {
        return live.lines("events").stream().filter("start"::equals).count();
    }

    /** The most tasks that ran at once among the events from {@code from} on, starting from {@code running}. */
    private int mostAtOnce(int from, int running) {
        int most = running;
        List<String> events = live.lines("events");
        for (String e : events.subList(from, events.size())) {
            running += "start".equals(e) ? 1 : -1;
            most = Math.max(most, running);
        }
        return most;
    }

    private void limit(long id, int n) {
        live.jobmon("concurrency_limit", "-w", Long.toString(id), "-n", Integer.toString(n)).exits(ExitCodes.OK);
    }

    @Test
    void zeroPausesWithinACycleAndOneRunsOneAtATimeWithThirtyTasksOnTwoSlots() throws Exception {
        Workflow wf = live.workflow("limit_bites", 2);
        for (int i = 1; i <= 30; i++) {
            wf.addTask(live.sh("sleep_" + i, ": " + i + "; " + TASK, 1));
        }
        LiveWorkflows.Run run = live.start(wf, RunOptions.defaults());
        long id = run.id();
        LiveWorkflows.await("two tasks to start", () -> starts() == 2);

        limit(id, 0);
        TimeUnit.SECONDS.sleep(2); // the two running tasks may still end; nothing starts after them
        long startsWhenPaused = starts();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        while (System.nanoTime() < until) {
            assertThat(starts()).as("tasks started while the limit was 0").isEqualTo(startsWhenPaused);
            LiveWorkflows.pause();
        }
        assertThat(startsWhenPaused).as("no task started after the limit went to 0").isEqualTo(2);
        assertThat(run.result).isNotDone();

        int seen = live.lines("events").size();
        limit(id, 1);
        LiveWorkflows.await("three more tasks to start", () -> starts() == startsWhenPaused + 3);
        LiveWorkflows.await("them to end", () -> live.lines("events").size() >= seen + 6);
        assertThat(mostAtOnce(seen, 0)).as("tasks running at once with the limit at 1").isEqualTo(1);

        limit(id, 100);
        WorkflowRunResult r = run.end();
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(starts()).isEqualTo(30);
        assertThat(mostAtOnce(0, 0)).as("never more than the two slots").isLessThanOrEqualTo(2);
    }

    @Test
    void aStoppedRunCountsOnlyTheAttemptsThatWereRunning() throws Exception {
        Workflow wf = live.workflow("limit_stop", 2);
        for (int i = 1; i <= 10; i++) {
            wf.addTask(live.sh("long_" + i, ": " + i + "; echo start >> events; exec sleep 60", 1));
        }
        RunControl control = new RunControl(RunListener.NONE);
        CompletableFuture<WorkflowRunResult> result = CompletableFuture.supplyAsync(() -> live.engine.run(wf, RunOptions.defaults(), control));
        LiveWorkflows.await("two tasks to start", () -> starts() == 2);
        // the queued ones are taken back from the executor within a cycle (50 ms here); then the stop
        limit(1, 2); // the only workflow in this test's database
        TimeUnit.MILLISECONDS.sleep(500);
        long stopAt = System.nanoTime();
        control.stop("stopped by the test");
        WorkflowRunResult r = LiveWorkflows.get(result);
        assertThat(r.status()).isEqualTo(WorkflowRunStatus.STOPPED);
        assertThat(r.message()).contains("2 running task instance(s) were killed; 8 not yet started were dropped")
                .doesNotContain("did not end");
        assertThat(System.nanoTime() - stopAt).as("no 10 s wait for attempts no executor has").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(live.count("SELECT count(*) FROM task_instance WHERE status IN ('I', 'B', 'R')")).as("attempts left open").isZero();
    }
}

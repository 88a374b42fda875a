package org.jobmon.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.junit.jupiter.api.Test;

/** The run's tasks in memory: release by event, counts, and every transition handed on once. */
class RunStateTest {
    private final List<String> written = new ArrayList<>();
    private final TaskTemplate t = Tool.create("state").getTaskTemplate("t", "echo {n}", List.of("n"), List.of(), List.of());

    private Task task(int n, Task... upstreams) {
        Task.Builder b = t.createTask().arg("n", n);
        for (Task u : upstreams) {
            b.upstream(u);
        }
        return b.build();
    }

    private RunState state(List<Task> tasks, char... status) {
        long[] ids = new long[tasks.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 100 + i;
        }
        return new RunState(tasks, ids, status, new int[tasks.size()], (id, prev, next, attempts) ->
                written.add(id + ":" + (prev == 0 ? "-" : String.valueOf(prev)) + next + attempts));
    }

    @Test
    void aDoneTaskReleasesADownstreamOnlyWhenItsLastUpstreamIsDone() {
        Task a = task(1);
        Task b = task(2);
        Task c = task(3, a, b);
        RunState s = state(List.of(a, b, c), 'G', 'G', 'G');
        s.releaseRoots();
        assertThat(s.nextReady()).isZero();
        assertThat(s.nextReady()).isEqualTo(1);
        assertThat(s.nextReady()).isEqualTo(-1);
        s.done(0);
        assertThat(s.hasReady()).as("c still waits for b").isFalse();
        s.done(1);
        assertThat(s.nextReady()).isEqualTo(2);
        assertThat(s.count(RunState.D)).isEqualTo(2);
        assertThat(written).containsExactly("100:GQ0", "101:GQ0", "100:QD0", "101:QD0", "102:GQ0");
    }

    @Test
    void aResumedRunCountsUpstreamsDoneBeforeAsDone() {
        Task a = task(1);
        Task b = task(2, a);
        RunState s = state(List.of(a, b), 'D', 'G');
        s.releaseRoots();
        assertThat(s.nextReady()).isEqualTo(1);
        assertThat(s.count(RunState.D)).isEqualTo(1);
    }

    @Test
    void aTaskNoLongerQueuedIsSkippedWhenItsTurnComes() {
        Task a = task(1);
        RunState s = state(List.of(a), 'G');
        s.releaseRoots();
        s.set(0, RunState.F);
        assertThat(s.nextReady()).isEqualTo(-1);
    }

    @Test
    void countsAreReportedOnlyWhenTheyChanged() {
        Task a = task(1);
        RunState s = state(List.of(a), 'G');
        assertThat(s.changedCounts()).as("the first look").isNotNull();
        assertThat(s.changedCounts()).isNull();
        s.newAttempt(0);
        s.set(0, 'I');
        assertThat(s.changedCounts()).containsEntry(TaskStatus.INSTANTIATED, 1).containsEntry(TaskStatus.REGISTERED, 0);
        assertThat(written).containsExactly("100:GI1");
        s.set(0, 'I');
        assertThat(s.changedCounts()).as("no change, nothing written").isNull();
        assertThat(written).hasSize(1);
    }
}

package org.jobmon.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.GoneInstance;
import org.jobmon.engine.EngineConfig;
import org.jobmon.engine.store.CycleWrites;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** One batched poll per heartbeat, triage of what the executor lost, and kill orders, against a counted executor. */
class InstanceReconcilerTest {
    private final CycleWrites writes = new CycleWrites();
    private final List<String> outcomes = new ArrayList<>();
    private final Executor executor = mock(Executor.class);
    private final CycleCommitterTest.FakeStore store = new CycleCommitterTest.FakeStore();

    private final List<String> reasons = new ArrayList<>();
    private final InstanceReconciler.Outcomes recorder = new InstanceReconciler.Outcomes() {
                @Override
                public void started(Attempt a) {
                    outcomes.add(a.id + " started");
                }

                @Override
                public void exited(Attempt a, ExitInfo exit) {
                    outcomes.add(a.id + " " + exit.kind());
                }

                @Override
                public void ended(Attempt a, char status, String host, String why) {
                    outcomes.add(a.id + " ended " + status);
                    reasons.add(why);
                }
            };
    private final InstanceReconciler reconciler = new InstanceReconciler(store, executor, "fake", EngineConfig.defaults(),
            () -> writes, recorder);

    private static Attempt attempt(long id, char status) {
        Attempt a = new Attempt((int) id, id);
        a.executorId = "job" + id;
        a.status = status;
        a.resources = new org.jobmon.api.Resources(1, 1024, 60, java.util.Optional.empty(), Map.of(), Map.of(), false);
        a.dir = java.nio.file.Path.of("runs", Long.toString(id));
        return a;
    }

    private Map<Long, Attempt> active(Attempt... attempts) {
        Map<Long, Attempt> m = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            m.put(a.id, a);
        }
        return m;
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneBatchedPollForAllInstancesAndOneBatchedQuestionForThoseThePollingExecutorNoLongerLists() {
        char running = TaskInstanceStatus.RUNNING.code();
        char submitted = TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code();
        Map<Long, Attempt> active = active(attempt(1, running), attempt(2, running), attempt(3, submitted), attempt(4, submitted),
                attempt(5, submitted));
        when(executor.poll(anyCollection())).thenReturn(Map.of("job1", JobState.RUNNING, "job3", JobState.RUNNING));
        when(executor.exitInfos(org.mockito.ArgumentMatchers.anyList())).thenReturn(Map.of(2L, ExitInfo.resourceKilled("runtime", "h_rt"),
                5L, ExitInfo.done("node1", 1.5)));

        reconciler.reconcile(active, true);

        ArgumentCaptor<java.util.Collection<String>> polled = ArgumentCaptor.forClass(java.util.Collection.class);
        verify(executor, times(1)).poll(polled.capture());
        assertThat(polled.getValue()).containsExactlyInAnyOrder("job1", "job2", "job3", "job4", "job5");
        ArgumentCaptor<List<GoneInstance>> asked = ArgumentCaptor.forClass(List.class);
        verify(executor, times(1)).exitInfos(asked.capture());
        assertThat(asked.getValue()).extracting(GoneInstance::executorId).containsExactlyInAnyOrder("job2", "job4", "job5");
        assertThat(asked.getValue()).allSatisfy(g -> assertThat(g.requested()).isPresent());
        assertThat(outcomes).as("a job that ended between two polls is its accounting record, not 'never started'")
                .containsExactlyInAnyOrder("3 started", "2 RESOURCE_ERROR", "5 DONE");
        assertThat(writes.renewed).containsExactlyInAnyOrder(1L, 3L);
        assertThat(writes.triaging).containsExactly(2L);
        verify(executor, never()).terminate(anyCollection());

        // job4: missing a second time and still without a record: lost, and deleted before its task is retried
        active.keySet().removeAll(List.of(2L, 5L)); // ended: the loop's outcomes take them out
        when(executor.exitInfos(org.mockito.ArgumentMatchers.anyList())).thenReturn(Map.of());
        reconciler.reconcile(active, false);
        assertThat(outcomes).as("its accounting record may still come: not lost yet").noneMatch(o -> o.startsWith("4 "));
        active.get(4L).firstMissed -= InstanceReconciler.LOST_AFTER.toNanos();
        reconciler.reconcile(active, false);
        assertThat(outcomes).contains("4 ended " + TaskInstanceStatus.NO_HEARTBEAT.code());
        verify(executor).terminate(List.of("job4"));
        assertThat(writes.renewed).as("renewed only when asked").hasSize(2);
    }

    @Test
    void anExecutorThatCannotSayHowJobsEndedLosesNone() {
        Map<Long, Attempt> active = active(attempt(1, TaskInstanceStatus.RUNNING.code()));
        when(executor.poll(anyCollection())).thenReturn(Map.of());
        when(executor.exitInfos(org.mockito.ArgumentMatchers.anyList())).thenThrow(new IllegalStateException("qacct did not answer"));
        for (int i = 0; i < 3; i++) {
            active.get(1L).firstMissed -= InstanceReconciler.LOST_AFTER.toNanos();
            reconciler.reconcile(active, true);
        }
        assertThat(outcomes).as("no answer is not 'no record'").isEmpty();
        verify(executor, never()).terminate(anyCollection());
    }

    @Test
    void anExecutorThatReportsEventsGetsOneMoreLookBeforeAnInstanceIsTriaged() {
        Map<Long, Attempt> active = active(attempt(1, TaskInstanceStatus.RUNNING.code()));
        when(executor.reportsEvents()).thenReturn(true);
        when(executor.poll(anyCollection())).thenReturn(Map.of());
        when(executor.exitInfos(org.mockito.ArgumentMatchers.anyList())).thenReturn(Map.of(1L, ExitInfo.lost("gone")));

        reconciler.reconcile(active, true);
        assertThat(outcomes).as("one missing answer is not proof").isEmpty();
        reconciler.reconcile(active, true);
        assertThat(outcomes).containsExactly("1 LOST");
    }

    @Test
    void aJobTheSchedulerWillNotRunIsDeletedAndEndsAtOnceWithItsReason() {
        Map<Long, Attempt> active = active(attempt(1, TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code()));
        when(executor.poll(anyCollection())).thenReturn(Map.of("job1", JobState.error("can't open output file /x/out")));

        reconciler.reconcile(active, true);

        verify(executor).terminate(List.of("job1"));
        assertThat(outcomes).containsExactly("1 ended " + TaskInstanceStatus.ERROR.code());
        assertThat(reasons).singleElement().asString().contains("can't open output file /x/out");
    }

    @Test
    void aHeldJobIsLeftAloneUntilTheNeverStartedDeadlineThenDeletedWithTheReason() {
        InstanceReconciler quick = new InstanceReconciler(store, executor, "fake",
                EngineConfig.defaults().withNeverStartedDeadline(java.time.Duration.ofMillis(1)), () -> writes, recorder);
        Attempt held = attempt(1, TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code());
        Map<Long, Attempt> active = active(held);
        when(executor.poll(anyCollection())).thenReturn(Map.of("job1", JobState.held("job held by user root")));

        quick.reconcile(active, true);
        assertThat(outcomes).as("first seen held: the deadline starts now").isEmpty();
        assertThat(writes.errors).as("shown while it waits").singleElement()
                .satisfies(e -> assertThat(e.description()).contains("is held by fake: job held by user root"));
        assertThat(writes.renewed).as("a held job is still there").containsExactly(1L);
        long seen = System.nanoTime();
        while (System.nanoTime() - seen < 2_000_000) {
            Thread.onSpinWait();
        }
        quick.reconcile(active, true);

        verify(executor).terminate(List.of("job1"));
        assertThat(outcomes).containsExactly("1 ended " + TaskInstanceStatus.NO_HEARTBEAT.code());
        assertThat(reasons).singleElement().asString().contains("held").contains("job held by user root").contains("never started");
    }

    @Test
    void killOrdersAreCarriedOutOnceWithOneTerminate() {
        Map<Long, Attempt> active = active(attempt(1, TaskInstanceStatus.RUNNING.code()), attempt(2, TaskInstanceStatus.RUNNING.code()));
        store.killOrders = List.of(2L, 99L);
        when(executor.poll(anyCollection())).thenReturn(Map.of("job1", JobState.RUNNING,
                "job2", JobState.RUNNING));

        reconciler.reconcile(active, true);
        reconciler.reconcile(active, true);

        verify(executor, times(1)).terminate(List.of("job2"));
        assertThat(active.get(2L).killOrdered).isTrue();
        assertThat(Set.copyOf(writes.renewed)).containsExactlyInAnyOrder(1L, 2L);
    }
}

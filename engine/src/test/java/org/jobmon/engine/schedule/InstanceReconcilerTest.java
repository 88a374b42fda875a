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
import org.jobmon.api.executor.ExitInfo;
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

    private final InstanceReconciler reconciler = new InstanceReconciler(store, executor, "fake", EngineConfig.defaults(),
            () -> writes, new InstanceReconciler.Outcomes() {
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
                }
            });

    private static Attempt attempt(long id, char status) {
        Attempt a = new Attempt((int) id, id);
        a.executorId = "job" + id;
        a.status = status;
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
    void oneBatchedPollForAllInstancesAndTriageForThoseThePollingExecutorNoLongerKnows() {
        char running = TaskInstanceStatus.RUNNING.code();
        char submitted = TaskInstanceStatus.SUBMITTED_TO_BATCH_EXECUTOR.code();
        Map<Long, Attempt> active = active(attempt(1, running), attempt(2, running), attempt(3, submitted), attempt(4, submitted));
        when(executor.poll(anyCollection())).thenReturn(Map.of("job1", Executor.InstanceState.RUNNING,
                "job3", Executor.InstanceState.RUNNING));
        when(executor.exitInfo("job2")).thenReturn(ExitInfo.lost("gone"));

        reconciler.reconcile(active);

        ArgumentCaptor<java.util.Collection<String>> polled = ArgumentCaptor.forClass(java.util.Collection.class);
        verify(executor, times(1)).poll(polled.capture());
        assertThat(polled.getValue()).containsExactlyInAnyOrder("job1", "job2", "job3", "job4");
        assertThat(outcomes).containsExactly("3 started", "2 LOST", "4 ended " + TaskInstanceStatus.NO_HEARTBEAT.code());
        assertThat(writes.renewed).containsExactlyInAnyOrder(1L, 3L);
        assertThat(writes.triaging).containsExactly(2L);
        verify(executor, never()).terminate(anyCollection());
    }

    @Test
    void anExecutorThatReportsEventsGetsOneMoreLookBeforeAnInstanceIsTriaged() {
        Map<Long, Attempt> active = active(attempt(1, TaskInstanceStatus.RUNNING.code()));
        when(executor.reportsEvents()).thenReturn(true);
        when(executor.poll(anyCollection())).thenReturn(Map.of());
        when(executor.exitInfo("job1")).thenReturn(ExitInfo.lost("gone"));

        reconciler.reconcile(active);
        assertThat(outcomes).as("one missing answer is not proof").isEmpty();
        reconciler.reconcile(active);
        assertThat(outcomes).containsExactly("1 LOST");
    }

    @Test
    void killOrdersAreCarriedOutOnceWithOneTerminate() {
        Map<Long, Attempt> active = active(attempt(1, TaskInstanceStatus.RUNNING.code()), attempt(2, TaskInstanceStatus.RUNNING.code()));
        store.killOrders = List.of(2L, 99L);
        when(executor.poll(anyCollection())).thenReturn(Map.of("job1", Executor.InstanceState.RUNNING,
                "job2", Executor.InstanceState.RUNNING));

        reconciler.reconcile(active);
        reconciler.reconcile(active);

        verify(executor, times(1)).terminate(List.of("job2"));
        assertThat(active.get(2L).killOrdered).isTrue();
        assertThat(Set.copyOf(writes.renewed)).containsExactlyInAnyOrder(1L, 2L);
    }
}

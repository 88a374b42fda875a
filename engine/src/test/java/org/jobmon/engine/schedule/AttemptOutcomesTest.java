package org.jobmon.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.Resources;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.engine.resources.ResourceResolver;
import org.jobmon.engine.resources.ResourceScaler;
import org.jobmon.engine.store.CycleWrites;
import org.junit.jupiter.api.Test;

/** The seed's transition rules for the end of an attempt, decided in memory without a database. */
class AttemptOutcomesTest {
    private final CycleWrites writes = new CycleWrites();
    private final List<String> transitions = new ArrayList<>();
    private final Map<Long, Attempt> active = new HashMap<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private RunState state;

    private AttemptOutcomes outcomes(boolean failFast, int maxAttempts, int tasks) {
        Tool tool = Tool.create("outcomes");
        TaskTemplate t = tool.getTaskTemplate("t", "echo {n}", List.of("n"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("w");
        for (int i = 0; i < tasks; i++) {
            wf.addTask(t.createTask().arg("n", i).maxAttempts(maxAttempts)
                    .executorParameters(ExecutorParameters.builder().maxRuntime(100).build()).build());
        }
        List<Task> list = wf.tasks();
        long[] taskIds = new long[tasks];
        Resources[] resources = new Resources[tasks];
        ResourceResolver resolver = new ResourceResolver(wf);
        for (int i = 0; i < tasks; i++) {
            taskIds[i] = i + 1;
            resources[i] = resolver.staticResources(list.get(i));
        }
        char[] status = new char[tasks];
        java.util.Arrays.fill(status, 'G');
        state = new RunState(list, taskIds, status, new int[tasks], (id, p, n, a) -> transitions.add(id + ":" + p + n));
        TaskResources r = new TaskResources(list, taskIds, new long[tasks], resources, resolver, new ResourceScaler(List.of()),
                x -> x, "fake", ids::incrementAndGet, () -> writes);
        state.releaseRoots();
        return new AttemptOutcomes(state, list, r, active, () -> writes, failFast);
    }

    private Attempt running(int task) {
        int i = state.nextReady();
        assertThat(i).isEqualTo(task);
        state.newAttempt(i);
        state.set(i, 'I');
        Attempt a = new Attempt(i, ids.incrementAndGet());
        a.status = 'R';
        active.put(a.id, a);
        state.set(i, 'R');
        return a;
    }

    private static ExitInfo resourceKill(String resource) {
        return new ExitInfo(ExitInfo.ExitKind.RESOURCE_ERROR, OptionalInt.of(137), Optional.of(resource), "", Optional.of("node1"),
                OptionalDouble.of(101), OptionalLong.empty(), "killed: over max_runtime_seconds");
    }

    @Test
    void anErrorIsRetriedUntilMaxAttemptsThenTheTaskIsFatal() {
        AttemptOutcomes o = outcomes(false, 2, 1);
        o.exited(running(0), ExitInfo.failed(3, "boom", "exited 3"));
        assertThat(state.status(0)).as("queued again").isEqualTo('Q');
        o.exited(running(0), ExitInfo.failed(3, "boom", "exited 3"));
        assertThat(state.status(0)).isEqualTo('F');
        assertThat(active).isEmpty();
        assertThat(writes.errors).hasSize(2);
        assertThat(writes.errors.get(1).description()).contains("exited 3").contains("boom");
    }

    @Test
    void aResourceKillScalesThatResourceBeforeTheRetry() {
        AttemptOutcomes o = outcomes(false, 3, 1);
        o.exited(running(0), resourceKill("runtime"));
        assertThat(transitions).contains("1:RE", "1:EA", "1:AQ");
        assertThat(writes.parameterSets).extracting(s -> s.type()).containsExactly('A');
        assertThat(writes.parameterSets.get(0).maxRuntimeSeconds()).as("100 s grown by the default 0.5").isEqualTo(150);
        assertThat(writes.errors.get(0).description()).contains("ran out of runtime").contains("resources adjusted for the retry");
    }

    @Test
    void failFastStopsSchedulingAtTheFirstFatalTask() {
        AttemptOutcomes o = outcomes(true, 1, 3);
        Attempt first = running(0);
        o.exited(first, ExitInfo.failed(1, "", "exited 1"));
        assertThat(o.schedulingStopped()).isTrue();
        assertThat(o.stopReason()).contains("fail_fast");
        assertThat(state.hasReady()).as("queued tasks are not started").isFalse();
    }

    @Test
    void aLateReportAboutAFinalTaskMovesNothing() {
        AttemptOutcomes o = outcomes(false, 3, 1);
        Attempt a = running(0);
        Attempt late = new Attempt(0, 5);
        late.status = 'R';
        active.put(late.id, late);
        o.exited(a, ExitInfo.done("node1", 1.0));
        assertThat(state.status(0)).isEqualTo('D');
        o.exited(late, ExitInfo.failed(9, "", "exited 9"));
        assertThat(state.status(0)).as("a DONE task stays DONE").isEqualTo('D');
        assertThat(writes.errors).hasSize(1);
    }
}

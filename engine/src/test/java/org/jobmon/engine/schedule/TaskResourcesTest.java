package org.jobmon.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.JobmonException;
import org.jobmon.api.Resources;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.engine.resources.ResourceResolver;
import org.jobmon.engine.resources.ResourceScaler;
import org.jobmon.engine.store.CycleWrites;
import org.junit.jupiter.api.Test;

/** A task's resources per attempt: resolved when ready, validated once, scaled after a kill, each change a new set. */
class TaskResourcesTest {
    private final CycleWrites writes = new CycleWrites();
    private final AtomicLong ids = new AtomicLong(500);
    private final Tool tool = Tool.create("resources");
    private final TaskTemplate t = tool.getTaskTemplate("t", "echo {n}", List.of("n"), List.of(), List.of());

    private TaskResources of(Workflow wf, Resources[] requested, java.util.function.UnaryOperator<Resources> validator) {
        ResourceResolver resolver = new ResourceResolver(wf);
        return new TaskResources(wf.tasks(), new long[] {7}, new long[] {3}, requested, resolver, new ResourceScaler(List.of()),
                validator, "multiprocess", ids::incrementAndGet, () -> writes);
    }

    @Test
    void aValidatedSetIsStoredOnceAndAKillScalesTheResourceThatRanOut() {
        Task task = t.createTask().arg("n", 1).executorParameters(ExecutorParameters.builder().mMemFree("1G").build()).build();
        Workflow wf = tool.createWorkflow("w").addTask(task);
        Resources requested = new ResourceResolver(wf).staticResources(task);
        TaskResources r = of(wf, new Resources[] {requested}, res -> res);

        assertThat(r.forNextAttempt(0)).isEqualTo(requested);
        assertThat(r.parameterSet(0)).isEqualTo(501);
        assertThat(r.forNextAttempt(0)).as("validated once").isEqualTo(requested);
        assertThat(writes.parameterSets).hasSize(1);
        assertThat(writes.parameterSets.get(0).type()).isEqualTo('V');

        String what = r.scaleAfterKill(0, Optional.of("memory"));
        assertThat(what).isNotBlank();
        assertThat(r.parameterSet(0)).isEqualTo(502);
        assertThat(writes.parameterSets.get(1).type()).isEqualTo('A');
        Resources scaled = r.forNextAttempt(0);
        assertThat(scaled.memoryMib()).as("1 GiB grown by the default scale 0.5").isEqualTo(1536);
        assertThat(writes.parameterSets).as("an ADJUSTED set the queue accepts runs as it is").hasSize(2);
    }

    @Test
    void aResourceFunctionIsCalledWhenTheTaskIsReadyAndItsFailureIsTheTasksError() {
        Task task = t.createTask().arg("n", 2).executorParameters(x -> {
            throw new IllegalStateException("no upstream output yet");
        }).build();
        Workflow wf = tool.createWorkflow("w").addTask(task);
        TaskResources r = of(wf, new Resources[] {null}, res -> res);
        assertThatThrownBy(() -> r.forNextAttempt(0)).isInstanceOf(JobmonException.class).hasMessageContaining("no upstream output yet");
        assertThat(r.parameterSet(0)).as("the set it had").isEqualTo(3);
    }
}

package org.jobmon.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.Resources;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.jobmon.engine.resources.ResourceResolver;
import org.jobmon.engine.resources.ResourceScaler;
import org.jobmon.engine.store.CycleWrites;
import org.jobmon.persistence.dao.IdBlocks;
import org.junit.jupiter.api.Test;

/** Ready tasks become attempts written before they are submitted, within the limit; unsatisfiable ones fail without running. */
class SubmitterTest {
    private final CycleWrites writes = new CycleWrites();
    private final Map<Long, Attempt> active = new HashMap<>();
    private final List<List<InstanceRequest>> submitted = new ArrayList<>();
    private RunState state;
    private java.util.function.Function<List<InstanceRequest>, List<Submission>> answer =
            batch -> batch.stream().map(b -> Submission.accepted(b.taskInstanceId(), "x" + b.taskInstanceId())).toList();
    private int flushes;
    /** What the fake executor says its free slots are; empty: it queues what it is given (a batch scheduler). */
    private java.util.OptionalInt freeSlots = java.util.OptionalInt.empty();

    private Submitter submitter(int tasks, int refuseTask) {
        Tool tool = Tool.create("submitter");
        TaskTemplate t = tool.getTaskTemplate("t", "echo {n}", List.of("n"), List.of(), List.of());
        Workflow wf = tool.createWorkflow("w").setExecutor(ExecutorSettings.of("fake"));
        for (int i = 0; i < tasks; i++) {
            wf.addTask(t.createTask().arg("n", i).maxAttempts(1)
                    .executorParameters(ExecutorParameters.builder().numCores(i == refuseTask ? 64 : 1).build()).build());
        }
        List<Task> list = wf.tasks();
        long[] ids = new long[tasks];
        Resources[] resources = new Resources[tasks];
        ResourceResolver resolver = new ResourceResolver(wf);
        for (int i = 0; i < tasks; i++) {
            ids[i] = 10 + i;
            resources[i] = resolver.staticResources(list.get(i));
        }
        char[] status = new char[tasks];
        java.util.Arrays.fill(status, 'G');
        state = new RunState(list, ids, status, new int[tasks], (id, p, n, a) -> { });
        CycleCommitterTest.FakeStore store = new CycleCommitterTest.FakeStore();
        IdPool instanceIds = new IdPool(store, IdBlocks.TASK_INSTANCE, 64);
        IdPool setIds = new IdPool(store, IdBlocks.EXECUTOR_PARAMETER_SET, 64);
        instanceIds.topUp();
        setIds.topUp();
        TaskResources r = new TaskResources(list, ids, new long[tasks], resources, resolver, new ResourceScaler(List.of()), x -> {
            if (x.numCores() > 2) {
                throw new JobmonException(JobmonException.ErrorCode.RESOURCES_UNSATISFIABLE, "num_cores " + x.numCores()
                        + " is more than this machine has (2)");
            }
            return x;
        }, "fake", setIds::next, () -> writes);
        AttemptOutcomes outcomes = new AttemptOutcomes(state, list, r, active, () -> writes, false);
        Executor executor = new Executor() {
            @Override
            public List<Submission> submit(List<InstanceRequest> batch) {
                submitted.add(List.copyOf(batch));
                return answer.apply(batch);
            }

            @Override
            public Map<String, JobState> poll(java.util.Collection<String> executorIds) {
                return Map.of();
            }

            @Override
            public void terminate(java.util.Collection<String> executorIds) {
            }

            @Override
            public ExitInfo exitInfo(String executorId) {
                return ExitInfo.lost("unknown");
            }

            @Override
            public java.util.OptionalInt freeSlots() {
                return freeSlots;
            }

            @Override
            public int slotsNeeded(Resources resources) {
                return resources.numCores();
            }
        };
        state.releaseRoots();
        return new Submitter(list, state, r, outcomes, active, instanceIds, setIds, () -> writes, executor, "fake",
                wf.executor(), Path.of("runs"), 1, 2);
    }

    @Test
    void attemptsAreWrittenWithinTheLimitAndSubmittedInBatches() {
        Submitter s = submitter(5, -1);
        List<InstanceRequest> launch = s.schedule(3);
        assertThat(launch).hasSize(3);
        assertThat(writes.newInstances).hasSize(3);
        assertThat(active).hasSize(3);
        assertThat(s.schedule(3)).as("the limit counts live attempts").isEmpty();
        s.submit(launch, this::flush);
        assertThat(submitted).extracting(List::size).containsExactly(2, 1);
        assertThat(flushes).as("executor ids are committed after each batch, before the next goes out").isEqualTo(2);
        assertThat(writes.submitted).hasSize(3);
        assertThat(active.values()).allSatisfy(a -> assertThat(a.executorId).startsWith("x"));
    }

    @Test
    void anExecutorThatTellsItsFreeSlotsGetsOnlyAShortQueueAheadOfThemAndTheRestWaitsHereInOrder() {
        Submitter s = submitter(40, -1);
        freeSlots = java.util.OptionalInt.of(2);
        // its free slots and 16 ahead (at least 16, or twice its size)
        assertThat(s.schedule(100)).hasSize(18).extracting(InstanceRequest::taskId).startsWith(10L, 11L);
        assertThat(s.schedule(100, 18)).as("written but not yet handed: they fill the room").isEmpty();
        freeSlots = java.util.OptionalInt.of(2 - 16); // 2 free, 16 waiting in its queue
        assertThat(s.executorHasRoom(0)).isTrue();
        assertThat(s.schedule(100)).extracting(InstanceRequest::taskId).containsExactly(28L, 29L);
        freeSlots = java.util.OptionalInt.of(-16);
        assertThat(s.executorHasRoom(0)).isFalse();
        assertThat(s.schedule(100)).isEmpty();
        freeSlots = java.util.OptionalInt.of(2);
        assertThat(s.schedule(20)).as("the limit counts every live attempt").isEmpty();
        assertThat(s.schedule(22)).extracting(InstanceRequest::taskId).containsExactly(30L, 31L);
    }

    @Test
    void aTaskWhoseResourcesCannotBeHadFailsWithoutRunningAndNamesWhy() {
        Submitter s = submitter(2, 0);
        List<InstanceRequest> launch = s.schedule(10);
        assertThat(launch).extracting(InstanceRequest::taskId).containsExactly(11L);
        assertThat(state.status(0)).isEqualTo('F');
        assertThat(writes.errors).singleElement().satisfies(e -> assertThat(e.description()).contains("num_cores 64"));
    }

    private boolean flush() {
        flushes++;
        return true;
    }

    @Test
    void aRefusalForNowKeepsTheAttemptAndSubmitsItAgainAfterABackoffWithoutCountingAnAttempt() throws Exception {
        Submitter s = submitter(3, -1);
        List<InstanceRequest> launch = s.schedule(10);
        answer = batch -> batch.stream().map(b -> Submission.retryLater(b.taskInstanceId(), "qmaster unreachable")).toList();
        s.submit(launch, this::flush);
        assertThat(submitted).extracting(List::size).as("the second batch waits for the backoff").containsExactly(2);
        assertThat(writes.submitted).isEmpty();
        assertThat(writes.ended).as("no attempt ended").isEmpty();
        assertThat(s.retryAt()).isGreaterThan(System.nanoTime());
        s.resubmitDue(this::flush);
        assertThat(submitted).as("nothing is submitted before the backoff has passed").hasSize(1);

        answer = batch -> batch.stream().map(b -> Submission.accepted(b.taskInstanceId(), "x" + b.taskInstanceId())).toList();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < s.retryAt() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        s.resubmitDue(this::flush);
        assertThat(writes.submitted).extracting(w -> w.id()).containsExactlyInAnyOrder(
                launch.stream().map(InstanceRequest::taskInstanceId).toArray(Long[]::new));
        assertThat(active.values()).allSatisfy(a -> assertThat(a.status).isEqualTo('B'));
        for (int i = 0; i < 3; i++) {
            assertThat(state.attempts(i)).as("one attempt per task").isEqualTo(1);
        }
        assertThat(s.retryAt()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aRequestTheExecutorGaveNoAnswerForCountsAsRefusedNotLostForever() {
        Submitter s = submitter(2, -1);
        List<InstanceRequest> launch = s.schedule(10);
        answer = batch -> List.of(Submission.accepted(batch.get(0).taskInstanceId(), "x1"));
        s.submit(launch, this::flush);
        assertThat(active).hasSize(1);
        assertThat(writes.ended).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo('W'));
        assertThat(writes.errors).singleElement().satisfies(e -> assertThat(e.description()).contains("no answer"));
    }

    @Test
    void aLostLeaseStopsTheNextBatch() {
        Submitter s = submitter(5, -1);
        List<InstanceRequest> launch = s.schedule(5);
        s.submit(launch, () -> false);
        assertThat(submitted).hasSize(1);
    }
}

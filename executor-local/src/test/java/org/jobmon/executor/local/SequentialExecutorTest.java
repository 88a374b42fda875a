package org.jobmon.executor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceRequest;
import org.junit.jupiter.api.Test;

class SequentialExecutorTest extends LocalExecutorContract {
    @Override
    protected Executor newExecutor(ExecutorContext context) {
        return new SequentialExecutor(context);
    }

    @Override
    protected String executorName() {
        return ExecutorNames.SEQUENTIAL;
    }

    @Test
    void runsOneAtATimeInSubmissionOrder() throws Exception {
        Path marks = tmp.resolve("marks.txt");
        List<InstanceRequest> requests = new ArrayList<>();
        for (long ti = 1; ti <= 4; ti++) {
            requests.add(request(ti, "echo start " + ti + " >> '" + marks + "'; sleep 0.1; echo end " + ti
                    + " >> '" + marks + "'"));
        }
        executor().submit(requests);

        List<InstanceEvent.Exited> exited = sink.awaitExited(4, WAIT);
        assertThat(exited).allSatisfy(x -> assertThat(x.exit().kind()).isEqualTo(ExitKind.DONE));
        assertThat(read(marks).lines()).containsExactly(
                "start 1", "end 1", "start 2", "end 2", "start 3", "end 3", "start 4", "end 4");
        List<String> order = sink.events().stream()
                .map(e -> (e instanceof InstanceEvent.Started ? "S" : "E") + e.taskInstanceId()).toList();
        assertThat(order).containsExactly("S1", "E1", "S2", "E2", "S3", "E3", "S4", "E4");
    }

    @Test
    void queuedInstancesArePolledAsQueuedAndTerminatingThemDropsThem() throws Exception {
        List<String> ids = submit(request(1, "exec sleep 60"), request(2, "true"), request(3, "true"));
        sink.awaitStarted(1L, WAIT);
        assertThat(executor().poll(ids)).containsEntry(ids.get(0), JobState.RUNNING)
                .containsEntry(ids.get(1), JobState.QUEUED).containsEntry(ids.get(2), JobState.QUEUED);

        executor().terminate(List.of(ids.get(1)));
        InstanceEvent.Exited dropped = sink.awaitExited(2L, WAIT);
        assertThat(dropped.exit().kind()).isEqualTo(ExitKind.KILLED);
        assertThat(executor().poll(ids)).containsOnlyKeys(ids.get(0), ids.get(2));

        executor().terminate(List.of(ids.get(0)));
        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.KILLED);
        assertThat(sink.awaitExited(3L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
        assertThat(sink.events()).noneMatch(e -> e instanceof InstanceEvent.Started && e.taskInstanceId() == 2);
        assertThat(executor().poll(ids)).isEmpty();
    }

    @Test
    void aSecondSubmissionOfARunningInstanceIsRefused() throws Exception {
        List<String> ids = submit(request(1, "exec sleep 60"));
        assertThat(executor().submit(List.of(request(1, "true"))).get(0).error()).isPresent();
        executor().terminate(ids);
        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.KILLED);
    }

    @Test
    void aWorkerHitByAnErrorAtLaunchGivesTheSlotBackEndsTheInstanceAndKeepsServing() throws Exception {
        // What ProcessBuilder.start throws when the JVM cannot create the process reaper's thread.
        String noThread = "unable to create native thread: possibly out of memory or process/resource limits reached";
        SlotQueueExecutor executor = new SlotQueueExecutor(context(ExecutorSettings.of(executorName()), CONFIG),
                executorName(), 1) {
            @Override
            protected int slotsFor(Resources resources) {
                return 1;
            }

            @Override
            Process launch(InstanceRequest request) throws IOException {
                if (request.taskInstanceId() == 1) {
                    throw new OutOfMemoryError(noThread);
                }
                return super.launch(request);
            }
        };
        try {
            String failedId = executor.submit(List.of(request(1, "true"), request(2, "true"))).get(0).executorId().orElseThrow();

            InstanceEvent.Exited failed = sink.awaitExited(1L, WAIT);
            assertThat(failed.exit().kind()).isEqualTo(ExitKind.UNKNOWN);
            assertThat(failed.exit().message()).contains(noThread);
            // the one slot was given back: the next instance runs, and so does a later submission
            assertThat(sink.awaitExited(2L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
            executor.submit(List.of(request(3, "true")));
            assertThat(sink.awaitExited(3L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
            assertThat(executor.poll(List.of(failedId))).isEmpty();
            assertThat(executor.exitInfo(failedId)).isEqualTo(failed.exit());
        } finally {
            executor.close();
        }
    }

    @Test
    void serviceLoaderFindsTheSequentialFactory() {
        assertThat(ServiceLoader.load(ExecutorFactory.class).stream().map(p -> p.get().name()))
                .contains(ExecutorNames.SEQUENTIAL);
    }
}

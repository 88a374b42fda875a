package org.jobmon.api.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.jobmon.api.ExecutorSettings;
import org.junit.jupiter.api.Test;

/** Poll and exitInfo come from the reported events; one end per instance, whoever reports it first. */
class EventReportingExecutorTest {
    private final List<InstanceEvent> sent = new CopyOnWriteArrayList<>();

    /** Accepts everything; the test plays the platform. */
    private final class Plugin extends EventReportingExecutor {
        Plugin() {
            super(new ExecutorContext(Path.of("."), ExecutorSettings.of("test"), sent::add, Map.of()));
        }

        @Override
        public List<Submission> submit(List<InstanceRequest> batch) {
            List<Submission> out = new ArrayList<>();
            for (InstanceRequest r : batch) {
                queued("job-" + r.taskInstanceId());
                out.add(Submission.accepted(r.taskInstanceId(), "job-" + r.taskInstanceId()));
            }
            return out;
        }

        @Override
        public void terminate(Collection<String> executorIds) {
            for (String id : executorIds) {
                exited(Long.parseLong(id.substring(4)), id, ExitInfo.killed("terminated"));
            }
        }
    }

    @Test
    void pollAndExitInfoFollowWhatWasReported() {
        Plugin p = new Plugin();
        p.queued("job-1");
        p.queued("job-2");
        assertThat(p.poll(List.of("job-1", "job-2", "job-9"))).isEqualTo(Map.of("job-1", JobState.QUEUED, "job-2", JobState.QUEUED));
        assertThat(p.started(1, "job-1", "node1", OptionalLong.of(42))).isTrue();
        assertThat(p.poll(List.of("job-1"))).isEqualTo(Map.of("job-1", JobState.RUNNING));
        assertThat(p.exitInfo("job-1").message()).contains("has not ended yet");

        ExitInfo done = ExitInfo.done("node1", 2.0);
        assertThat(p.exited(1, "job-1", done)).isTrue();
        assertThat(p.poll(List.of("job-1"))).isEmpty();
        assertThat(p.exitInfo("job-1")).isEqualTo(done);
        assertThat(p.exitInfo("job-9").kind()).isEqualTo(ExitInfo.ExitKind.LOST);
        assertThat(p.reportsEvents()).isTrue();
        assertThat(sent).hasSize(2);
    }

    @Test
    void aTerminateRacingTheInstancesOwnEndGivesExactlyOneEnd() throws Exception {
        Plugin p = new Plugin();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 500; i++) {
                String id = "job-" + i;
                long ti = i;
                p.queued(id);
                CountDownLatch go = new CountDownLatch(1);
                Future<?> own = threads.submit(() -> {
                    go.await();
                    return p.exited(ti, id, ExitInfo.failed(1, ""));
                });
                Future<?> kill = threads.submit(() -> {
                    go.await();
                    p.terminate(List.of(id));
                    return null;
                });
                go.countDown();
                own.get();
                kill.get();
                // a start reported late, after the end, is dropped
                assertThat(p.started(ti, id, "node1", OptionalLong.empty())).isFalse();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(sent).hasSize(500).allMatch(e -> e instanceof InstanceEvent.Exited);
        assertThat(sent.stream().map(InstanceEvent::taskInstanceId).distinct().count()).isEqualTo(500);
    }
}

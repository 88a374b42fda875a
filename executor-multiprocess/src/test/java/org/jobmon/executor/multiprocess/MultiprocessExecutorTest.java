package org.jobmon.executor.multiprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.executor.local.LocalExecutorContract;
import org.junit.jupiter.api.Test;

class MultiprocessExecutorTest extends LocalExecutorContract {
    private static final int SLOTS = 2;

    @Override
    protected Executor newExecutor(ExecutorContext context) {
        return new MultiprocessExecutor(context);
    }

    @Override
    protected String executorName() {
        return ExecutorNames.MULTIPROCESS;
    }

    /** The contract runs with 2 slots, whatever this machine has. */
    @Override
    protected ExecutorContext context(ExecutorSettings settings, Map<String, String> config) {
        return super.context(settings.withExtra(Map.of(MultiprocessExecutor.SLOTS_SETTING, "" + SLOTS)), config);
    }

    /** A command that records when it ran, in nanoseconds, as "start end" in {@code file}. */
    private static String timed(Path file, String seconds) {
        return "s=$(date +%s%N); sleep " + seconds + "; echo \"$s $(date +%s%N)\" > '" + file + "'";
    }

    private record Interval(long start, long end) {
        boolean overlaps(Interval o) {
            return start < o.end && o.start < end;
        }
    }

    private static Interval interval(Path file) throws Exception {
        String[] parts = Files.readString(file).strip().split(" ");
        return new Interval(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
    }

    /** The most intervals that overlap at one instant. */
    private static int maxConcurrency(List<Interval> intervals) {
        int max = 0;
        for (Interval at : intervals) {
            int running = 0;
            for (Interval other : intervals) {
                if (other.start <= at.start && at.start < other.end) {
                    running++;
                }
            }
            max = Math.max(max, running);
        }
        return max;
    }

    @Test
    void runsAsManyAsTheSlotsAtOnceAndNoMore() throws Exception {
        List<InstanceRequest> requests = new ArrayList<>();
        for (long ti = 1; ti <= 4; ti++) {
            requests.add(request(ti, timed(tmp.resolve("t" + ti), "0.4")));
        }
        executor().submit(requests);

        assertThat(sink.awaitExited(4, WAIT)).allSatisfy(x -> assertThat(x.exit().kind()).isEqualTo(ExitKind.DONE));
        List<Interval> intervals = new ArrayList<>();
        for (long ti = 1; ti <= 4; ti++) {
            intervals.add(interval(tmp.resolve("t" + ti)));
        }
        assertThat(maxConcurrency(intervals)).isEqualTo(SLOTS);
        assertThat(intervals.get(0).overlaps(intervals.get(1))).as("the first two run together").isTrue();
    }

    @Test
    void aTwoCoreInstanceHoldsBothSlotsAndIsNotOvertaken() throws Exception {
        Path small1 = tmp.resolve("small1");
        Path big = tmp.resolve("big");
        Path small2 = tmp.resolve("small2");
        executor().submit(List.of(
                request(1, timed(small1, "0.3"), resources(1)),
                request(2, timed(big, "0.3"), resources(2)),
                request(3, timed(small2, "0.3"), resources(1))));

        assertThat(sink.awaitExited(3, WAIT)).allSatisfy(x -> assertThat(x.exit().kind()).isEqualTo(ExitKind.DONE));
        Interval first = interval(small1);
        Interval twoCores = interval(big);
        Interval last = interval(small2);
        assertThat(twoCores.overlaps(first)).isFalse();
        assertThat(twoCores.overlaps(last)).isFalse();
        assertThat(last.start).as("the 1-core instance behind the 2-core one waits for it").isGreaterThan(twoCores.end);
        List<Long> startOrder = sink.events().stream().filter(InstanceEvent.Started.class::isInstance)
                .map(InstanceEvent::taskInstanceId).toList();
        assertThat(startOrder).containsExactly(1L, 2L, 3L);
    }

    @Test
    void validateCapsCoresAtTheSlots() {
        Executor executor = executor();
        assertThat(executor.validate(resources(8)).numCores()).isEqualTo(SLOTS);
        Resources one = resources(1);
        assertThat(executor.validate(one)).isSameAs(one);
        assertThatThrownBy(() -> executor.validate(resources(0)))
                .isInstanceOfSatisfying(JobmonException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_RESOURCES));
    }

    @Test
    void anUnvalidatedBigRequestStillRuns() throws Exception {
        submit(request(1, "true", resources(64)));
        assertThat(sink.awaitExited(1L, WAIT).exit().kind()).isEqualTo(ExitKind.DONE);
    }

    @Test
    void slotsComeFromTheSettingThenTheEngineConfigThenTheProcessors() {
        ExecutorSettings plain = ExecutorSettings.of(ExecutorNames.MULTIPROCESS);
        Map<String, String> config = Map.of(MultiprocessExecutor.SLOTS_CONFIG, "5");
        try (MultiprocessExecutor fromSetting = new MultiprocessExecutor(super.context(
                plain.withExtra(Map.of("slots", " 3 ")), config));
                MultiprocessExecutor fromConfig = new MultiprocessExecutor(super.context(plain, config));
                MultiprocessExecutor byDefault = new MultiprocessExecutor(super.context(plain, Map.of()))) {
            assertThat(fromSetting.slots()).isEqualTo(3);
            assertThat(fromConfig.slots()).isEqualTo(5);
            assertThat(byDefault.slots()).isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void aBadSlotsValueIsAnInvalidArgumentNamingIt() {
        ExecutorSettings plain = ExecutorSettings.of(ExecutorNames.MULTIPROCESS);
        for (String bad : List.of("zero", "0", "-2", "")) {
            ExecutorContext context = super.context(plain.withExtra(Map.of("slots", bad)), Map.of());
            assertThatThrownBy(() -> new MultiprocessExecutor(context))
                    .isInstanceOfSatisfying(JobmonException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                        assertThat(e.getMessage()).contains("'slots'").contains("'" + bad + "'");
                    });
        }
        assertThatThrownBy(() -> new MultiprocessExecutor(super.context(plain, Map.of("multiprocess.slots", "many"))))
                .isInstanceOfSatisfying(JobmonException.class,
                        e -> assertThat(e.getMessage()).contains("multiprocess.slots").contains("'many'"));
    }

    @Test
    void serviceLoaderFindsBothFactoriesByName() {
        Map<String, ExecutorFactory> byName = new java.util.HashMap<>();
        ServiceLoader.load(ExecutorFactory.class).forEach(f -> byName.put(f.name(), f));

        assertThat(byName).containsKeys(ExecutorNames.SEQUENTIAL, ExecutorNames.MULTIPROCESS);
        assertThat(byName.get(ExecutorNames.MULTIPROCESS)).isInstanceOf(MultiprocessExecutorFactory.class);
        try (Executor executor = byName.get(ExecutorNames.MULTIPROCESS).create(context(
                ExecutorSettings.of(ExecutorNames.MULTIPROCESS), Map.of()))) {
            assertThat(executor).isInstanceOf(MultiprocessExecutor.class);
            assertThat(((MultiprocessExecutor) executor).slots()).isEqualTo(SLOTS);
        }
    }
}

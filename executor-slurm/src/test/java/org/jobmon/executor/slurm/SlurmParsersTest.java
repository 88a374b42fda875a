package org.jobmon.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.jobmon.api.JobmonException;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.Executor.InstanceState;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.JobState;
import org.jobmon.executor.batch.BatchExecutor.Ended;
import org.junit.jupiter.api.Test;

/** squeue, sacct and sinfo output captured from a real Slurm cluster (see the README beside the files), and the rules on them. */
class SlurmParsersTest {
    private static final Path LOGS = Path.of("/runs/1/slurm-logs");
    private static final Resources ASKED = new Resources(1, 50, 90, Optional.empty(), Map.of(), Map.of(), false);

    private static String text(String name) throws IOException {
        try (InputStream in = SlurmParsersTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, JobState> states() throws IOException {
        Map<String, JobState> states = new java.util.HashMap<>();
        for (Squeue.Listed l : Squeue.parse(text("squeue-all-states.txt"))) {
            if (!l.ended()) {
                states.put(l.executorId(), Squeue.state(l));
            }
        }
        return states;
    }

    @Test
    void squeueListsEachArrayMemberAndTellsRunningQueuedHeldAndPendingForeverApart() throws IOException {
        List<Squeue.Listed> listed = Squeue.parse(text("squeue-all-states.txt"));
        assertThat(listed).extracting(Squeue.Listed::executorId).contains("14_1", "14_4", "6", "13");
        assertThat(listed).filteredOn(Squeue.Listed::ended).extracting(Squeue.Listed::executorId).containsExactlyInAnyOrder("7", "8", "9", "10");

        Map<String, JobState> states = states();
        assertThat(states.get("6")).isEqualTo(JobState.RUNNING);
        assertThat(states.get("14_3")).as("waiting for resources clears by itself").isEqualTo(JobState.QUEUED);
        assertThat(states.get("11").state()).isEqualTo(InstanceState.HELD);
        assertThat(states.get("11").reason()).contains("JobHeldUser").contains("scontrol release 11");
        assertThat(states.get("12").state()).as("over MaxTime pends forever").isEqualTo(InstanceState.HELD);
        assertThat(states.get("12").reason()).contains("PartitionTimeLimit").contains("MaxTime");
    }

    private static Optional<ExitInfo> classify(String id, Optional<InstanceRecords.Exited> exit, Duration waited) throws IOException {
        Map<String, Sacct.Record> records = Sacct.parse(text("sacct-kills.txt"));
        records.putAll(Sacct.parse(text("sacct-array-and-cancel.txt")));
        records.putAll(Sacct.parse(text("sacct-timeout.txt")));
        return SlurmExits.classify(new Ended<>(exit, Optional.ofNullable(records.get(id)), Optional.empty(), OptionalDouble.empty(),
                "the tail"), Optional.of(ASKED), "the folder " + LOGS, waited);
    }

    private static ExitInfo classify(String id) throws IOException {
        return classify(id, Optional.empty(), Duration.ZERO).orElseThrow();
    }

    private static Optional<InstanceRecords.Exited> exited(int code) {
        return Optional.of(new InstanceRecords.Exited(1, code, Instant.now(), false));
    }

    @Test
    void sacctFoldsTheBatchStepsPeakRssIntoItsJobAndReadsCodeAndSignal() throws IOException {
        Map<String, Sacct.Record> r = Sacct.parse(text("sacct-array-and-cancel.txt"));
        assertThat(r).containsKeys("2_1", "2_2", "2_3", "3", "6").doesNotContainKey("2_1.batch");
        assertThat(r.get("2_1").maxRssBytes()).hasValue(3220L * 1024);
        assertThat(r.get("2_1").exitCode()).hasValue(1);
        assertThat(r.get("3").state()).as("'CANCELLED by 0'").isEqualTo("CANCELLED");
        assertThat(r.get("2_2").elapsedSeconds()).hasValue(4.0);
        assertThat(r.get("2_2").node()).isEqualTo("vm");
    }

    @Test
    void eachEndingIsClassifiedAsTheReferenceTableSays() throws IOException {
        ExitInfo timeout = classify("6");
        assertThat(timeout.kind()).isEqualTo(ExitKind.RESOURCE_ERROR);
        assertThat(timeout.resource()).hasValue(ExitInfo.RUNTIME);
        assertThat(timeout.message()).contains("TIMEOUT").contains("--time=2 min for max_runtime_seconds 90").contains("whole minutes");

        ExitInfo oom = classify("7");
        assertThat(oom.kind()).isEqualTo(ExitKind.RESOURCE_ERROR);
        assertThat(oom.resource()).hasValue(ExitInfo.MEMORY);
        assertThat(oom.message()).contains("OUT_OF_MEMORY").contains("--mem=50M");

        ExitInfo exit42 = classify("8");
        assertThat(exit42.kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(exit42.exitCode()).hasValue(42);
        assertThat(exit42.hostname()).hasValue("vm");

        ExitInfo killed = classify("9");
        assertThat(killed.kind()).isEqualTo(ExitKind.KILLED);
        assertThat(killed.message()).contains("signal 9").contains("not for its memory or runtime");

        ExitInfo output = classify("10");
        assertThat(output.kind()).isEqualTo(ExitKind.UNKNOWN);
        assertThat(output.message()).contains(LOGS.toString()).contains("0:53").contains("writable");

        for (String cancelled : List.of("12", "13", "3")) {
            ExitInfo c = classify(cancelled);
            assertThat(c.kind()).as(cancelled).isEqualTo(ExitKind.KILLED);
            assertThat(c.resource()).isEmpty();
            assertThat(c.message()).contains("cancelled");
        }
        assertThat(classify("2_2").kind()).as("COMPLETED before its exit record appeared").isEqualTo(ExitKind.DONE);
    }

    @Test
    void theExitRecordDecidesExit0AndKillOrdersButSlurmsStateDecidesKillsAndANonZeroWaitsForAccounting() throws IOException {
        assertThat(classify("nothing", exited(0), Duration.ZERO).orElseThrow().kind()).isEqualTo(ExitKind.DONE);
        assertThat(classify("nothing", Optional.of(new InstanceRecords.Exited(1, 137, Instant.now(), true)), Duration.ZERO).orElseThrow()
                .message()).contains("kill order");
        assertThat(classify("7", exited(137), Duration.ZERO).orElseThrow().resource()).as("the command was OOM-killed: exit 137 "
                + "in the record, OUT_OF_MEMORY in Slurm's").hasValue(ExitInfo.MEMORY);
        assertThat(classify("6", exited(143), Duration.ZERO).orElseThrow().resource()).hasValue(ExitInfo.RUNTIME);
        ExitInfo failed = classify("8", exited(42), Duration.ZERO).orElseThrow();
        assertThat(failed.kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(failed.stderrTail()).isEqualTo("the tail");

        assertThat(classify("unknown", exited(3), Duration.ofSeconds(5))).as("a non-zero exit waits for Slurm's record").isEmpty();
        ExitInfo alone = classify("unknown", exited(3), SlurmExits.ACCOUNTING_GRACE).orElseThrow();
        assertThat(alone.kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(alone.exitCode()).hasValue(3);
        assertThat(classify("unknown", Optional.empty(), Duration.ofHours(1))).as("nothing known yet").isEmpty();
        assertThat(SlurmExits.classify(new Ended<>(Optional.empty(), Optional.of(Sacct.Record.ofState("5", "OUT_OF_MEMORY")),
                Optional.empty(), OptionalDouble.empty(), ""), Optional.empty(), "the folder " + LOGS, Duration.ZERO).orElseThrow().resource())
                .as("squeue's last state when Slurm keeps no accounting").hasValue(ExitInfo.MEMORY);
    }

    /** A job gone from squeue can still be RUNNING or COMPLETING in sacct for a few seconds: that is not an ending. */
    @Test
    void anAccountingRecordThatHasNotCaughtUpWaitsInsteadOfCallingTheEndingUnknown() {
        for (String lagging : List.of("PENDING", "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED", "REQUEUED")) {
            assertThat(lag(lagging, Optional.empty(), Duration.ZERO)).as(lagging + " in sacct, no exit record yet").isEmpty();
            assertThat(lag(lagging, exited(137), Duration.ofSeconds(5))).as(lagging + ", an exit 137 waits for the real state").isEmpty();
            ExitInfo alone = lag(lagging, exited(3), SlurmExits.ACCOUNTING_GRACE).orElseThrow();
            assertThat(alone.kind()).as("after the grace the exit record is believed alone").isEqualTo(ExitKind.APPLICATION_ERROR);
            assertThat(alone.exitCode()).hasValue(3);
            assertThat(lag(lagging, exited(0), Duration.ZERO).orElseThrow().kind()).isEqualTo(ExitKind.DONE);
        }
        assertThat(lag("RUNNING", Optional.empty(), Duration.ofHours(1))).as("nothing known yet, however long").isEmpty();
    }

    private static Optional<ExitInfo> lag(String state, Optional<InstanceRecords.Exited> exit, Duration waited) {
        return SlurmExits.classify(new Ended<>(exit, Optional.of(Sacct.Record.ofState("5", state)), Optional.empty(), OptionalDouble.empty(),
                ""), Optional.of(ASKED), "the folder " + LOGS, waited);
    }

    /** squeue saw the job end (OUT_OF_MEMORY) while sacct still has it RUNNING: the ended state is the one to use. */
    @Test
    void squeuesEndedStateWinsOverASacctRecordThatHasNotCaughtUp() {
        Sacct.Record lagging = new Sacct.Record("5", "RUNNING", java.util.OptionalInt.of(0), java.util.OptionalInt.of(0),
                OptionalDouble.of(1), java.util.OptionalLong.of(1L << 20), "vm");
        Sacct.Record merged = SlurmExecutor.settled("5", lagging, "OUT_OF_MEMORY");
        assertThat(merged.state()).isEqualTo("OUT_OF_MEMORY");
        assertThat(merged.node()).isEqualTo("vm");
        assertThat(merged.exitCode()).as("RUNNING's 0:0 is not the ended job's exit code").isEmpty();
        assertThat(merged.signal()).isEmpty();
        assertThat(merged.maxRssBytes()).hasValue(1L << 20);
        Sacct.Record done = new Sacct.Record("5", "COMPLETED", java.util.OptionalInt.of(0), java.util.OptionalInt.of(0), OptionalDouble.of(1),
                java.util.OptionalLong.empty(), "vm");
        assertThat(SlurmExecutor.settled("5", done, "COMPLETING")).as("a settled sacct state is kept").isEqualTo(done);
        assertThat(SlurmExecutor.settled("5", null, "OUT_OF_MEMORY").state()).isEqualTo("OUT_OF_MEMORY");
    }

    @Test
    void partitionsAndTheirLimitsFromSinfoMoveARequestOrRefuseIt() throws IOException {
        SlurmPartitions p = SlurmPartitions.parse(text("sinfo-N.txt"));
        assertThat(p.defaultPartition()).hasValue("all.q");
        assertThat(p.partitions()).extracting(q -> q.name() + " " + q.maxRuntimeSeconds() + " " + q.maxCores() + " " + q.maxMemoryMib())
                .containsExactly("all.q 259200 2 23081", "long.q 1382400 2 23081");

        Resources fourDays = new Resources(1, 100, 4 * 86_400, Optional.empty(), Map.of(), Map.of(), false);
        assertThat(p.validate(fourDays).queue()).as("the default partition's MaxTime is 3 days").hasValue("long.q");
        assertThat(p.validate(fourDays.withQueue("all.q")).queue()).hasValue("long.q");
        assertThatThrownBy(() -> p.validate(new Resources(1, 100, 4 * 86_400, Optional.of("all.q"), Map.of(), Map.of(), true)))
                .isInstanceOf(JobmonException.class).hasMessageContaining("MaxTime").hasMessageContaining("hard_limits");
        assertThatThrownBy(() -> p.validate(new Resources(4, 100, 60, Optional.empty(), Map.of(), Map.of(), false)))
                .hasMessageContaining("num_cores 4").hasMessageContaining("no other queue allows it");
        assertThatThrownBy(() -> p.validate(new Resources(1, 100 * 1024, 60, Optional.empty(), Map.of(), Map.of(), false)))
                .hasMessageContaining("m_mem_free 102400 MiB");
        assertThatThrownBy(() -> p.validate(fourDays.withQueue("gpu.q"))).hasMessageContaining("'gpu.q' does not exist")
                .hasMessageContaining("all.q, long.q");
        Resources small = new Resources(2, 100, 60, Optional.empty(), Map.of(), Map.of(), false);
        assertThat(p.validate(small)).isSameAs(small);
    }

    @Test
    void timesSizesAndTheWholeMinutesSlurmCounts() {
        assertThat(SlurmTimes.minutes(10)).isEqualTo(1);
        assertThat(SlurmTimes.minutes(60)).isEqualTo(1);
        assertThat(SlurmTimes.minutes(61)).isEqualTo(2);
        assertThat(SlurmTimes.limitSeconds("3-00:00:00")).isEqualTo(259_200);
        assertThat(SlurmTimes.limitSeconds("infinite")).isEqualTo(Long.MAX_VALUE);
        assertThat(SlurmTimes.seconds("01:02")).hasValue(62);
        assertThat(SlurmTimes.seconds("1-02")).hasValue(93_600);
        assertThat(SlurmTimes.bytes("1.5M")).hasValue(1_572_864);
        assertThat(SlurmTimes.bytes("")).isEmpty();
    }

    @Test
    void settingsAreCheckedWithMessagesThatNameTheFix() {
        assertThatThrownBy(() -> SlurmSettings.from(Map.of("qsub_args", "-l h_rt=1"))).isInstanceOf(JobmonException.class)
                .hasMessageContaining("the slurm executor has no setting qsub_args").hasMessageContaining("sbatch_args");
        assertThatThrownBy(() -> SlurmSettings.from(Map.of("sbatch_args", "--comment='open"))).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> SlurmSettings.from(Map.of("max_array_size", "0"))).hasMessageContaining("max_array_size '0'");
        SlurmSettings s = SlurmSettings.from(Map.of("sbatch_args", "--qos=normal --comment='a b'", "run_root", "/shared/runs"));
        assertThat(s.sbatchArgs()).containsExactly("--qos=normal", "--comment=a b");
        assertThat(s.maxArraySize()).isEqualTo(1000);
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(10));
    }
}

package org.jobmon.executor.sge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
import org.jobmon.api.executor.QueueLimits;
import org.junit.jupiter.api.Test;

/** qstat, qacct and qconf output as a real cell printed it (see the README beside the files), and what Jobmon makes of it. */
class SgeParsersTest {
    private static String file(String name) throws IOException {
        try (InputStream in = SgeParsersTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static final Resources ASKED = new Resources(1, 200, 3, Optional.empty(), Map.of(), Map.of(), false);

    @Test
    void qstatXmlListsRunningPendingHeldErrorAndArrayMembersByExecutorId() throws IOException {
        Map<String, String> states = new java.util.HashMap<>();
        for (Qstat.Listed l : Qstat.parseXml(file("qstat-xml-all-states.xml"))) {
            states.put(l.executorId(), l.state());
        }
        assertThat(states).containsEntry("8", "Eqw").containsEntry("9", "hqw").containsEntry("10", "r").containsEntry("11.1", "r")
                .containsEntry("11.2", "qw").containsEntry("11.4", "qw").containsEntry("12", "qw").containsEntry("13.3", "qw");
        assertThat(states).doesNotContainKeys("11", "13", "11.5");
        assertThat(Qstat.state("Eqw")).isEqualTo(InstanceState.ERROR);
        assertThat(Qstat.state("hqw")).isEqualTo(InstanceState.HELD);
        assertThat(Qstat.state("r")).isEqualTo(InstanceState.RUNNING);
        assertThat(Qstat.state("dr")).isEqualTo(InstanceState.RUNNING);
        assertThat(Qstat.state("qw")).isEqualTo(InstanceState.QUEUED);
        assertThat(Qstat.state("hr")).as("a hold on a running job does not stop it").isEqualTo(InstanceState.RUNNING);
        assertThat(Qstat.state("Rq")).as("rescheduled, waiting").isEqualTo(InstanceState.QUEUED);
        assertThat(Qstat.taskIds("1-9:4,12")).containsExactly(1L, 5L, 9L, 12L);
    }

    @Test
    void theErrorReasonOfAnEqwJobComesFromQstatJ() throws IOException {
        assertThat(Qstat.errorReasons(file("qstat-j-eqw.txt"))).containsOnlyKeys("8").hasEntrySatisfying("8",
                r -> assertThat(r).startsWith("can't open output file \"/nonexistent/dir/x\""));
    }

    @Test
    void qacctRecordsCarryFailureExitWallclockAndPeakMemory() throws IOException {
        Qacct.Record vmem = Qacct.parse(file("qacct-over-h_vmem-two-processes.txt")).get(0);
        assertThat(vmem.failed()).isEqualTo(37);
        assertThat(vmem.failedText()).contains("h_vmem");
        assertThat(vmem.exitStatus()).isEqualTo(137);
        assertThat(vmem.maxvmemBytes().getAsLong()).isBetween(300L << 20, 310L << 20);
        assertThat(Qacct.parse(file("qacct-array-all-tasks.txt"))).extracting(Qacct.Record::executorId).startsWith("20.1", "20.2", "20.3");
        assertThat(Qacct.parse(file("qacct-many-name-pattern.txt"))).hasSize(2);
        assertThat(Qacct.bytes("4.504KB").getAsLong()).isEqualTo(Math.round(4.504 * 1024));
        assertThat(Qacct.seconds("3s").getAsDouble()).isEqualTo(3.0);
    }

    private static Optional<ExitInfo> classify(String qacctFile, Optional<InstanceRecords.Exited> exit, Resources asked) throws IOException {
        return SgeExits.classify(exit, Optional.of(Qacct.parse(file(qacctFile)).get(0)), Optional.of(asked), Optional.empty(),
                OptionalDouble.empty(), "", true);
    }

    @Test
    void killsAreToldApartByFailureCodeWallclockAgainstHrtAndPeakMemoryAgainstTheRequest() throws IOException {
        ExitInfo hrt = classify("qacct-over-h_rt.txt", Optional.empty(), ASKED).orElseThrow();
        assertThat(hrt.kind()).isEqualTo(ExitKind.RESOURCE_ERROR);
        assertThat(hrt.resource()).contains("runtime");

        ExitInfo vmem = classify("qacct-over-h_vmem-two-processes.txt", Optional.empty(), ASKED.withMaxRuntimeSeconds(3600))
                .orElseThrow();
        assertThat(vmem.kind()).isEqualTo(ExitKind.RESOURCE_ERROR);
        assertThat(vmem.resource()).contains("memory");

        ExitInfo qdel = classify("qacct-qdel-running.txt", Optional.empty(), ASKED.withMaxRuntimeSeconds(3600)).orElseThrow();
        assertThat(qdel.kind()).as("qdel: failed 100, exit 137: a kill, not a resource kill").isEqualTo(ExitKind.KILLED);

        ExitInfo output = classify("qacct-output-not-openable.txt", Optional.empty(), ASKED).orElseThrow();
        assertThat(output.kind()).isEqualTo(ExitKind.UNKNOWN);
        assertThat(output.message()).contains("failed 26").contains("opening input/output file");

        ExitInfo exit42 = classify("qacct-exit42.txt", Optional.of(new InstanceRecords.Exited(1, 42, Instant.now())), ASKED)
                .orElseThrow();
        assertThat(exit42.kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(exit42.exitCode()).hasValue(42);
    }

    @Test
    void withoutTheRequestTheLimitsComeFromTheJobsOwnCategory() throws IOException {
        ExitInfo hrt = SgeExits.classify(Optional.empty(), Optional.of(Qacct.parse(file("qacct-over-h_rt.txt")).get(0)), Optional.empty(),
                Optional.empty(), OptionalDouble.empty(), "", true).orElseThrow();
        assertThat(hrt.resource()).contains("runtime");
        ExitInfo vmem = SgeExits.classify(Optional.empty(), Optional.of(Qacct.parse(file("qacct-over-h_vmem-two-processes.txt")).get(0)),
                Optional.empty(), Optional.empty(), OptionalDouble.empty(), "", true).orElseThrow();
        assertThat(vmem.resource()).contains("memory");
        assertThat(SgeExits.hrtOf("-l h_rt=0:1:30,h_vmem=200M").getAsLong()).isEqualTo(90);
        assertThat(SgeExits.hvmemOf("-l h_rt=90,h_vmem=200M -pe smp 2").getAsLong()).isEqualTo(200L << 20);
    }

    @Test
    void theExitRecordComesFirstAndNothingKnownIsNotYetAnAnswer() {
        assertThat(SgeExits.classify(Optional.of(new InstanceRecords.Exited(1, 0, Instant.now())), Optional.empty(), Optional.empty(),
                Optional.of("node1"), OptionalDouble.of(2), "", true).orElseThrow().kind()).isEqualTo(ExitKind.DONE);
        assertThat(SgeExits.classify(Optional.of(new InstanceRecords.Exited(1, 137, Instant.now(), true)), Optional.empty(),
                Optional.empty(), Optional.empty(), OptionalDouble.empty(), "", true).orElseThrow().kind()).isEqualTo(ExitKind.KILLED);
        assertThat(SgeExits.classify(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalDouble.empty(), "",
                true)).isEmpty();
    }

    @Test
    void queueLimitsComeFromQconfAndMoveARequestToAQueueThatAllowsIt() throws IOException {
        SgeQueues.Queue allQueue = SgeQueues.parse("all.q", file("qconf-sq-all.q.txt"));
        SgeQueues.Queue longQueue = SgeQueues.parse("long.q", file("qconf-sq-long.q.txt"));
        assertThat(allQueue.pes()).containsExactly("smp");
        QueueLimits all = allQueue.limits();
        QueueLimits longQ = longQueue.limits();
        assertThat(all.maxRuntimeSeconds()).isEqualTo(72 * 3600);
        assertThat(longQ.maxRuntimeSeconds()).isEqualTo(384 * 3600);
        assertThat(all.maxCores()).isEqualTo(2);
        List<SgeQueues.Queue> queues = List.of(allQueue, longQueue);

        Resources fourDays = ASKED.withMaxRuntimeSeconds(4 * 86400).withQueue("all.q");
        assertThat(SgeQueues.validate(fourDays, queues, "smp").queue()).contains("long.q");
        assertThatThrownBy(() -> SgeQueues.validate(fourDays.withMaxRuntimeSeconds(20 * 86400), queues, "smp"))
                .isInstanceOf(JobmonException.class).hasMessageContaining("max_runtime_seconds 1728000").hasMessageContaining("no other queue");
        assertThatThrownBy(() -> SgeQueues.validate(ASKED.withQueue("gpu.q"), queues, "smp"))
                .hasMessageContaining("queue 'gpu.q' does not exist").hasMessageContaining("all.q, long.q");
        assertThatThrownBy(() -> SgeQueues.validate(ASKED.withNumCores(3), queues, "smp")).hasMessageContaining("num_cores 3");
        assertThatThrownBy(() -> SgeQueues.validate(ASKED.withNumCores(2), queues, "mpi"))
                .hasMessageContaining("parallel environment 'mpi'").hasMessageContaining("pe_list: smp");
    }

    @Test
    void settingsAreCheckedAndQsubArgumentsSplitWithoutAShell() {
        assertThat(org.jobmon.executor.batch.BatchSettings.words("-l  fthread=2 -N 'a b' \"c d\"")).containsExactly("-l", "fthread=2", "-N", "a b", "c d");
        assertThatThrownBy(() -> SgeSettings.from(Map.of("slots", "2"))).hasMessageContaining("no setting slots")
                .hasMessageContaining("qsub_args");
        assertThatThrownBy(() -> SgeSettings.from(Map.of("memory", "rss"))).hasMessageContaining("memory 'rss'");
        assertThatThrownBy(() -> SgeSettings.from(Map.of("qsub_args", "-N 'open"))).hasMessageContaining("unclosed");
        assertThat(SgeSettings.from(Map.of("run_root", "/shared/runs")).pe()).isEqualTo("smp");
        assertThat(SgeExecutor.safeJobName("12/x:y@z")).isEqualTo("j12_x_y_z");
        assertThat(SgeExecutor.hms(3 * 86400 + 61)).isEqualTo("72:01:01");
    }
}

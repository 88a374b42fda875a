package org.jobmon.executor.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job scripts, array dispatchers, array grouping and the command runner, with real shells and processes. */
class BatchScriptsTest {
    @TempDir
    Path tmp;

    private static final Resources SMALL = new Resources(1, 1024, 60, Optional.empty(), Map.of(), Map.of(), false);

    private InstanceRequest request(long id, String template, Resources r, String command) {
        return new InstanceRequest(id, id, "task_" + id, command, r, tmp.resolve("runs/" + id), Optional.of(tmp.resolve("out/t" + id)),
                Optional.empty(), Optional.of(tmp), template);
    }

    @Test
    void anArrayDispatcherRunsEachMembersOwnScriptWhichWritesItsRecordsWithTheArrayMembersId() throws Exception {
        List<InstanceRequest> members = List.of(request(1, "t", SMALL, "echo one"), request(2, "t", SMALL, "echo two; exit 3"));
        List<Path> scripts = new java.util.ArrayList<>();
        for (InstanceRequest r : members) {
            scripts.add(JobScripts.writeMember(r, "\"$JOB_ID.$SGE_TASK_ID\""));
        }
        Path array = JobScripts.writeArray(tmp.resolve("runs/array-1.sh"), "SGE_TASK_ID", scripts);
        SchedulerCommands sh = new SchedulerCommands(Optional.empty(), Duration.ofSeconds(20));

        for (int k = 1; k <= 2; k++) {
            ProcessBuilder b = new ProcessBuilder("/bin/sh", array.toString());
            b.environment().put("JOB_ID", "900");
            b.environment().put("SGE_TASK_ID", Integer.toString(k));
            int code = b.start().waitFor();
            assertThat(code).isEqualTo(k == 1 ? 0 : 3);
        }
        assertThat(InstanceRecords.readStarted(tmp.resolve("runs/1"), 1).orElseThrow().executorId()).contains("900.1");
        assertThat(InstanceRecords.readExit(tmp.resolve("runs/2"), 2).orElseThrow().exitCode()).isEqualTo(3);
        assertThat(Files.readString(tmp.resolve("out/t2"))).isEqualTo("two\n");
        SchedulerCommands.Result none = sh.run("/bin/sh", List.of(array.toString()));
        assertThat(none.exitCode()).as("no member index: the dispatcher says so").isEqualTo(199);
        assertThat(none.stderr()).contains("no member");
    }

    @Test
    void requestsOfOneTemplateWithIdenticalResourcesShareAnArrayUpToItsLimit() {
        Resources big = SMALL.withMemoryMib(4096);
        List<InstanceRequest> batch = List.of(request(1, "a", SMALL, "x"), request(2, "b", SMALL, "x"), request(3, "a", SMALL, "y"),
                request(4, "a", big, "x"), request(5, "a", SMALL, "z"), request(6, "a", SMALL, "z"));
        List<List<InstanceRequest>> groups = ArrayGroups.of(batch, 2);
        assertThat(groups).extracting(g -> g.stream().map(InstanceRequest::taskInstanceId).toList())
                .containsExactly(List.of(1L, 3L), List.of(2L), List.of(4L), List.of(5L, 6L));
    }

    @Test
    void commandsRunAsArgumentListsWithATimeLimitAndAreCounted() {
        SchedulerCommands c = new SchedulerCommands(Optional.empty(), Duration.ofSeconds(20));
        SchedulerCommands.Result echo = c.run("/bin/echo", List.of("a b", "$HOME", "'q'"));
        assertThat(echo.ok()).isTrue();
        assertThat(echo.stdout()).as("no shell touched the arguments").isEqualTo("a b $HOME 'q'\n");
        SchedulerCommands.Result slow = c.run("/bin/sleep", List.of("30"), null, Duration.ofMillis(300));
        assertThat(slow.failedToRun()).isTrue();
        assertThat(slow.complaint()).contains("did not answer within");
        SchedulerCommands.Result missing = new SchedulerCommands(Optional.of(tmp), Duration.ofSeconds(5)).run("qsub", List.of());
        assertThat(missing.failedToRun()).isTrue();
        assertThat(missing.complaint()).contains(tmp.resolve("qsub").toString()).contains("bin_dir");
        assertThat(c.calls("/bin/echo")).isEqualTo(1);
        assertThat(c.calls("/bin/sleep")).isEqualTo(1);
    }
}

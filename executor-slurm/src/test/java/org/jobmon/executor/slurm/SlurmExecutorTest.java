package org.jobmon.executor.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.Submission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor against stand-in Slurm programs (shell scripts that record their arguments and answer
 * as the real ones do, with text captured from a real cluster): what sbatch is asked, how refusals,
 * array ids and squeue's answers are taken. The real cluster's tests are {@link SlurmEngineIT}.
 */
class SlurmExecutorTest {
    @TempDir
    Path tmp;

    private static final Resources ASKED = new Resources(2, 1536, 90, Optional.of("long.q"), Map.of(), Map.of(), false);

    /** A stand-in for {@code program} that appends its arguments, one per line, to {@code program.args} and runs {@code body}. */
    private void fake(String program, String body) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path script = bin.resolve(program);
        Files.writeString(script, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done >> '" + bin.resolve(program + ".args") + "'\necho call >> '"
                + bin.resolve(program + ".calls") + "'\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private List<String> args(String program) throws IOException {
        return Files.readAllLines(tmp.resolve("bin").resolve(program + ".args"));
    }

    private long calls(String program) throws IOException {
        Path calls = tmp.resolve("bin").resolve(program + ".calls");
        return Files.exists(calls) ? Files.readAllLines(calls).size() : 0;
    }

    private SlurmExecutor executor(Map<String, String> extra) {
        return executor(extra, System.getenv());
    }

    private SlurmExecutor executor(Map<String, String> extra, Map<String, String> environment) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("bin_dir", tmp.resolve("bin").toString()));
        settings.putAll(extra);
        ExecutorContext context = new ExecutorContext(tmp.resolve("run"), ExecutorSettings.of("slurm").withProject("proj_a")
                .withExtra(settings), e -> { }, Map.of());
        return new SlurmExecutor(context, SlurmSettings.from(context.settings().extra()), environment);
    }

    @Test
    void aControllerRunningInsideASlurmJobDoesNotPassItsOwnJobsVariablesToTheJobsItSubmits() throws Exception {
        fake("sbatch", "env | grep -E '^(SLURM|SBATCH|HOME)' | sort > '" + tmp.resolve("sbatch.env") + "'; echo 12");
        Map<String, String> inAJob = new java.util.HashMap<>(System.getenv());
        inAJob.putAll(Map.of("SLURM_JOB_ID", "99", "SLURM_MEM_PER_CPU", "2048", "SLURM_CPUS_PER_TASK", "8", "SLURM_CONF", "/etc/slurm/slurm.conf",
                "SBATCH_QOS", "normal"));

        assertThat(executor(Map.of(), inAJob).submit(List.of(request(1, "a", ASKED))).get(0).executorId()).hasValue("12");

        assertThat(Files.readAllLines(tmp.resolve("sbatch.env"))).contains("SLURM_CONF=/etc/slurm/slurm.conf", "SBATCH_QOS=normal")
                .noneMatch(l -> l.startsWith("SLURM_JOB_ID=") || l.startsWith("SLURM_MEM_PER_CPU=") || l.startsWith("SLURM_CPUS_PER_TASK="));
    }

    private InstanceRequest request(long id, String template, Resources r) {
        return new InstanceRequest(id, id, "task_" + id, "echo " + id, r, tmp.resolve("run/instances/" + id),
                Optional.of(tmp.resolve("out/task_" + id + ".o" + id)), Optional.empty(), Optional.of(tmp.resolve("wd")), template);
    }

    @Test
    void requestsBecomeSbatchOptionsAndAnArrayMapsEachMemberToItsInstance() throws Exception {
        fake("sbatch", "echo 4711");
        SlurmExecutor slurm = executor(Map.of("sbatch_args", "--qos=long --comment='two words'"));
        List<InstanceRequest> batch = new ArrayList<>();
        for (long id = 1; id <= 3; id++) {
            batch.add(request(id, "wide", ASKED));
        }
        batch.add(request(9, "other", ASKED));

        List<Submission> answers = slurm.submit(batch);

        assertThat(answers).extracting(Submission::executorId).containsExactly(Optional.of("4711_1"), Optional.of("4711_2"),
                Optional.of("4711_3"), Optional.of("4711"));
        assertThat(calls("sbatch")).as("one array for the template, one job for the other").isEqualTo(2);
        List<String> args = args("sbatch");
        assertThat(args).contains("--parsable", "--job-name=wide", "--job-name=task_9", "--cpus-per-task=2", "--mem=1536M",
                "--time=2", "--partition=long.q", "--account=proj_a", "--array=1-3", "--chdir=" + tmp.resolve("wd"), "--qos=long",
                "--comment=two words");
        assertThat(args).filteredOn(a -> a.startsWith("--output=")).first().asString().endsWith("slurm-logs/%x.%A_%a.out");
        String member = Files.readString(tmp.resolve("run/instances/2").resolve("job.sh"));
        assertThat(member).as("the member records the id squeue and sacct use").contains("${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}");
    }

    @Test
    void aControllerThatCannotBeReachedMakesTheWholeBatchWaitAfterOneCallAndSpendsNoAttempt() throws Exception {
        fake("sbatch", "echo 'sbatch: error: Batch job submission failed: Unable to contact slurm controller (connect failure)' >&2; exit 1");
        List<Submission> answers = executor(Map.of()).submit(List.of(request(1, "a", ASKED), request(2, "b", ASKED)));

        assertThat(answers).allSatisfy(s -> {
            assertThat(s.retryLater()).isTrue();
            assertThat(s.error()).hasValueSatisfying(m -> assertThat(m).contains("Slurm cannot take jobs now")
                    .contains("Unable to contact slurm controller"));
        });
        assertThat(calls("sbatch")).isEqualTo(1);
    }

    @Test
    void aRefusalForGoodNamesSlurmsReasonAndLeavesAKillOrderForAJobThatWasMadeAnyway() throws Exception {
        fake("sbatch", "echo 'sbatch: error: Memory specification can not be satisfied' >&2; "
                + "echo 'sbatch: error: Batch job submission failed: Requested node configuration is not available' >&2; exit 1");
        Submission s = executor(Map.of()).submit(List.of(request(1, "a", ASKED))).get(0);

        assertThat(s.retryLater()).isFalse();
        assertThat(s.executorId()).isEmpty();
        assertThat(s.error()).hasValueSatisfying(m -> assertThat(m).contains("sbatch refused the job")
                .contains("Memory specification can not be satisfied"));
        assertThat(InstanceRecords.killOrdered(tmp.resolve("run/instances/1"), 1)).isTrue();
    }

    @Test
    void oneSqueueNamesEveryJobOnceAndEndedJobsAreGone() throws Exception {
        Path answer = Files.createDirectories(tmp.resolve("answers")).resolve("squeue.txt");
        Files.copy(SlurmExecutorTest.class.getResourceAsStream("squeue-all-states.txt"), answer);
        fake("squeue", "cat '" + answer + "'");
        SlurmExecutor slurm = executor(Map.of());

        Map<String, JobState> states = slurm.poll(List.of("14_1", "14_2", "6", "7", "11", "999"));

        assertThat(calls("squeue")).isEqualTo(1);
        assertThat(args("squeue")).contains("--jobs=14,6,7,11,999", "-r", "all");
        assertThat(states).containsOnlyKeys("14_1", "14_2", "6", "11");
        assertThat(states.get("6")).isEqualTo(JobState.RUNNING);
        assertThat(states.get("11").reason()).contains("JobHeldUser");
    }

    @Test
    void squeueThatNoLongerKnowsAnyJobIsAnAnswerButOneThatFailsIsNot() throws Exception {
        fake("squeue", "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1");
        assertThat(executor(Map.of()).poll(List.of("5"))).isEmpty();

        fake("squeue", "echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2; exit 1");
        assertThatThrownBy(() -> executor(Map.of()).poll(List.of("5"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Unable to contact slurm controller");
    }
}

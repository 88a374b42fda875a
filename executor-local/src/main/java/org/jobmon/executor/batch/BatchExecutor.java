package org.jobmon.executor.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.GoneInstance;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.Submission;
import org.jobmon.executor.local.StderrTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every batch-scheduler executor does the same way, so that one for a new scheduler is its
 * commands, its parsers and its exit rules:
 * <ul>
 * <li>submission: each attempt's job script in its own folder, the ready attempts of one template
 * with identical requests as one array job (a dispatcher script picks the member's script by the
 * scheduler's task index), one submit command per group; a scheduler that cannot take jobs now
 * turns the whole batch into "retry later" after one refused call; a refusal for good leaves a kill
 * order behind, so that a job created despite a lost answer never starts its command;</li>
 * <li>cancelling in batches;</li>
 * <li>how gone jobs ended: the attempt's own exit record first (exit 0 and kill orders need nothing
 * else), then one accounting query for all the others, then the scheduler's rules.</li>
 * </ul>
 *
 * @param <A> the scheduler's accounting record of one job
 */
public abstract class BatchExecutor<A> implements Executor {
    private static final Logger log = LoggerFactory.getLogger(BatchExecutor.class);

    protected final ExecutorContext context;
    protected final SchedulerCommands commands;
    /** The folder for the scheduler's own job logs (the command's output goes where the task says). */
    protected final Path logDir;
    private final int maxArraySize;
    private final Map<Long, Instant> firstAsked = new ConcurrentHashMap<>();

    /**
     * @param logFolder the name of the folder, in the run's folder, for the scheduler's own job logs
     */
    protected BatchExecutor(ExecutorContext context, SchedulerCommands commands, String logFolder, int maxArraySize) {
        this.context = context;
        this.commands = commands;
        this.maxArraySize = maxArraySize;
        this.logDir = context.workDir().resolve(logFolder).toAbsolutePath();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new JobmonException(ErrorCode.EXECUTOR_FAILURE, "cannot create the folder for " + scheduler() + "'s own job logs, "
                    + logDir + ": " + e.getMessage() + "; the run folder must be writable and shared with the compute nodes");
        }
    }

    /** The scheduler's name in messages: "Grid Engine", "Slurm". */
    protected abstract String scheduler();

    /** A shell word that expands, inside a job, to its executor id ({@code "$JOB_ID"}). */
    protected abstract String executorIdWord(boolean arrayMember);

    /** The environment variable holding an array member's index (1-based). */
    protected abstract String taskIndexVariable();

    /** A job name the scheduler takes, from a template's or task's name. */
    protected abstract String jobName(String name);

    /**
     * Runs the submit command for one job: {@code arraySize} 0 for a single job, else an array of
     * that many members, all with {@code first}'s requests.
     */
    protected abstract SchedulerCommands.Result submitJob(InstanceRequest first, String name, int arraySize, Path script);

    /** The job id in a successful submit command's output, or empty when it printed none. */
    protected abstract Optional<String> jobId(String stdout);

    /** The executor id of member {@code k} (1-based) of array job {@code jobId}. */
    protected abstract String memberId(String jobId, int k);

    /** Whether a failed command says the scheduler did not take the request and may be asked again later. */
    protected abstract boolean notTaken(SchedulerCommands.Result r);

    /** The program that cancels jobs, given their executor ids as arguments. */
    protected abstract String cancelProgram();

    /** How many jobs one cancel command names. */
    protected int cancelChunk() {
        return 100;
    }

    /**
     * The accounting records of these gone jobs, by executor id (absent: none yet).
     *
     * @throws IllegalStateException when the scheduler did not answer (the engine asks again later)
     */
    protected abstract Map<String, A> accounting(List<GoneInstance> gone);

    /**
     * How a gone attempt ended, from its exit record, its accounting record and what its own records
     * say; empty when that cannot be told yet (the engine asks again after its next poll).
     *
     * @param waited how long ago this attempt was first asked about
     */
    protected abstract Optional<ExitInfo> classify(GoneInstance g, Ended<A> ended, Duration waited);

    /**
     * What is known of a gone attempt.
     *
     * @param exit the wrapper's exit record
     * @param accounting the scheduler's record
     * @param host where the wrapper ran, from its started record
     * @param wallclock seconds from its started to its exit record
     * @param stderrTail the end of its stderr (empty after exit 0)
     */
    public record Ended<A>(Optional<InstanceRecords.Exited> exit, Optional<A> accounting, Optional<String> host,
            OptionalDouble wallclock, String stderrTail) {
    }

    @Override
    public List<Submission> submit(List<InstanceRequest> batch) {
        Map<Long, Submission> answers = new LinkedHashMap<>();
        String notTaken = null;
        for (List<InstanceRequest> group : ArrayGroups.of(batch, maxArraySize)) {
            if (notTaken != null) {
                // the scheduler just refused one group: the others wait too, without a call each
                for (InstanceRequest r : group) {
                    answers.put(r.taskInstanceId(), Submission.retryLater(r.taskInstanceId(), notTaken));
                }
                continue;
            }
            notTaken = submitGroup(group, answers);
        }
        List<Submission> ordered = new ArrayList<>();
        for (InstanceRequest r : batch) {
            Submission s = answers.get(r.taskInstanceId());
            if (s != null) {
                ordered.add(s);
            }
        }
        return ordered;
    }

    /** Submits one group; returns why the scheduler did not take it when it may be asked again later, else null. */
    private String submitGroup(List<InstanceRequest> group, Map<Long, Submission> answers) {
        List<Path> scripts = new ArrayList<>();
        List<InstanceRequest> ready = new ArrayList<>();
        boolean array = group.size() > 1;
        for (InstanceRequest r : group) {
            try {
                scripts.add(JobScripts.writeMember(r, executorIdWord(array)));
                ready.add(r);
            } catch (IOException e) {
                answers.put(r.taskInstanceId(), Submission.refused(r.taskInstanceId(), "cannot write the job script into "
                        + r.instanceDir() + ": " + e.getMessage() + " (the run folder must be writable and shared with the compute nodes)"));
            }
        }
        if (ready.isEmpty()) {
            return null;
        }
        // decided before the scripts were written: their records name the job as an array member
        InstanceRequest first = ready.get(0);
        Path script;
        try {
            script = array ? JobScripts.writeArray(context.workDir().resolve("arrays").resolve("array-" + first.taskInstanceId() + ".sh"),
                    taskIndexVariable(), scripts) : scripts.get(0);
        } catch (IOException e) {
            for (InstanceRequest r : ready) {
                answers.put(r.taskInstanceId(), Submission.refused(r.taskInstanceId(), "cannot write the array job's script: " + e.getMessage()));
            }
            return null;
        }
        String name = jobName(array && !first.templateName().isBlank() ? first.templateName() : first.taskName());
        SchedulerCommands.Result result = submitJob(first, name, array ? ready.size() : 0, script.toAbsolutePath());
        if (result.ok()) {
            Optional<String> jobId = jobId(result.stdout());
            if (jobId.isEmpty()) {
                refuseForGood(ready, result.program() + " printed no job id: " + result.complaint(), answers);
                return null;
            }
            for (int k = 0; k < ready.size(); k++) {
                InstanceRequest r = ready.get(k);
                answers.put(r.taskInstanceId(), Submission.accepted(r.taskInstanceId(), array ? memberId(jobId.get(), k + 1) : jobId.get()));
            }
            log.debug("submitted {} instance(s) as {} job {}", ready.size(), scheduler(), jobId.get());
            return null;
        }
        if (!result.failedToRun() && notTaken(result)) {
            String why = scheduler() + " cannot take jobs now: " + result.complaint();
            for (InstanceRequest r : ready) {
                answers.put(r.taskInstanceId(), Submission.retryLater(r.taskInstanceId(), why));
            }
            return why;
        }
        refuseForGood(ready, result.failedToRun() ? result.program() + " gave no answer (" + result.complaint() + "); a job it may have "
                + "created will not start its command" : result.program() + " refused the job: " + result.complaint(), answers);
        return null;
    }

    /**
     * These attempts fail (and count). Each gets a kill order first: should the scheduler have created
     * the job after all (an answer lost in a timeout), its wrapper finds the order and does not start the command.
     */
    private static void refuseForGood(List<InstanceRequest> requests, String why, Map<Long, Submission> answers) {
        for (InstanceRequest r : requests) {
            try {
                InstanceRecords.orderKill(r.instanceDir(), r.taskInstanceId());
            } catch (RuntimeException e) {
                log.debug("cannot write a kill order for instance {}: {}", r.taskInstanceId(), e.getMessage());
            }
            answers.put(r.taskInstanceId(), Submission.refused(r.taskInstanceId(), why));
        }
    }

    @Override
    public void terminate(Collection<String> executorIds) {
        List<String> ids = List.copyOf(executorIds);
        int chunk = cancelChunk();
        for (int from = 0; from < ids.size(); from += chunk) {
            List<String> part = ids.subList(from, Math.min(ids.size(), from + chunk));
            SchedulerCommands.Result r = commands.run(cancelProgram(), part);
            if (!r.ok()) {
                // jobs that ended meanwhile are unknown to it: nothing left to cancel
                if (r.failedToRun() || notTaken(r)) {
                    throw new IllegalStateException(cancelProgram() + " could not reach " + scheduler() + ": " + r.complaint());
                }
                log.debug("{} {}: {}", cancelProgram(), part, r.complaint());
            }
        }
    }

    @Override
    public Map<Long, ExitInfo> exitInfos(List<GoneInstance> gone) {
        Map<Long, ExitInfo> answers = new HashMap<>();
        List<GoneInstance> needAccounting = new ArrayList<>();
        Map<Long, Optional<InstanceRecords.Exited>> exits = new HashMap<>();
        for (GoneInstance g : gone) {
            Optional<InstanceRecords.Exited> exit = InstanceRecords.readExit(g.instanceDir(), g.taskInstanceId());
            exits.put(g.taskInstanceId(), exit);
            if (exit.isPresent() && (exit.get().exitCode() == 0 || exit.get().refusedByKillOrder())) {
                classify(g, exit, Optional.empty()).ifPresent(e -> answers.put(g.taskInstanceId(), e));
            } else {
                needAccounting.add(g);
            }
        }
        if (!needAccounting.isEmpty()) {
            Map<String, A> records = accounting(needAccounting);
            for (GoneInstance g : needAccounting) {
                classify(g, exits.get(g.taskInstanceId()), Optional.ofNullable(records.get(g.executorId())))
                        .ifPresent(e -> answers.put(g.taskInstanceId(), e));
            }
        }
        for (Long id : answers.keySet()) {
            firstAsked.remove(id);
        }
        return answers;
    }

    private Optional<ExitInfo> classify(GoneInstance g, Optional<InstanceRecords.Exited> exit, Optional<A> accounting) {
        Optional<InstanceRecords.Started> started = InstanceRecords.readStarted(g.instanceDir(), g.taskInstanceId());
        OptionalDouble wall = started.isPresent() && exit.isPresent()
                ? OptionalDouble.of(Math.max(0, Duration.between(started.get().time(), exit.get().time()).toMillis() / 1000.0))
                : OptionalDouble.empty();
        boolean ok = exit.map(x -> x.exitCode() == 0).orElse(false);
        String tail = ok ? "" : StderrTail.read(g.stderrFile());
        Instant first = firstAsked.computeIfAbsent(g.taskInstanceId(), id -> Instant.now());
        return classify(g, new Ended<>(exit, accounting, started.map(InstanceRecords.Started::host), wall, tail),
                Duration.between(first, Instant.now()));
    }

    /** When the attempt's job script was written: a lower bound of when its job was submitted. */
    protected static Instant scriptTime(Path instanceDir) {
        try {
            return Files.getLastModifiedTime(instanceDir.resolve(JobScripts.JOB_SCRIPT)).toInstant();
        } catch (IOException e) {
            return Instant.now().minus(Duration.ofDays(1));
        }
    }
}

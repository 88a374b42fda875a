package org.jobmon.executor.sge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.GoneInstance;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.QueueLimits;
import org.jobmon.api.executor.Submission;
import org.jobmon.executor.batch.ArrayGroups;
import org.jobmon.executor.batch.JobScripts;
import org.jobmon.executor.batch.SchedulerCommands;
import org.jobmon.executor.local.StderrTail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs instances as Grid Engine jobs: {@code qsub} (an array job for the ready tasks of one template
 * with identical requests), one {@code qstat -xml} per poll for all of the run's jobs, the attempt's
 * exit record and then {@code qacct} for how a job ended, {@code qdel} in batches. Every command is an
 * argument list with a time limit; a qmaster that cannot be reached is a refusal for now (the engine
 * submits again later without spending an attempt) and a poll that fails changes nothing.
 */
final class SgeExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SgeExecutor.class);
    /**
     * What qsub prints when the qmaster never took the request (it cannot be reached, or a quota
     * refuses new jobs for now): safe to submit the same attempt again later. A qsub that timed out
     * or lost its answer may have created the job, so it is not among these.
     */
    private static final List<String> NOT_TAKEN = List.of("connection refused", "unable to contact qmaster", "no route to host",
            "qmaster is not alive", "got select error", "only allowed to submit", "would exceed", "max_u_jobs", "max_jobs");
    private static final int QDEL_CHUNK = 100;

    private final ExecutorContext context;
    private final SgeSettings settings;
    private final SchedulerCommands commands;
    private final Path logDir;
    private final String user = System.getProperty("user.name", "");
    private volatile List<SgeQueues.Queue> queues;

    SgeExecutor(ExecutorContext context) {
        this(context, SgeSettings.from(context.settings().extra()));
    }

    SgeExecutor(ExecutorContext context, SgeSettings settings) {
        this.context = context;
        this.settings = settings;
        this.commands = new SchedulerCommands(settings.binDir(), settings.commandTimeout());
        this.logDir = context.workDir().resolve("sge-logs").toAbsolutePath();
        try {
            Files.createDirectories(logDir);
        } catch (IOException e) {
            throw new JobmonException(ErrorCode.EXECUTOR_FAILURE, "cannot create the folder for Grid Engine's own job logs, " + logDir
                    + ": " + e.getMessage() + "; the run folder must be writable and shared with the compute nodes");
        }
    }

    SchedulerCommands commands() {
        return commands;
    }

    @Override
    public List<Submission> submit(List<InstanceRequest> batch) {
        Map<Long, Submission> answers = new LinkedHashMap<>();
        String notTaken = null;
        for (List<InstanceRequest> group : ArrayGroups.of(batch, settings.maxArraySize())) {
            if (notTaken != null) {
                // the qmaster just refused one group: the others wait too, without a qsub each
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

    /** Submits one group; returns why the qmaster did not take it when it may be asked again later, else null. */
    private String submitGroup(List<InstanceRequest> group, Map<Long, Submission> answers) {
        List<Path> scripts = new ArrayList<>();
        List<InstanceRequest> ready = new ArrayList<>();
        boolean array = group.size() > 1;
        for (InstanceRequest r : group) {
            try {
                scripts.add(JobScripts.writeMember(r, array ? "\"$JOB_ID.$SGE_TASK_ID\"" : "\"$JOB_ID\""));
                ready.add(r);
            } catch (IOException e) {
                answers.put(r.taskInstanceId(), Submission.refused(r.taskInstanceId(), "cannot write the job script into "
                        + r.instanceDir() + ": " + e.getMessage() + " (the run folder must be writable and shared with the compute nodes)"));
            }
        }
        if (ready.isEmpty()) {
            return null;
        }
        // decided before the scripts were written: their records name the job as an array member ("N.k")
        InstanceRequest first = ready.get(0);
        Path script;
        try {
            script = array ? JobScripts.writeArray(context.workDir().resolve("arrays").resolve("array-" + first.taskInstanceId() + ".sh"),
                    "SGE_TASK_ID", scripts) : scripts.get(0);
        } catch (IOException e) {
            for (InstanceRequest r : ready) {
                answers.put(r.taskInstanceId(), Submission.refused(r.taskInstanceId(), "cannot write the array job's script: " + e.getMessage()));
            }
            return null;
        }
        String name = jobName(array && !first.templateName().isBlank() ? first.templateName() : first.taskName());
        List<String> args = qsubArgs(first, name, array ? ready.size() : 0);
        args.add(script.toAbsolutePath().toString());
        SchedulerCommands.Result result = commands.run("qsub", args);
        if (result.ok()) {
            String jobId = result.stdout().strip().lines().findFirst().orElse("");
            int dot = jobId.indexOf('.');
            String number = dot < 0 ? jobId : jobId.substring(0, dot);
            if (!number.matches("\\d+")) {
                refuseForGood(ready, "qsub printed no job id: " + result.complaint(), answers);
                return null;
            }
            for (int k = 0; k < ready.size(); k++) {
                InstanceRequest r = ready.get(k);
                answers.put(r.taskInstanceId(), Submission.accepted(r.taskInstanceId(), array ? number + "." + (k + 1) : number));
            }
            log.debug("submitted {} instance(s) as Grid Engine job {}", ready.size(), jobId);
            return null;
        }
        if (!result.failedToRun() && notTaken(result)) {
            String why = "Grid Engine cannot take jobs now: " + result.complaint();
            for (InstanceRequest r : ready) {
                answers.put(r.taskInstanceId(), Submission.retryLater(r.taskInstanceId(), why));
            }
            return why;
        }
        refuseForGood(ready, result.failedToRun() ? "qsub gave no answer (" + result.complaint() + "); a job it may have created "
                + "will not start its command" : "qsub refused the job: " + result.complaint(), answers);
        return null;
    }

    /**
     * These attempts fail (and count). Each gets a kill order first: should qsub have created the job
     * after all (an answer lost in a timeout), its wrapper finds the order and does not start the command.
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

    /** qsub's arguments for a job (or an array of {@code arraySize} members) with {@code r}'s resources. */
    List<String> qsubArgs(InstanceRequest r, String name, int arraySize) {
        Resources res = r.resources();
        // -C "": no line of the job script (the user's command) is read as a qsub option
        List<String> a = new ArrayList<>(List.of("-terse", "-w", "e", "-C", "", "-N", name, "-S", "/bin/sh", "-o", logDir.toString(), "-e",
                logDir.toString(), "-wd", r.workingDir().orElse(context.workDir()).toAbsolutePath().toString()));
        a.add("-l");
        a.add("h_rt=" + hms(res.maxRuntimeSeconds()));
        int cores = Math.max(1, res.numCores());
        long perSlot = (res.memoryMib() + cores - 1) / cores;
        for (String m : settings.memoryResources()) {
            a.add("-l");
            a.add(m + "=" + perSlot + "M");
        }
        if (cores > 1) {
            a.add("-pe");
            a.add(settings.pe());
            a.add(Integer.toString(cores));
        }
        res.queue().ifPresent(q -> {
            a.add("-q");
            a.add(q);
        });
        context.settings().project().ifPresent(p -> {
            a.add("-P");
            a.add(p);
        });
        if (arraySize > 0) {
            a.add("-t");
            a.add("1-" + arraySize);
        }
        a.addAll(settings.qsubArgs());
        return a;
    }

    static String hms(long seconds) {
        long s = Math.max(1, seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
    }

    /** A job name Grid Engine takes: no '/', ':', '@', '\\', '*', '?', whitespace; not starting with a digit. */
    static String jobName(String name) {
        String n = name.replaceAll("[/:@\\\\*?\\s]", "_");
        if (n.isEmpty() || Character.isDigit(n.charAt(0))) {
            n = "j" + n;
        }
        return n.length() > 200 ? n.substring(0, 200) : n;
    }

    private static boolean notTaken(SchedulerCommands.Result r) {
        String text = (r.stderr() + "\n" + r.stdout()).toLowerCase(Locale.ROOT);
        return NOT_TAKEN.stream().anyMatch(text::contains);
    }

    @Override
    public Map<String, JobState> poll(Collection<String> executorIds) {
        SchedulerCommands.Result r = commands.run("qstat", user.isEmpty() ? List.of("-xml") : List.of("-xml", "-u", user));
        if (!r.ok()) {
            throw new IllegalStateException("qstat failed: " + r.complaint());
        }
        Map<String, String> letters = new HashMap<>();
        for (Qstat.Listed l : Qstat.parseXml(r.stdout())) {
            letters.put(l.executorId(), l.state());
        }
        Map<String, JobState> states = new HashMap<>();
        List<String> inError = new ArrayList<>();
        for (String id : executorIds) {
            String state = letters.get(id);
            if (state == null) {
                continue;
            }
            switch (Qstat.state(state)) {
                case RUNNING -> states.put(id, JobState.RUNNING);
                case QUEUED -> states.put(id, JobState.QUEUED);
                case HELD -> states.put(id, JobState.held("on hold in Grid Engine (state " + state + "); " + release(id)
                        + " releases it"));
                case ERROR -> inError.add(id);
            }
        }
        if (!inError.isEmpty()) {
            Map<String, String> reasons = errorReasons(inError);
            for (String id : inError) {
                states.put(id, JobState.error("Grid Engine put job " + id + " in error state (Eqw): "
                        + reasons.getOrDefault(number(id), "no reason given by qstat -j")));
            }
        }
        return states;
    }

    private Map<String, String> errorReasons(List<String> ids) {
        String list = String.join(",", ids.stream().map(SgeExecutor::number).distinct().toList());
        SchedulerCommands.Result r = commands.run("qstat", List.of("-j", list));
        return r.failedToRun() ? Map.of() : Qstat.errorReasons(r.stdout());
    }

    private static String release(String executorId) {
        int dot = executorId.indexOf('.');
        return dot < 0 ? "qrls " + executorId : "qrls " + executorId.substring(0, dot) + " -t " + executorId.substring(dot + 1);
    }

    private static String number(String executorId) {
        int dot = executorId.indexOf('.');
        return dot < 0 ? executorId : executorId.substring(0, dot);
    }

    @Override
    public void terminate(Collection<String> executorIds) {
        List<String> ids = List.copyOf(executorIds);
        for (int from = 0; from < ids.size(); from += QDEL_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + QDEL_CHUNK));
            SchedulerCommands.Result r = commands.run("qdel", chunk);
            if (!r.ok()) {
                String text = r.complaint();
                // jobs that ended meanwhile are "unknown": nothing left to delete
                if (r.failedToRun() || notTaken(r)) {
                    throw new IllegalStateException("qdel could not reach the qmaster: " + text);
                }
                log.debug("qdel {}: {}", chunk, text);
            }
        }
    }

    @Override
    public ExitInfo exitInfo(String executorId) {
        Map<String, Qacct.Record> records = accounting(List.of(executorId), Optional.empty());
        Qacct.Record a = records.get(executorId);
        if (a == null) {
            return ExitInfo.lost("Grid Engine has no accounting record of job " + executorId);
        }
        return SgeExits.classify(Optional.empty(), Optional.of(a), Optional.empty(), Optional.empty(), OptionalDouble.empty(), "",
                vmemEnforced()).orElseGet(() -> ExitInfo.lost("job " + executorId + " ended without a trace"));
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
                answers.put(g.taskInstanceId(), classify(g, exit, Optional.empty()));
            } else {
                needAccounting.add(g);
            }
        }
        if (needAccounting.isEmpty()) {
            return answers;
        }
        Instant earliest = needAccounting.stream().map(g -> scriptTime(g.instanceDir())).min(Instant::compareTo).orElse(Instant.now());
        Map<String, Qacct.Record> records = accounting(needAccounting.stream().map(GoneInstance::executorId).toList(),
                Optional.of(earliest));
        for (GoneInstance g : needAccounting) {
            Optional<InstanceRecords.Exited> exit = exits.get(g.taskInstanceId());
            Optional<Qacct.Record> a = Optional.ofNullable(records.get(g.executorId()));
            if (exit.isPresent() || a.isPresent()) {
                answers.put(g.taskInstanceId(), classify(g, exit, a));
            }
            // neither record yet: not known; the engine asks again after its next poll
        }
        return answers;
    }

    private ExitInfo classify(GoneInstance g, Optional<InstanceRecords.Exited> exit, Optional<Qacct.Record> accounting) {
        Optional<InstanceRecords.Started> started = InstanceRecords.readStarted(g.instanceDir(), g.taskInstanceId());
        OptionalDouble wall = started.isPresent() && exit.isPresent()
                ? OptionalDouble.of(Math.max(0, Duration.between(started.get().time(), exit.get().time()).toMillis() / 1000.0))
                : OptionalDouble.empty();
        boolean ok = exit.map(x -> x.exitCode() == 0).orElse(false);
        String tail = ok ? "" : StderrTail.read(g.stderrFile());
        return SgeExits.classify(exit, accounting, g.requested(), started.map(InstanceRecords.Started::host), wall, tail, vmemEnforced())
                .orElseThrow();
    }

    private boolean vmemEnforced() {
        return settings.memoryResources().contains("h_vmem");
    }

    private static Instant scriptTime(Path instanceDir) {
        try {
            return Files.getLastModifiedTime(instanceDir.resolve(JobScripts.JOB_SCRIPT)).toInstant();
        } catch (IOException e) {
            return Instant.now().minus(Duration.ofDays(1));
        }
    }

    private static final DateTimeFormatter QACCT_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmm", Locale.ROOT);

    /**
     * The accounting records of these jobs: one qacct per job for a few, else one qacct for all of this
     * user's jobs that started since the earliest was submitted, filtered here.
     */
    private Map<String, Qacct.Record> accounting(List<String> ids, Optional<Instant> since) {
        Map<String, Qacct.Record> found = new HashMap<>();
        if (ids.size() == 1 || since.isEmpty() || user.isEmpty()) {
            for (String id : ids) {
                int dot = id.indexOf('.');
                List<String> args = dot < 0 ? List.of("-j", id) : List.of("-j", id.substring(0, dot), "-t", id.substring(dot + 1));
                SchedulerCommands.Result r = commands.run("qacct", args);
                if (r.failedToRun()) {
                    // not an answer: the engine asks again at its next poll rather than calling the job lost
                    throw new IllegalStateException("qacct did not answer: " + r.complaint());
                }
                if (r.ok()) {
                    for (Qacct.Record rec : Qacct.parse(r.stdout())) {
                        found.put(rec.executorId(), rec);
                    }
                }
            }
            return found;
        }
        // one scan of the accounting file for all of them: this user's jobs started since the earliest was submitted
        String begin = QACCT_TIME.format(since.get().minus(Duration.ofMinutes(2)).atZone(ZoneId.systemDefault()));
        SchedulerCommands.Result r = commands.run("qacct", List.of("-o", user, "-b", begin, "-j"));
        if (r.failedToRun()) {
            throw new IllegalStateException("qacct did not answer: " + r.complaint());
        }
        if (r.ok()) {
            java.util.Set<String> wanted = new java.util.HashSet<>(ids);
            for (Qacct.Record rec : Qacct.parse(r.stdout())) {
                if (wanted.contains(rec.executorId())) {
                    found.put(rec.executorId(), rec);
                }
            }
        }
        return found;
    }

    @Override
    public Optional<Duration> pollInterval() {
        return Optional.of(settings.pollInterval());
    }

    @Override
    public List<QueueLimits> queues() {
        return cluster().stream().map(SgeQueues.Queue::limits).toList();
    }

    private List<SgeQueues.Queue> cluster() {
        List<SgeQueues.Queue> q = queues;
        if (q == null) {
            q = SgeQueues.read(commands);
            queues = q;
        }
        return q;
    }

    @Override
    public Resources validate(Resources requested) {
        return SgeQueues.validate(requested, cluster(), settings.pe());
    }
}

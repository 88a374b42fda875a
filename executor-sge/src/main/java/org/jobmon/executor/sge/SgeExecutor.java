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
import org.jobmon.executor.batch.BatchExecutor;
import org.jobmon.executor.batch.SchedulerCommands;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs instances as Grid Engine jobs: {@code qsub} (an array job for the ready tasks of one template
 * with identical requests), one {@code qstat -xml} per poll for all of the run's jobs, the attempt's
 * exit record and then {@code qacct} for how a job ended, {@code qdel} in batches. Every command is an
 * argument list with a time limit; a qmaster that cannot be reached is a refusal for now (the engine
 * submits again later without spending an attempt) and a poll that fails changes nothing.
 */
final class SgeExecutor extends BatchExecutor<Qacct.Record> {
    private static final Logger log = LoggerFactory.getLogger(SgeExecutor.class);
    /**
     * What qsub prints when the qmaster never took the request (it cannot be reached, or a quota
     * refuses new jobs for now): safe to submit the same attempt again later. A qsub that timed out
     * or lost its answer may have created the job, so it is not among these.
     */
    private static final List<String> NOT_TAKEN = List.of("connection refused", "unable to contact qmaster", "no route to host",
            "qmaster is not alive", "got select error", "only allowed to submit", "would exceed", "max_u_jobs", "max_jobs");

    private final SgeSettings settings;
    private final String user = System.getProperty("user.name", "");
    private volatile List<SgeQueues.Queue> queues;

    SgeExecutor(ExecutorContext context) {
        this(context, SgeSettings.from(context.settings().extra()));
    }

    SgeExecutor(ExecutorContext context, SgeSettings settings) {
        super(context, new SchedulerCommands(settings.binDir(), settings.commandTimeout()), "sge-logs", settings.maxArraySize());
        this.settings = settings;
    }

    SchedulerCommands commands() {
        return commands;
    }

    @Override
    protected String scheduler() {
        return "Grid Engine";
    }

    @Override
    protected String executorIdWord(boolean arrayMember) {
        return arrayMember ? "\"$JOB_ID.$SGE_TASK_ID\"" : "\"$JOB_ID\"";
    }

    @Override
    protected String taskIndexVariable() {
        return "SGE_TASK_ID";
    }

    @Override
    protected SchedulerCommands.Result submitJob(InstanceRequest first, String name, int arraySize, Path script) {
        List<String> args = qsubArgs(first, name, arraySize);
        args.add(script.toString());
        return commands.run("qsub", args);
    }

    @Override
    protected Optional<String> jobId(String stdout) {
        String jobId = stdout.strip().lines().findFirst().orElse("");
        int dot = jobId.indexOf('.');
        String number = dot < 0 ? jobId : jobId.substring(0, dot);
        return number.matches("\\d+") ? Optional.of(number) : Optional.empty();
    }

    @Override
    protected String memberId(String jobId, int k) {
        return jobId + "." + k;
    }

    @Override
    protected String cancelProgram() {
        return "qdel";
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
    @Override
    protected String jobName(String name) {
        return safeJobName(name);
    }

    static String safeJobName(String name) {
        String n = name.replaceAll("[/:@\\\\*?\\s]", "_");
        if (n.isEmpty() || Character.isDigit(n.charAt(0))) {
            n = "j" + n;
        }
        return n.length() > 200 ? n.substring(0, 200) : n;
    }

    @Override
    protected boolean notTaken(SchedulerCommands.Result r) {
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
    protected Map<String, Qacct.Record> accounting(List<GoneInstance> gone) {
        Instant earliest = gone.stream().map(g -> scriptTime(g.instanceDir())).min(Instant::compareTo).orElse(Instant.now());
        return accounting(gone.stream().map(GoneInstance::executorId).toList(), Optional.of(earliest));
    }

    @Override
    protected Optional<ExitInfo> classify(GoneInstance g, Ended<Qacct.Record> e, Duration waited) {
        return SgeExits.classify(e.exit(), e.accounting(), g.requested(), e.host(), e.wallclock(), e.stderrTail(), vmemEnforced());
    }

    private boolean vmemEnforced() {
        return settings.memoryResources().contains("h_vmem");
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

package org.jobmon.executor.slurm;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jobmon.api.Resources;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.GoneInstance;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.QueueLimits;
import org.jobmon.executor.batch.BatchExecutor;
import org.jobmon.executor.batch.SchedulerCommands;

/**
 * Runs instances as Slurm jobs: {@code sbatch --parsable} (an array job for the ready tasks of one
 * template with identical requests), one {@code squeue} per poll for all of the run's jobs (named by
 * their job ids), the attempt's exit record and then one {@code sacct} for how the others ended,
 * {@code scancel} in batches. Requests map to {@code --cpus-per-task}, {@code --mem} (the whole job's),
 * {@code --time} (whole minutes, rounded up), {@code --partition} and {@code --account}.
 */
final class SlurmExecutor extends BatchExecutor<Sacct.Record> {
    /**
     * What Slurm's commands print when the controller did not take the request (it cannot be reached,
     * or a limit refuses new jobs for now): safe to submit the same attempt again later.
     */
    private static final List<String> NOT_TAKEN = List.of("unable to contact slurm controller", "connection refused",
            "socket timed out", "zero bytes were transmitted", "temporarily unable to accept job", "resource temporarily unavailable",
            "submit limit", "maxsubmitjob", "slurm_persist_conn_open");
    /** Above this many job ids, one squeue asks for all of the user's jobs instead of naming them. */
    private static final int MAX_NAMED_JOBS = 2000;

    private final SlurmSettings settings;
    private final Map<String, String> sbatchEnvironment;
    private final String user = System.getProperty("user.name", "");
    /** Ended jobs as squeue last listed them: their state when Slurm keeps no accounting. */
    private final Map<String, String> endedStates = new ConcurrentHashMap<>();
    private volatile SlurmPartitions partitions;

    SlurmExecutor(ExecutorContext context) {
        this(context, SlurmSettings.from(context.settings().extra()), System.getenv());
    }

    SlurmExecutor(ExecutorContext context, SlurmSettings settings, Map<String, String> environment) {
        super(context, new SchedulerCommands(settings.binDir(), settings.commandTimeout()), "slurm-logs", settings.maxArraySize());
        this.settings = settings;
        this.sbatchEnvironment = submissionEnvironment(environment);
    }

    /**
     * The environment sbatch runs with (and that jobs inherit: sbatch exports it): the controller's,
     * without the variables that describe the Slurm job the controller itself may run in
     * ({@code SLURM_JOB_ID}, {@code SLURM_MEM_PER_CPU}, ...). Left in, they would pass for the new
     * job's own (an inherited {@code SLURM_MEM_PER_CPU} beside the job's {@code SLURM_MEM_PER_NODE}
     * makes every {@code srun} in it fail). {@code SLURM_CONF} and {@code SBATCH_*} defaults stay.
     */
    static Map<String, String> submissionEnvironment(Map<String, String> environment) {
        Map<String, String> env = new HashMap<>();
        environment.forEach((k, v) -> {
            if (!k.startsWith("SLURM_") || k.equals("SLURM_CONF")) {
                env.put(k, v);
            }
        });
        return Map.copyOf(env);
    }

    SchedulerCommands commands() {
        return commands;
    }

    @Override
    protected String scheduler() {
        return "Slurm";
    }

    @Override
    protected String executorIdWord(boolean arrayMember) {
        return arrayMember ? "\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\"" : "\"$SLURM_JOB_ID\"";
    }

    @Override
    protected String taskIndexVariable() {
        return "SLURM_ARRAY_TASK_ID";
    }

    /** A job name without whitespace or control characters, at most 200 characters. */
    @Override
    protected String jobName(String name) {
        String n = name.replaceAll("[\\s\\p{Cntrl}%]", "_");
        if (n.isEmpty()) {
            n = "jobmon";
        }
        return n.length() > 200 ? n.substring(0, 200) : n;
    }

    @Override
    protected SchedulerCommands.Result submitJob(InstanceRequest first, String name, int arraySize, Path script) {
        List<String> args = sbatchArgs(first, name, arraySize);
        args.add(script.toString());
        return commands.run("sbatch", args, sbatchEnvironment);
    }

    /** sbatch's arguments for a job (or an array of {@code arraySize} members) with {@code r}'s resources. */
    List<String> sbatchArgs(InstanceRequest r, String name, int arraySize) {
        Resources res = r.resources();
        String log = logDir.resolve(arraySize > 0 ? "%x.%A_%a" : "%x.%j").toString();
        List<String> a = new ArrayList<>(List.of("--parsable", "--job-name=" + name, "--output=" + log + ".out", "--error=" + log + ".err",
                "--chdir=" + r.workingDir().orElse(context.workDir()).toAbsolutePath(),
                "--cpus-per-task=" + Math.max(1, res.numCores()), "--mem=" + Math.max(1, res.memoryMib()) + "M",
                "--time=" + SlurmTimes.minutes(res.maxRuntimeSeconds())));
        res.queue().ifPresent(q -> a.add("--partition=" + q));
        context.settings().project().ifPresent(p -> a.add("--account=" + p));
        if (arraySize > 0) {
            a.add("--array=1-" + arraySize);
        }
        a.addAll(settings.sbatchArgs());
        return a;
    }

    @Override
    protected Optional<String> jobId(String stdout) {
        // "123" or, on a federation, "123;cluster"
        String line = stdout.strip().lines().reduce((x, y) -> y).orElse("");
        String id = line.split(";", 2)[0].strip();
        return id.matches("\\d+") ? Optional.of(id) : Optional.empty();
    }

    @Override
    protected String memberId(String jobId, int k) {
        return jobId + "_" + k;
    }

    @Override
    protected boolean notTaken(SchedulerCommands.Result r) {
        String text = (r.stderr() + "\n" + r.stdout()).toLowerCase(Locale.ROOT);
        return NOT_TAKEN.stream().anyMatch(text::contains);
    }

    @Override
    protected String cancelProgram() {
        return "scancel";
    }

    /** {@code 123_4} to {@code 123}. */
    static String jobOf(String executorId) {
        int u = executorId.indexOf('_');
        return u < 0 ? executorId : executorId.substring(0, u);
    }

    @Override
    public Map<String, JobState> poll(Collection<String> executorIds) {
        if (executorIds.isEmpty()) {
            return Map.of();
        }
        Set<String> jobs = new LinkedHashSet<>();
        executorIds.forEach(id -> jobs.add(jobOf(id)));
        List<String> args = new ArrayList<>(List.of("-h", "-r", "-t", "all", "-o", Squeue.FORMAT));
        if (jobs.size() <= MAX_NAMED_JOBS) {
            args.add("--jobs=" + String.join(",", jobs));
        } else if (!user.isEmpty()) {
            args.add("--user=" + user);
        }
        SchedulerCommands.Result r = commands.run("squeue", args);
        List<Squeue.Listed> listed;
        if (r.ok()) {
            listed = Squeue.parse(r.stdout());
        } else if (!r.failedToRun() && r.stderr().contains("Invalid job id")) {
            listed = List.of(); // every job named has left Slurm's memory
        } else {
            throw new IllegalStateException("squeue failed: " + r.complaint());
        }
        Map<String, Squeue.Listed> byId = new HashMap<>();
        listed.forEach(l -> byId.put(l.executorId(), l));
        Map<String, JobState> states = new HashMap<>();
        for (String id : executorIds) {
            Squeue.Listed l = byId.get(id);
            if (l == null) {
                continue;
            }
            if (l.ended()) {
                endedStates.put(id, l.state());
            } else {
                states.put(id, Squeue.state(l));
            }
        }
        return states;
    }

    @Override
    protected Map<String, Sacct.Record> accounting(List<GoneInstance> gone) {
        Instant earliest = gone.stream().map(g -> scriptTime(g.instanceDir())).min(Instant::compareTo).orElse(Instant.now());
        Map<String, Sacct.Record> found = new HashMap<>(sacct(gone.stream().map(GoneInstance::executorId).toList(), Optional.of(earliest)));
        for (GoneInstance g : gone) {
            String state = endedStates.remove(g.executorId());
            if (state != null) {
                found.put(g.executorId(), settled(g.executorId(), found.get(g.executorId()), state));
            }
        }
        return found;
    }

    /**
     * The accounting record to judge a job by, given the ended state squeue last showed for it: sacct's,
     * unless sacct has not caught up yet (it can still say RUNNING or COMPLETING a few seconds after
     * squeue shows the job OUT_OF_MEMORY), when squeue's state replaces sacct's.
     */
    static Sacct.Record settled(String executorId, Sacct.Record fromSacct, String squeueState) {
        if (fromSacct == null) {
            return Sacct.Record.ofState(executorId, squeueState);
        }
        return SlurmExits.settled(fromSacct.state()) ? fromSacct : fromSacct.withState(squeueState);
    }

    private static final DateTimeFormatter SACCT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

    /**
     * One sacct for all of these jobs; none when Slurm keeps no accounting. {@code since}, when the jobs
     * were submitted, keeps out older jobs of the same ids (a controller that lost its state starts
     * numbering again while the accounting database keeps the old ones).
     */
    private Map<String, Sacct.Record> sacct(List<String> ids, Optional<Instant> since) {
        Set<String> jobs = new LinkedHashSet<>();
        ids.forEach(id -> jobs.add(jobOf(id)));
        List<String> args = new ArrayList<>(List.of("-n", "-P", "-o", Sacct.FORMAT, "--jobs=" + String.join(",", jobs)));
        since.ifPresent(t -> args.add("--starttime=" + SACCT_TIME.format(t.minus(Duration.ofHours(1)).atZone(ZoneId.systemDefault()))));
        SchedulerCommands.Result r = commands.run("sacct", args);
        if (r.failedToRun()) {
            // not an answer: the engine asks again at its next poll rather than calling the job lost
            throw new IllegalStateException("sacct did not answer: " + r.complaint());
        }
        if (!r.ok()) {
            if (notTaken(r)) {
                throw new IllegalStateException("sacct could not reach Slurm: " + r.complaint());
            }
            return Map.of(); // e.g. "Slurm accounting storage is disabled": squeue's last word is all there is
        }
        return Sacct.parse(r.stdout());
    }

    @Override
    protected Optional<ExitInfo> classify(GoneInstance g, Ended<Sacct.Record> e, Duration waited) {
        return SlurmExits.classify(e, g.requested(), outputPlaces(), waited);
    }

    @Override
    public ExitInfo exitInfo(String executorId) {
        Sacct.Record a = sacct(List.of(executorId), Optional.empty()).get(executorId);
        if (a == null) {
            String state = endedStates.remove(executorId);
            if (state == null) {
                return ExitInfo.lost("Slurm has no accounting record of job " + executorId);
            }
            a = Sacct.Record.ofState(executorId, state);
        }
        return SlurmExits.classify(new Ended<>(Optional.empty(), Optional.of(a), Optional.empty(), java.util.OptionalDouble.empty(), ""),
                Optional.empty(), outputPlaces(), SlurmExits.ACCOUNTING_GRACE).orElseGet(() -> ExitInfo.lost("job " + executorId
                        + " ended without a trace"));
    }

    /** The folder of Slurm's own job files, and the files sbatch_args name instead ("-o PATH", "--error=PATH"). */
    String outputPlaces() {
        List<String> places = new ArrayList<>();
        List<String> args = settings.sbatchArgs();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if ((a.equals("-o") || a.equals("-e") || a.equals("--output") || a.equals("--error")) && i + 1 < args.size()) {
                places.add(args.get(i + 1));
            } else if (a.startsWith("--output=") || a.startsWith("--error=")) {
                places.add(a.substring(a.indexOf('=') + 1));
            } else if ((a.startsWith("-o") || a.startsWith("-e")) && a.length() > 2) {
                places.add(a.substring(2));
            }
        }
        return places.isEmpty() ? "the folder " + logDir : String.join(" or ", places) + " (from sbatch_args) or the folder " + logDir;
    }

    @Override
    public Optional<Duration> pollInterval() {
        return Optional.of(settings.pollInterval());
    }

    @Override
    public List<QueueLimits> queues() {
        return cluster().partitions();
    }

    private SlurmPartitions cluster() {
        SlurmPartitions p = partitions;
        if (p == null) {
            p = SlurmPartitions.read(commands);
            partitions = p;
        }
        return p;
    }

    @Override
    public Resources validate(Resources requested) {
        return cluster().validate(requested);
    }
}

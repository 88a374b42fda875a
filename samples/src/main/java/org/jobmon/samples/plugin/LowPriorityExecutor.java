package org.jobmon.samples.plugin;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExitInfo;
import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.jobmon.api.executor.InstanceEvent;
import org.jobmon.api.executor.InstanceRequest;
import org.jobmon.api.executor.JobState;
import org.jobmon.api.executor.Submission;

/**
 * Runs each task instance as {@code nice -n 10 /bin/sh -c COMMAND} on a fixed pool of threads:
 * {@link #submit} queues the instances and returns at once; a pool thread starts one, reports
 * {@link InstanceEvent.Started}, waits for it and reports {@link InstanceEvent.Exited}.
 * The command runs in the request's working_dir; its stdout goes to the request's stdout file
 * (else nowhere) and its stderr to the request's stderr file (else {@code stderr} in the
 * instance's own folder), whose last lines become the error log of a failed attempt. Memory and
 * runtime requests are not enforced.
 *
 * <p>{@link #close()} (the run is over) stops the threads; processes still running keep running,
 * unwatched, as with Jobmon's own executors.
 */
public final class LowPriorityExecutor implements Executor {
    private static final int STDERR_TAIL_BYTES = 2048;

    private final ExecutorContext context;
    private final ExecutorService pool;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final String hostname = hostname();

    /** One instance: its request, and its process and ending once there are. */
    private static final class Job {
        final InstanceRequest request;
        final String executorId;
        /** Set by whoever gets the job first: a pool thread starting it, or terminate() dropping it. */
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile Process process;
        volatile boolean killRequested;
        volatile ExitInfo exit;

        Job(InstanceRequest request) {
            this.request = request;
            this.executorId = "nice-" + request.taskInstanceId();
        }
    }

    LowPriorityExecutor(ExecutorContext context, int threads) {
        this.context = context;
        this.pool = Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "jobmon-lowpriority");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public boolean reportsEvents() {
        return true;
    }

    @Override
    public List<Submission> submit(List<InstanceRequest> batch) {
        List<Submission> result = new ArrayList<>();
        for (InstanceRequest request : batch) {
            Job job = new Job(request);
            jobs.put(job.executorId, job);
            try {
                pool.execute(() -> run(job));
                result.add(Submission.accepted(request.taskInstanceId(), job.executorId));
            } catch (RejectedExecutionException e) {
                jobs.remove(job.executorId);
                result.add(Submission.refused(request.taskInstanceId(), "the lowpriority executor is closed"));
            }
        }
        return result;
    }

    /** On a pool thread: start the process, report, wait, report. */
    private void run(Job job) {
        if (!job.claimed.compareAndSet(false, true)) {
            return; // terminated while queued
        }
        InstanceRequest request = job.request;
        Path stderr = request.stderr().orElse(request.instanceDir().resolve("stderr")).toAbsolutePath();
        long start = System.nanoTime();
        try {
            ProcessBuilder builder = new ProcessBuilder("nice", "-n", "10", "/bin/sh", "-c", request.command());
            // The request's working_dir, else the workflow's, else the JVM's.
            request.workingDir().or(() -> context.settings().workingDir())
                    .ifPresent(d -> builder.directory(d.toFile()));
            builder.redirectInput(Redirect.from(new File("/dev/null")));
            builder.redirectOutput(request.stdout().isPresent() ? Redirect.appendTo(fileIn(request.stdout().get()))
                    : Redirect.DISCARD);
            builder.redirectError(Redirect.appendTo(fileIn(stderr)));
            // context_args become environment variables, as with Jobmon's local executors.
            request.resources().contextArgs().forEach((name, value) -> {
                if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    builder.environment().put(name, value);
                }
            });
            job.process = builder.start();
        } catch (IOException | RuntimeException e) { // no such working_dir, no nice, ...
            String why = String.valueOf(e.getMessage());
            finish(job, exit(ExitKind.APPLICATION_ERROR, OptionalInt.of(WRAPPER_FAILED_EXIT_CODE), why, 0,
                    "The command could not be started: " + why));
            return;
        }
        context.events().accept(new InstanceEvent.Started(request.taskInstanceId(), job.executorId, hostname,
                OptionalLong.of(job.process.pid())));
        if (job.killRequested) { // terminate() came while the process was being started
            kill(job.process);
        }
        int code;
        try {
            code = job.process.waitFor();
        } catch (InterruptedException e) { // close(): stop watching
            Thread.currentThread().interrupt();
            return;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (code == 0) {
            finish(job, exit(ExitKind.DONE, OptionalInt.of(0), "", seconds, "The command finished with exit code 0."));
        } else if (job.killRequested) {
            finish(job, exit(ExitKind.KILLED, OptionalInt.of(code), tail(stderr), seconds,
                    "Jobmon terminated the command."));
        } else {
            finish(job, exit(ExitKind.APPLICATION_ERROR, OptionalInt.of(code), tail(stderr), seconds,
                    "The command failed with exit code " + code + "."));
        }
    }

    private void finish(Job job, ExitInfo exit) {
        job.exit = exit;
        context.events().accept(new InstanceEvent.Exited(job.request.taskInstanceId(), job.executorId, exit));
    }

    private ExitInfo exit(ExitKind kind, OptionalInt code, String stderrTail, double seconds, String message) {
        return new ExitInfo(kind, code, Optional.empty(), stderrTail, Optional.of(hostname),
                seconds > 0 ? OptionalDouble.of(seconds) : OptionalDouble.empty(), OptionalLong.empty(), message);
    }

    @Override
    public Map<String, JobState> poll(Collection<String> executorIds) {
        Map<String, JobState> states = new HashMap<>();
        for (String id : executorIds) {
            Job job = jobs.get(id);
            if (job != null && job.exit == null) {
                states.put(id, job.process == null ? JobState.QUEUED : JobState.RUNNING);
            }
        }
        return states;
    }

    @Override
    public void terminate(Collection<String> executorIds) {
        for (String id : executorIds) {
            Job job = jobs.get(id);
            if (job == null || job.exit != null) {
                continue;
            }
            if (job.claimed.compareAndSet(false, true)) { // still queued: it will never start
                finish(job, exit(ExitKind.KILLED, OptionalInt.empty(), "", 0,
                        "The instance was terminated before it started."));
                continue;
            }
            job.killRequested = true; // run() checks this after it has set job.process
            Process process = job.process;
            if (process != null) {
                kill(process);
            }
        }
    }

    @Override
    public ExitInfo exitInfo(String executorId) {
        Job job = jobs.get(executorId);
        if (job == null) {
            return ExitInfo.lost("The lowpriority executor knows nothing about " + executorId + ".");
        }
        return job.exit != null ? job.exit : ExitInfo.lost(executorId + " has not ended yet.");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** Kills the shell and what it started (listed first: once the shell is dead they are orphans). */
    private static void kill(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** The file as a {@link File}, with its folder created. */
    private static File fileIn(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        return absolute.toFile();
    }

    /** The last 2 KiB of the stderr file, for the error log. */
    private static String tail(Path file) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long from = Math.max(0, f.length() - STDERR_TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

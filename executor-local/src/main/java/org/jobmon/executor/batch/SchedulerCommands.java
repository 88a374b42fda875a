package org.jobmon.executor.batch;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch scheduler's commands ({@code qsub}, {@code qstat}, {@code sbatch}, ...) as argument
 * lists, never through a shell, each with a time limit, and keeps a count per program (so that a
 * test or a report can tell how often the scheduler was asked). A command that cannot be started
 * or runs past its limit is a result like any other, with {@link Result#failedToRun()} set: callers
 * decide whether that is worth a retry.
 */
public final class SchedulerCommands {
    private static final Logger log = LoggerFactory.getLogger(SchedulerCommands.class);

    private final Optional<Path> binDir;
    private final Duration timeout;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();

    /**
     * @param binDir the folder the scheduler's programs are in; empty: found on the PATH
     * @param timeout how long one command may run before it is killed
     */
    public SchedulerCommands(Optional<Path> binDir, Duration timeout) {
        this.binDir = requireNonNull(binDir, "binDir is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    /**
     * What a command did.
     *
     * @param program the program's name
     * @param exitCode its exit code (-1 when it did not run or was killed)
     * @param stdout what it printed
     * @param stderr what it printed on stderr, or why it did not run
     * @param failedToRun true when it could not be started or ran past its time limit
     */
    public record Result(String program, int exitCode, String stdout, String stderr, boolean failedToRun) {
        public boolean ok() {
            return !failedToRun && exitCode == 0;
        }

        /** stderr, else stdout, on one line: for messages. */
        public String complaint() {
            String text = stderr.isBlank() ? stdout : stderr;
            text = text.strip().replaceAll("\\s*\\n\\s*", "; ");
            return text.isEmpty() ? program + " exited " + exitCode + " without a message" : text;
        }
    }

    /** Runs {@code program args...} with the default time limit. */
    public Result run(String program, List<String> args) {
        return run(program, args, null, timeout);
    }

    /** Runs {@code program args...}, feeding it {@code stdin} if not null, killed after {@code limit}. */
    public Result run(String program, List<String> args, String stdin, Duration limit) {
        return run(program, args, stdin, limit, null);
    }

    /** Runs {@code program args...} with exactly this environment instead of this process's. */
    public Result run(String program, List<String> args, Map<String, String> environment) {
        return run(program, args, null, timeout, requireNonNull(environment, "environment is null"));
    }

    private Result run(String program, List<String> args, String stdin, Duration limit, Map<String, String> environment) {
        calls.computeIfAbsent(program, p -> new AtomicLong()).incrementAndGet();
        String executable = binDir.map(d -> d.resolve(program).toString()).orElse(program);
        CommandLine line = new CommandLine(executable);
        for (String a : args) {
            line.addArgument(a, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(limit).get();
        DefaultExecutor executor = DefaultExecutor.builder().get();
        executor.setExitValues(null);
        executor.setWatchdog(watchdog);
        executor.setStreamHandler(stdin == null ? new PumpStreamHandler(out, err)
                : new PumpStreamHandler(out, err, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        long start = System.nanoTime();
        int code;
        try {
            code = environment == null ? executor.execute(line) : executor.execute(line, environment);
        } catch (ExecuteException e) {
            code = e.getExitValue();
        } catch (IOException e) {
            String why = binDir.isPresent() && !Files.isExecutable(Path.of(executable))
                    ? executable + " is not there or not executable: check the executor's bin_dir setting"
                    : "cannot run " + executable + ": " + e.getMessage();
            log.debug("{}", why);
            return new Result(program, -1, "", why, true);
        }
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        if (watchdog.killedProcess()) {
            return new Result(program, -1, stdout, program + " did not answer within " + limit.toSeconds() + " s and was killed"
                    + (stderr.isBlank() ? "" : ": " + stderr.strip()), true);
        }
        if (log.isDebugEnabled()) {
            log.debug("{} {} -> {} in {} ms", program, args.size() > 12 ? args.subList(0, 12) + "..." : args, code,
                    (System.nanoTime() - start) / 1_000_000);
        }
        return new Result(program, code, stdout, stderr, false);
    }

    /** How many times {@code program} was run by this instance. */
    public long calls(String program) {
        AtomicLong n = calls.get(program);
        return n == null ? 0 : n.get();
    }
}

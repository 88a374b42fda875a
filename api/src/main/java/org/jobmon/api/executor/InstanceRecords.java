package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The records an attempt leaves in its own folder ({@link InstanceRequest#instanceDir()}), and the
 * shell wrapper that writes them. Executors run every attempt under {@link #wrap}; the engine's
 * reconciler reads the records without a database connection on the compute side.
 *
 * <h2>Files</h2>
 * <ul>
 * <li>{@value #STARTED}: written by the wrapper when the command starts.</li>
 * <li>{@value #EXIT}: written by the wrapper after the command ends, before the wrapper exits.</li>
 * <li>{@value #KILL}: the KILL_SELF order, written by the engine ({@link #orderKill}).</li>
 * <li>{@value #STDERR}: the command's stderr when the request names no other file.</li>
 * </ul>
 *
 * <h2>Format</h2>
 * A record is lines of {@code key value}, the first {@code ti <task_instance_id>}, the last
 * {@code end}; a reader ignores keys it does not know. A record without its {@code end} line is
 * incomplete (still being written, or the writer died) and reads as absent, as does a record whose
 * {@code ti} is not the one asked for, so a stale record from another attempt is never taken for
 * this one.
 * <pre>
 * started:  ti 42 / pid 4711 / pgid 4711 / host node7 / start 123456 / executor 8812.3 / end
 *           (pgid only if the wrapper leads its process group; start, the wrapper's start time in clock
 *           ticks since boot as the kernel gives it in /proc/PID/stat, only where /proc exists;
 *           executor, the batch scheduler's id for the job, where the executor runs under one)
 * exit:     ti 42 / code 3 / end
 *           (ti 42 / code 137 / order kill / end: the wrapper found a kill order and did not start the command)
 * kill:     ti 42 / end
 * </pre>
 * A record's time is its file's modification time, which the write itself sets: the wrapper uses
 * only shell builtins, and POSIX sh (dash) has no builtin clock.
 */
public final class InstanceRecords {
    public static final String STARTED = "started";
    public static final String EXIT = "exit";
    public static final String KILL = "kill";
    public static final String STDERR = "stderr";

    /** How far a live process's start may be from its {@code started} record's time for it to be the same process. */
    static final Duration SAME_PROCESS_TOLERANCE = Duration.ofSeconds(5);
    private static final int MAX_RECORD_BYTES = 64 * 1024;
    private static final String END = "end";

    private InstanceRecords() {
    }

    /**
     * The {@code started} record.
     *
     * @param taskInstanceId the attempt
     * @param pid the wrapper shell's process id
     * @param processGroup the process group the wrapper leads (its pid), when it leads one
     * @param host where it runs, as the executor named it
     * @param time when the record was written (its file's modification time): the start
     * @param startTicks the wrapper's start time as its kernel recorded it (field 22 of
     *        /proc/PID/stat: clock ticks since boot), where the wrapper could read it
     * @param executorId the batch scheduler's id for the job it runs in, where there is one
     */
    public record Started(long taskInstanceId, long pid, OptionalLong processGroup, String host, Instant time,
            OptionalLong startTicks, Optional<String> executorId) {
        public Started {
            requireNonNull(processGroup, "processGroup is null");
            requireNonNull(host, "host is null");
            requireNonNull(time, "time is null");
            requireNonNull(startTicks, "startTicks is null");
            requireNonNull(executorId, "executorId is null");
        }

        public Started(long taskInstanceId, long pid, OptionalLong processGroup, String host, Instant time,
                OptionalLong startTicks) {
            this(taskInstanceId, pid, processGroup, host, time, startTicks, Optional.empty());
        }

        /** A record without the kernel's start time (written where /proc does not exist). */
        public Started(long taskInstanceId, long pid, OptionalLong processGroup, String host, Instant time) {
            this(taskInstanceId, pid, processGroup, host, time, OptionalLong.empty(), Optional.empty());
        }
    }

    /**
     * The {@code exit} record.
     *
     * @param taskInstanceId the attempt
     * @param exitCode the command's exit code (128+N if a signal N ended the command but not the wrapper;
     *        {@value Executor#WRAPPER_FAILED_EXIT_CODE} if the wrapper could not open stdout or stderr)
     * @param time when the record was written (its file's modification time): the end
     * @param refusedByKillOrder true when the wrapper found a kill order and never started the command
     */
    public record Exited(long taskInstanceId, int exitCode, Instant time, boolean refusedByKillOrder) {
        public Exited {
            requireNonNull(time, "time is null");
        }

        public Exited(long taskInstanceId, int exitCode, Instant time) {
            this(taskInstanceId, exitCode, time, false);
        }
    }

    /** The {@code started} record of attempt {@code tiId} in {@code dir}; empty if absent, incomplete or another attempt's. */
    public static Optional<Started> readStarted(Path dir, long tiId) {
        return read(dir.resolve(STARTED), tiId).flatMap(r -> {
            OptionalLong pid = number(r.fields.get("pid"));
            if (pid.isEmpty()) {
                return Optional.empty();
            }
            String host = r.fields.getOrDefault("host", "");
            String executor = r.fields.getOrDefault("executor", "");
            return Optional.of(new Started(tiId, pid.getAsLong(), number(r.fields.get("pgid")), host, r.time,
                    number(r.fields.get("start")), executor.isBlank() ? Optional.empty() : Optional.of(executor)));
        });
    }

    /** The {@code exit} record of attempt {@code tiId} in {@code dir}; empty if absent, incomplete or another attempt's. */
    public static Optional<Exited> readExit(Path dir, long tiId) {
        return read(dir.resolve(EXIT), tiId).flatMap(r -> {
            OptionalLong code = number(r.fields.get("code"));
            if (code.isEmpty() || code.getAsLong() > 255) {
                return Optional.empty();
            }
            return Optional.of(new Exited(tiId, (int) code.getAsLong(), r.time, "kill".equals(r.fields.get("order"))));
        });
    }

    /** True when {@code dir} holds a complete KILL_SELF order for attempt {@code tiId}. */
    public static boolean killOrdered(Path dir, long tiId) {
        return read(dir.resolve(KILL), tiId).isPresent();
    }

    /**
     * Orders attempt {@code tiId} to kill itself: writes the {@code kill} record (creating the folder
     * if need be) so that it appears complete or not at all. A wrapper that heartbeats, or the local
     * executor's monitor, acts on it.
     *
     * @throws UncheckedIOException when the record cannot be written
     */
    public static void orderKill(Path dir, long tiId) {
        Path target = dir.resolve(KILL);
        Path tmp = dir.resolve(KILL + ".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().getId());
        try {
            Files.createDirectories(dir);
            Files.write(tmp, ("ti " + tiId + "\n" + END + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original failure is what matters
            }
            throw new UncheckedIOException("Could not write the kill order for task instance " + tiId + " to "
                    + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * The live process on this machine that a {@code started} record describes: the process with
     * its pid, if that process started within a few seconds of the record (else the pid has been
     * reused by another process). Only meaningful on the host that wrote the record.
     */
    public static Optional<ProcessHandle> process(Started started) {
        Optional<ProcessHandle> p = ProcessHandle.of(started.pid());
        if (p.isEmpty()) {
            return p;
        }
        if (started.startTicks().isPresent()) {
            OptionalLong now = kernelStartTicks(started.pid());
            if (now.isPresent()) {
                // what the attempt recorded itself against what the same kernel says: no clock compared
                return now.getAsLong() == started.startTicks().getAsLong() ? p : Optional.empty();
            }
        }
        // no kernel start time on one side: the record's file time against the process's start
        // (a file server's clock may differ from this machine's; hence the record's own start above)
        return p.filter(h -> h.info().startInstant()
                .map(t -> Duration.between(t, started.time()).abs().compareTo(SAME_PROCESS_TOLERANCE) <= 0)
                .orElse(false));
    }

    /**
     * Field 22 of /proc/PID/stat (the process's start, in clock ticks since boot), where /proc
     * exists; -1 for a process that has ended and waits to be reaped (a zombie is not running).
     */
    static OptionalLong kernelStartTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may itself hold spaces or ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            if (rest.length <= 19) {
                return OptionalLong.empty();
            }
            boolean ended = rest[0].equals("Z") || rest[0].equals("X");
            return OptionalLong.of(ended ? -1 : Long.parseLong(rest[19]));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The wrapper for one attempt: a POSIX sh script (dash, bash, ksh) to run with {@code sh -c}.
     * It writes {@code started}, redirects its own stdout and stderr, runs {@code command}, writes
     * {@code exit} and exits with the command's code; with {@value Executor#WRAPPER_FAILED_EXIT_CODE}
     * if it cannot write {@code started} or {@code exit} or open stdout or stderr (then the command
     * does not run). Its own steps are builtins only: it starts no process of its own.
     *
     * <p>The command runs in the wrapper shell itself, with an EXIT trap that writes the exit record,
     * so the command's own {@code exit N}, a {@code set -e} failure or a syntax error in it still
     * leave one, and a command made of builtins costs no extra process. A command that mentions
     * {@code exec} or {@code trap} (which could replace the shell or its trap) runs in a subshell
     * instead, at the cost of one fork when it is all builtins; after that only an {@code exec}
     * hidden in a sourced file or an {@code eval} can skip the record.
     *
     * <p>Shell complaints about {@code started} go to the wrapper's original stderr; later ones go
     * to the command's stderr file. The wrapper defines one shell function, {@code jobmon_exit}.
     *
     * @param tiId the attempt's task instance id, written into every record
     * @param instanceDir the attempt's folder; must exist when the script runs
     * @param host the host to record; blank means the script's {@code $HOSTNAME} (set by Grid Engine and
     *        bash), else "unknown"
     * @param command the user's shell command
     * @param stdout the file stdout is appended to; empty means {@code /dev/null}
     * @param stderr the file stderr is appended to; empty means {@value #STDERR} in {@code instanceDir}
     * @param leadsProcessGroup whether the shell is started as the leader of its own process group
     *        (with {@code setsid}, or by the batch system): then {@code started} records it as {@code pgid}
     */
    public static String wrap(long tiId, Path instanceDir, String host, String command, Optional<Path> stdout,
            Optional<Path> stderr, boolean leadsProcessGroup) {
        return wrap(tiId, instanceDir, host, command, stdout, stderr, leadsProcessGroup, "");
    }

    /**
     * {@link #wrap(long, Path, String, String, Optional, Optional, boolean)} for an attempt that runs
     * as a batch job: its {@code started} record also carries the scheduler's job id
     * ({@code executorIdWord}, a shell word the job expands, such as {@code "$JOB_ID"}), and it does
     * not start the command when a kill order for it is already there (a job that waited in a queue
     * while its run was cold-resumed): then it writes an exit record with code 137 and
     * {@code order kill}.
     */
    public static String wrap(long tiId, Path instanceDir, String host, String command, Optional<Path> stdout,
            Optional<Path> stderr, boolean leadsProcessGroup, String executorIdWord) {
        requireNonNull(host, "host is null");
        requireNonNull(executorIdWord, "executorIdWord is null");
        requireNonNull(command, "command is null");
        if (host.indexOf('\n') >= 0 || host.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("host name with a line break: " + host);
        }
        Path dir = instanceDir.toAbsolutePath();
        String started = shellQuote(dir.resolve(STARTED).toString());
        String exit = shellQuote(dir.resolve(EXIT).toString());
        String out = stdout.map(p -> ">>" + shellQuote(p.toAbsolutePath().toString())).orElse(">/dev/null");
        String err = shellQuote(stderr.orElseGet(() -> dir.resolve(STDERR)).toAbsolutePath().toString());
        String hostWord = host.isBlank() ? "\"${HOSTNAME:-unknown}\"" : shellQuote(host);
        int failed = Executor.WRAPPER_FAILED_EXIT_CODE;
        String body = command.isBlank() ? ":" : command;

        StringBuilder s = new StringBuilder(body.length() + 512);
        if (!executorIdWord.isEmpty()) {
            // a job that waited in a queue while its run handed over must not start: read the kill order with builtins
            String kill = shellQuote(dir.resolve(KILL).toString());
            s.append("if [ -f ").append(kill).append(" ] && { read -r jobmon_k <").append(kill)
                    .append("; [ \"$jobmon_k\" = 'ti ").append(tiId).append("' ]; }; then printf 'ti ").append(tiId)
                    .append("\\ncode 137\\norder kill\\nend\\n' >").append(exit).append("; exit 137; fi\n");
        }
        // The wrapper's own start time as the kernel has it (field 22 of /proc/$$/stat), read with
        // builtins only; the function keeps the script's positional parameters untouched.
        s.append("jobmon_ticks=\njobmon_start() { set -- $1; [ $# -gt 19 ] && shift 19 && jobmon_ticks=$1; }\n")
                .append("if read -r jobmon_st 2>/dev/null </proc/$$/stat; then jobmon_start \"${jobmon_st##*) }\"; fi\n");
        s.append("printf 'ti ").append(tiId).append("\\npid %s\\n")
                .append(leadsProcessGroup ? "pgid %s\\n" : "").append("host %s\\nstart %s\\n")
                .append(executorIdWord.isEmpty() ? "" : "executor %s\\n").append("end\\n' \"$$\" ")
                .append(leadsProcessGroup ? "\"$$\" " : "").append(hostWord).append(" \"$jobmon_ticks\"")
                .append(executorIdWord.isEmpty() ? "" : " " + executorIdWord)
                .append(" >").append(started).append(" || exit ").append(failed).append('\n');
        // "command" keeps a failed redirection from ending the shell, so it can record and exit 199.
        s.append("command exec ").append(out).append(" 2>>").append(err).append(" || { printf 'ti ").append(tiId)
                .append("\\ncode ").append(failed).append("\\nend\\n' >").append(exit).append("; exit ")
                .append(failed).append("; }\n");
        s.append("jobmon_exit() { printf 'ti ").append(tiId).append("\\ncode %s\\nend\\n' \"$1\" >").append(exit)
                .append(" || exit ").append(failed).append("; exit \"$1\"; }\n");
        // eval: the shell's own complaints about the command (command not found, a syntax error) give
        // the line of the command, not of this script ("NAME: 1: eval: nosuchcmd: not found")
        String run = "eval " + shellQuote(body);
        if (needsSubshell(body)) {
            s.append("(\n").append(run).append("\n)\njobmon_exit \"$?\"\n");
        } else {
            s.append("trap 'jobmon_exit \"$?\"' EXIT\n").append(run).append('\n');
        }
        return s.toString();
    }

    /** Whether a command could replace the wrapper shell or its EXIT trap, so must run in a subshell. */
    static boolean needsSubshell(String command) {
        return command.contains("exec") || command.contains("trap");
    }

    /** {@link #wrap} for a request, its stdout and stderr. */
    public static String wrap(InstanceRequest request, String host, boolean leadsProcessGroup) {
        return wrap(request.taskInstanceId(), request.instanceDir(), host, request.command(), request.stdout(),
                request.stderr(), leadsProcessGroup);
    }

    /** Single-quotes a word for the POSIX shell: {@code it's} becomes {@code 'it'\''s'}. */
    public static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private record Record(Map<String, String> fields, Instant time) {
    }

    /** A complete record of attempt {@code tiId} in {@code file}, or empty. */
    private static Optional<Record> read(Path file, long tiId) {
        byte[] bytes;
        Instant time;
        try {
            time = Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toInstant();
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return Optional.empty(); // absent, or unreadable: no record
        }
        if (bytes.length > MAX_RECORD_BYTES) {
            return Optional.empty();
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith("ti ") || !text.endsWith("\n" + END + "\n")) {
            return Optional.empty();
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : text.substring(0, text.length() - END.length() - 2).split("\n", -1)) {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            fields.putIfAbsent(key, space < 0 ? "" : line.substring(space + 1));
        }
        OptionalLong ti = number(fields.get("ti"));
        if (ti.isEmpty() || ti.getAsLong() != tiId) {
            return Optional.empty();
        }
        return Optional.of(new Record(fields, time));
    }

    private static OptionalLong number(String value) {
        if (value == null || value.isEmpty() || value.length() > 19) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}

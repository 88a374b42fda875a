package org.jobmon.executor.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;

/**
 * The scripts a batch executor submits: one per attempt, in the attempt's own folder, that runs the
 * user's command under the instance wrapper ({@link InstanceRecords#wrap}); and, for an array job,
 * a dispatcher that runs the script of the member the scheduler's task index names. Everything a
 * job runs is in files on the shared filesystem: nothing of the user's is ever put on a command line.
 */
public final class JobScripts {
    /** The file name of an attempt's job script. */
    public static final String JOB_SCRIPT = "job.sh";

    private JobScripts() {
    }

    /**
     * Creates the attempt's folder and writes its job script there.
     *
     * @param executorIdWord a shell word that expands, inside the job, to the scheduler's id for it
     *     (recorded in the {@code started} record), e.g. {@code "$JOB_ID"}
     * @return the script
     */
    public static Path writeMember(InstanceRequest r, String executorIdWord) throws IOException {
        Path dir = r.instanceDir().toAbsolutePath();
        Files.createDirectories(dir);
        for (Path p : List.of(r.stdout(), r.stderr()).stream().flatMap(java.util.Optional::stream).toList()) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        StringBuilder s = new StringBuilder("#!/bin/sh\n");
        r.workingDir().ifPresent(d -> s.append("cd ").append(InstanceRecords.shellQuote(d.toAbsolutePath().toString()))
                .append(" || exit ").append(Executor.WRAPPER_FAILED_EXIT_CODE).append('\n'));
        s.append(InstanceRecords.wrap(r.taskInstanceId(), dir, "", r.command(), r.stdout(), r.stderr(), false, executorIdWord));
        Path script = dir.resolve(JOB_SCRIPT);
        Files.writeString(script, s, StandardCharsets.UTF_8);
        return script;
    }

    /**
     * Writes an array job's dispatcher to {@code file}: member {@code k} (1-based, the scheduler's
     * task index in {@code taskIndexVariable}) runs {@code members.get(k - 1)} with {@code /bin/sh}.
     */
    public static Path writeArray(Path file, String taskIndexVariable, List<Path> members) throws IOException {
        StringBuilder s = new StringBuilder("#!/bin/sh\ncase \"$").append(taskIndexVariable).append("\" in\n");
        for (int k = 0; k < members.size(); k++) {
            s.append(k + 1).append(") exec /bin/sh ").append(InstanceRecords.shellQuote(members.get(k).toAbsolutePath().toString()))
                    .append(" ;;\n");
        }
        s.append("esac\necho \"no member $").append(taskIndexVariable).append(" in this array job\" >&2\nexit ")
                .append(Executor.WRAPPER_FAILED_EXIT_CODE).append('\n');
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, s, StandardCharsets.UTF_8);
        return file;
    }
}

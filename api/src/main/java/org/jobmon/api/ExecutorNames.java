package org.jobmon.api;

import java.util.Locale;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * Executor names: the seed's class names ({@code SequentialExecutor}, {@code MultiprocessExecutor},
 * {@code SGEExecutor}, {@code SlurmExecutor}) and short names ({@code sequential}, {@code multiprocess}, {@code sge},
 * {@code slurm}) name
 * the same plugin. Normalised names are lower case without an "executor" suffix.
 */
public final class ExecutorNames {
    public static final String SEQUENTIAL = "sequential";
    public static final String MULTIPROCESS = "multiprocess";
    public static final String SGE = "sge";
    public static final String SLURM = "slurm";

    private ExecutorNames() {
    }

    public static String normalize(String name) {
        if (name == null || name.isBlank()) {
            throw new JobmonException(ErrorCode.UNKNOWN_EXECUTOR,
                    "executor name '" + name + "' is blank: use sequential, multiprocess, sge, slurm or a plugin's name");
        }
        String n = name.trim();
        int dot = n.lastIndexOf('.');
        if (dot >= 0) {
            n = n.substring(dot + 1);
        }
        n = n.toLowerCase(Locale.ROOT);
        if (n.endsWith("executor") && n.length() > "executor".length()) {
            n = n.substring(0, n.length() - "executor".length());
        }
        return n.replace("_", "").replace("-", "");
    }
}

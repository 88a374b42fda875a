package org.jobmon.executor.sge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

/**
 * The Grid Engine executor's settings, from the workflow's executor settings ({@code executor_config}
 * in a spec). Every key is optional:
 * <ul>
 * <li>{@code pe}: the parallel environment for num_cores above 1 (default {@code smp});</li>
 * <li>{@code memory}: which resources carry m_mem_free, per slot: {@code m_mem_free}, {@code h_vmem} or
 * both, comma-separated (default {@code m_mem_free}; {@code h_vmem} is what Grid Engine enforces);</li>
 * <li>{@code qsub_args}: more qsub arguments, appended as given (split at spaces; quotes keep spaces);</li>
 * <li>{@code bin_dir}: the folder of qsub, qstat, qacct, qdel and qconf (default: the PATH);</li>
 * <li>{@code poll_interval}: how often one qstat asks about all of the run's jobs (default 10s);</li>
 * <li>{@code max_array_size}: most members of one array job (default 500);</li>
 * <li>{@code command_timeout}: how long one Grid Engine command may take (default 30s; the run's lease,
 * 93 s by default, is renewed between commands, never during one).</li>
 * </ul>
 */
record SgeSettings(String pe, List<String> memoryResources, List<String> qsubArgs, Optional<Path> binDir, Duration pollInterval,
        int maxArraySize, Duration commandTimeout) {

    static final Set<String> KEYS = Set.of("pe", "memory", "qsub_args", "bin_dir", "poll_interval", "max_array_size",
            "command_timeout");
    private static final Set<String> MEMORY = Set.of("m_mem_free", "h_vmem");

    static SgeSettings from(Map<String, String> extra) {
        Set<String> unknown = new TreeSet<>(extra.keySet());
        unknown.removeAll(KEYS);
        unknown.remove(org.jobmon.api.ExecutorSettings.RUN_ROOT); // the engine's
        if (!unknown.isEmpty()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the sge executor has no setting " + String.join(", ", unknown)
                    + ": its settings are " + String.join(", ", new TreeSet<>(KEYS)) + " (and stdout, stderr, project, working_dir, run_root)");
        }
        String pe = extra.getOrDefault("pe", "smp").trim();
        if (pe.isEmpty() || !pe.matches("[A-Za-z0-9_.-]+")) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the sge setting pe '" + pe
                    + "' is not a parallel environment name: use the name qconf -spl lists, e.g. pe: smp");
        }
        List<String> memory = new ArrayList<>();
        for (String m : extra.getOrDefault("memory", "m_mem_free").split(",")) {
            String r = m.trim().toLowerCase(Locale.ROOT);
            if (!MEMORY.contains(r)) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the sge setting memory '" + extra.get("memory")
                        + "' names '" + m.trim() + "': use m_mem_free, h_vmem or m_mem_free,h_vmem");
            }
            if (!memory.contains(r)) {
                memory.add(r);
            }
        }
        return new SgeSettings(pe, List.copyOf(memory), words(extra.getOrDefault("qsub_args", "")),
                Optional.ofNullable(extra.get("bin_dir")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of),
                duration("poll_interval", extra.getOrDefault("poll_interval", "10s")),
                positive("max_array_size", extra.getOrDefault("max_array_size", "500")),
                duration("command_timeout", extra.getOrDefault("command_timeout", "30s")));
    }

    /** Splits at spaces; single or double quotes keep spaces inside a word. No other shell syntax. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the sge setting qsub_args '" + text + "' has an unclosed " + quote
                    + ": close it, or leave quotes out");
        }
        if (inWord) {
            words.add(w.toString());
        }
        return List.copyOf(words);
    }

    private static int positive(String key, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the sge setting " + key + " '" + value
                + "' is not a whole number of 1 or more");
    }

    static Duration duration(String key, String text) {
        return org.jobmon.api.Durations.parse("the sge setting " + key, text);
    }
}

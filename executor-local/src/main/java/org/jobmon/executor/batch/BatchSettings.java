package org.jobmon.executor.batch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jobmon.api.Durations;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

/**
 * The settings every batch-scheduler executor shares, read from a workflow's executor settings
 * ({@code executor_config} in a spec), with errors that name the executor, the key and the fix:
 * <ul>
 * <li>{@code bin_dir}: the folder of the scheduler's programs (default: the PATH);</li>
 * <li>{@code poll_interval}: how often one status command asks about all of the run's jobs (default 10s);</li>
 * <li>{@code max_array_size}: most members of one array job;</li>
 * <li>{@code command_timeout}: how long one scheduler command may take (default 30s; the run's lease
 * is renewed between commands, never during one);</li>
 * <li>the submit command's extra arguments under the executor's own key ({@code qsub_args},
 * {@code sbatch_args}), split at spaces, quotes keeping spaces.</li>
 * </ul>
 *
 * @param executor the executor's name, for messages
 * @param extra the settings as given
 */
public record BatchSettings(String executor, Map<String, String> extra) {
    /** The keys every batch executor takes. */
    public static final Set<String> COMMON = Set.of("bin_dir", "poll_interval", "max_array_size", "command_timeout");

    /**
     * Checks that every key is one of {@link #COMMON}, {@code own} or the engine's ({@code run_root}).
     *
     * @throws JobmonException naming the unknown keys and the known ones
     */
    public static BatchSettings of(String executor, Map<String, String> extra, Set<String> own) {
        Set<String> known = new TreeSet<>(COMMON);
        known.addAll(own);
        Set<String> unknown = new TreeSet<>(extra.keySet());
        unknown.removeAll(known);
        unknown.remove(ExecutorSettings.RUN_ROOT);
        if (!unknown.isEmpty()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the " + executor + " executor has no setting " + String.join(", ", unknown)
                    + ": its settings are " + String.join(", ", known) + " (and stdout, stderr, project, working_dir, run_root)");
        }
        return new BatchSettings(executor, Map.copyOf(extra));
    }

    /** A setting as given, trimmed, or {@code dflt}. */
    public String text(String key, String dflt) {
        return extra.getOrDefault(key, dflt).trim();
    }

    public Optional<Path> binDir() {
        return Optional.ofNullable(extra.get("bin_dir")).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of);
    }

    public Duration pollInterval() {
        return duration("poll_interval", "10s");
    }

    public Duration commandTimeout() {
        return duration("command_timeout", "30s");
    }

    public int maxArraySize(int dflt) {
        return positive("max_array_size", dflt);
    }

    /** The command runner these settings describe. */
    public SchedulerCommands commands() {
        return new SchedulerCommands(binDir(), commandTimeout());
    }

    public Duration duration(String key, String dflt) {
        return Durations.parse("the " + executor + " setting " + key, extra.getOrDefault(key, dflt));
    }

    /** A whole number of 1 or more. */
    public int positive(String key, int dflt) {
        String value = extra.getOrDefault(key, Integer.toString(dflt));
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the " + executor + " setting " + key + " '" + value
                + "' is not a whole number of 1 or more");
    }

    /** The words of setting {@code key} (none when absent). */
    public List<String> argsSetting(String key) {
        String text = extra.getOrDefault(key, "");
        try {
            return words(text);
        } catch (IllegalArgumentException e) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the " + executor + " setting " + key + " '" + text + "' has an unclosed "
                    + e.getMessage() + ": close it, or leave quotes out");
        }
    }

    /**
     * Splits at spaces; single or double quotes keep spaces inside a word. No other shell syntax.
     *
     * @throws IllegalArgumentException with the unclosed quote character as its message
     */
    public static List<String> words(String text) {
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
            throw new IllegalArgumentException(String.valueOf(quote));
        }
        if (inWord) {
            words.add(w.toString());
        }
        return List.copyOf(words);
    }
}

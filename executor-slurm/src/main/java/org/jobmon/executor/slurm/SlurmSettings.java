package org.jobmon.executor.slurm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jobmon.executor.batch.BatchSettings;

/**
 * The Slurm executor's settings, from the workflow's executor settings ({@code executor_config} in a
 * spec). Every key is optional: {@code sbatch_args} (more sbatch arguments, appended as given, split
 * at spaces, quotes keeping spaces), and those of every batch executor ({@link BatchSettings}):
 * {@code bin_dir}, {@code poll_interval} (default 10s), {@code max_array_size} (default 1000, below
 * Slurm's default MaxArraySize of 1001) and {@code command_timeout} (default 30s).
 */
record SlurmSettings(List<String> sbatchArgs, Optional<Path> binDir, Duration pollInterval, int maxArraySize, Duration commandTimeout) {

    static SlurmSettings from(Map<String, String> extra) {
        BatchSettings b = BatchSettings.of("slurm", extra, Set.of("sbatch_args"));
        return new SlurmSettings(b.argsSetting("sbatch_args"), b.binDir(), b.pollInterval(), b.maxArraySize(1000), b.commandTimeout());
    }
}

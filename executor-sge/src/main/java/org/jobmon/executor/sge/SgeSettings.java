package org.jobmon.executor.sge;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.executor.batch.BatchSettings;

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

    private static final Set<String> MEMORY = Set.of("m_mem_free", "h_vmem");

    static SgeSettings from(Map<String, String> extra) {
        BatchSettings b = BatchSettings.of("sge", extra, Set.of("pe", "memory", "qsub_args"));
        String pe = b.text("pe", "smp");
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
        return new SgeSettings(pe, List.copyOf(memory), b.argsSetting("qsub_args"), b.binDir(), b.pollInterval(), b.maxArraySize(500),
                b.commandTimeout());
    }
}

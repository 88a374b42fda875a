package org.jobmon.executor.multiprocess;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.executor.local.SlotQueueExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs many instances at once on this machine. It offers N slots (the number of processors unless
 * the executor setting {@code slots} or the engine config {@code multiprocess.slots} says otherwise);
 * an instance asking for k cores holds k slots. Instances start in submission order: the head of
 * the queue waits for enough free slots and nothing overtakes it.
 */
public final class MultiprocessExecutor extends SlotQueueExecutor {
    /** The executor setting ({@code ExecutorSettings.extra()}) that sets the number of slots. */
    public static final String SLOTS_SETTING = "slots";
    /** The engine config key that sets the number of slots when the workflow does not. */
    public static final String SLOTS_CONFIG = "multiprocess.slots";

    private static final Logger log = LoggerFactory.getLogger(MultiprocessExecutor.class);

    public MultiprocessExecutor(ExecutorContext context) {
        super(context, ExecutorNames.MULTIPROCESS, slotsFrom(context));
    }

    /** The workflow's {@code slots} setting, else the engine's {@code multiprocess.slots}, else the processors. */
    static int slotsFrom(ExecutorContext context) {
        return slotsFrom(context.settings().extra(), context.config());
    }

    /** The slots from the workflow's settings, else the engine's config, else the processors. */
    static int slotsFrom(java.util.Map<String, String> settings, java.util.Map<String, String> config) {
        String fromSettings = settings.get(SLOTS_SETTING);
        if (fromSettings != null) {
            return parseSlots(fromSettings, "executor setting '" + SLOTS_SETTING + "'");
        }
        String fromConfig = settings.containsKey(SLOTS_CONFIG) ? settings.get(SLOTS_CONFIG) : config.get(SLOTS_CONFIG);
        if (fromConfig != null) {
            return parseSlots(fromConfig, "engine config '" + SLOTS_CONFIG + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }

    static int parseSlots(String value, String source) {
        int slots;
        try {
            slots = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            slots = 0;
        }
        if (slots < 1) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "The multiprocess " + source + " is '" + value
                    + "', which is not a whole number of slots: set it to 1 or more, e.g. " + SLOTS_SETTING + "=4.");
        }
        return slots;
    }

    /**
     * Caps num_cores at the number of slots (a bigger request would wait forever), and memory at
     * this machine's (a request grown after a memory kill); the engine refused a bigger request
     * before the run started.
     */
    @Override
    public Resources validate(Resources requested) {
        Resources r = fitCores(requested, slots());
        long machine = machineMemoryMib();
        if (machine > 0 && r.memoryMib() > machine) {
            log.debug("m_mem_free {}M capped at this machine's {}M", r.memoryMib(), machine);
            r = r.withMemoryMib(machine);
        }
        return r;
    }

    /** num_cores at most {@code slots}; refused below 1. */
    static Resources fitCores(Resources requested, int slots) {
        if (requested.numCores() < 1) {
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, "num_cores is " + requested.numCores()
                    + ", but a task needs at least 1 core: set num_cores to 1 or more.");
        }
        if (requested.numCores() > slots) {
            log.debug("num_cores {} capped at the multiprocess executor's {} slot(s)", requested.numCores(), slots);
            return requested.withNumCores(slots);
        }
        return requested;
    }

    @Override
    protected int slotsFor(Resources resources) {
        return resources.numCores();
    }
}

package org.jobmon.samples.plugin;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;

/**
 * The {@code lowpriority} executor plugin: runs each task on this machine under {@code nice}, a few
 * at a time, so that a workflow does not crowd out interactive work.
 *
 * <p>A plugin is this class plus the executor it creates, registered for {@link java.util.ServiceLoader}
 * in {@code META-INF/services/org.jobmon.api.executor.ExecutorFactory}. A workflow selects it by
 * name: {@code workflow.setExecutor("lowpriority")}, or {@code executor: lowpriority} in a spec file.
 * Its settings (in a spec: {@code executor_config: {slots: 4, niceness: 19}}): {@code slots},
 * how many cores its tasks may use at once (default {@value #DEFAULT_SLOTS}; a task asking for k
 * cores takes k), and {@code niceness}, from 1 to 19 (default {@value #DEFAULT_NICENESS}).
 */
public final class LowPriorityExecutorFactory implements ExecutorFactory {
    /** The name workflows select this executor by. */
    public static final String NAME = "lowpriority";
    public static final String SLOTS_SETTING = "slots";
    public static final String NICENESS_SETTING = "niceness";
    public static final int DEFAULT_SLOTS = 2;
    public static final int DEFAULT_NICENESS = 10;

    @Override
    public String name() {
        return NAME;
    }

    /** Checks the settings before anything of the run is written: a bad one refuses the run. */
    @Override
    public Preflight preflight(ExecutorSettings settings) {
        LowPriorityExecutor.requireOnly(settings, SLOTS_SETTING, NICENESS_SETTING);
        slots(settings);
        niceness(settings);
        return requested -> requested; // no queues, so every request is taken as it is
    }

    /** Called once per workflow run; the executor lives until the run ends. */
    @Override
    public Executor create(ExecutorContext context) {
        return new LowPriorityExecutor(context, slots(context.settings()), niceness(context.settings()));
    }

    static int slots(ExecutorSettings settings) {
        return settings.intSetting(SLOTS_SETTING, DEFAULT_SLOTS, 1, 1024);
    }

    static int niceness(ExecutorSettings settings) {
        return settings.intSetting(NICENESS_SETTING, DEFAULT_NICENESS, 1, 19);
    }
}

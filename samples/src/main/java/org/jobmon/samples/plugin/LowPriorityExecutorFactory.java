package org.jobmon.samples.plugin;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.ExecutorContext;
import org.jobmon.api.executor.ExecutorFactory;

/**
 * The {@code lowpriority} executor plugin: runs each task on this machine under
 * {@code nice -n 10}, a few at a time, so a workflow does not crowd out interactive work.
 *
 * <p>A plugin is this class plus the executor it creates, registered for {@link java.util.ServiceLoader}
 * in {@code META-INF/services/org.jobmon.api.executor.ExecutorFactory}. A workflow selects it by
 * name: {@code workflow.setExecutor("lowpriority")}, or {@code executor: lowpriority} in a spec file.
 * The executor setting {@code threads} (in a spec: {@code executor_config: {threads: 4}}) sets how
 * many tasks run at once; the default is {@value #DEFAULT_THREADS}.
 */
public final class LowPriorityExecutorFactory implements ExecutorFactory {
    /** The name workflows select this executor by. */
    public static final String NAME = "lowpriority";
    /** The executor setting with the number of tasks to run at once. */
    public static final String THREADS_SETTING = "threads";
    public static final int DEFAULT_THREADS = 2;

    @Override
    public String name() {
        return NAME;
    }

    /** Called once per workflow run; the executor lives until the run ends. */
    @Override
    public Executor create(ExecutorContext context) {
        String threads = context.settings().extra().getOrDefault(THREADS_SETTING, String.valueOf(DEFAULT_THREADS));
        try {
            int n = Integer.parseInt(threads.trim());
            if (n >= 1) {
                return new LowPriorityExecutor(context, n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the lowpriority executor's setting '" + THREADS_SETTING
                + "' is '" + threads + "': give a whole number of tasks to run at once, 1 or more");
    }
}

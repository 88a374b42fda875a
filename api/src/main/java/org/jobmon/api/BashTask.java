package org.jobmon.api;

import java.util.List;

/**
 * A one-off shell command as a task, as the seed's {@code BashTask("echo task1")}. The command is
 * the task's node arg, so two BashTasks with the same command are the same node. Set resources,
 * upstreams and attempts on the returned builder.
 */
public final class BashTask {
    static final Tool TOOL = Tool.create("unknown");
    private static final TaskTemplate TEMPLATE = TOOL.getTaskTemplate("bash_task", "{command}", List.of("command"),
            List.of(), List.of());

    private BashTask() {
    }

    /** A task builder for {@code command}; {@code BashTask.builder("sleep 10").upstream(t1).build()}. */
    public static Task.Builder builder(String command) {
        return TEMPLATE.createTask().arg("command", command);
    }

    /** A task running {@code command} with default resources and 3 attempts. */
    public static Task create(String command) {
        return builder(command).build();
    }
}

package org.jobmon.engine.bind;

import java.util.List;
import java.util.Map;

import org.jobmon.api.Task;

/**
 * Each task's node args hash and task args hash, by the task's position. Tasks without task args
 * (most of them in most workflows) share one string rather than a copy each.
 */
record TaskHashes(String[] node, String[] taskArgs) {
    private static final String NO_NODE_ARGS = IdentityHash.of("node").add(Map.of()).hex();
    private static final String NO_TASK_ARGS = IdentityHash.of("task_args").add(Map.of()).hex();

    static TaskHashes of(List<Task> tasks) {
        int n = tasks.size();
        String[] node = new String[n];
        String[] taskArgs = new String[n];
        for (int i = 0; i < n; i++) {
            Task t = tasks.get(i);
            node[i] = t.nodeArgs().isEmpty() ? NO_NODE_ARGS : IdentityHash.of("node").add(t.nodeArgs()).hex();
            taskArgs[i] = t.taskArgs().isEmpty() ? NO_TASK_ARGS : IdentityHash.of("task_args").add(t.taskArgs()).hex();
        }
        return new TaskHashes(node, taskArgs);
    }
}

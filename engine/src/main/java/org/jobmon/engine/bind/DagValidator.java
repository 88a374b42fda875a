package org.jobmon.engine.bind;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.Task;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Workflow;

/**
 * Checks a workflow before anything is written: not empty, every upstream added, no two tasks
 * of one template with the same node args, no cycle. Each problem is one clear exception.
 */
public final class DagValidator {
    private DagValidator() {
    }

    /** Returns each task's index in {@code workflow.tasks()}. */
    public static Map<Task, Integer> validate(Workflow workflow) {
        List<Task> tasks = workflow.tasks();
        if (tasks.isEmpty()) {
            throw new JobmonException(ErrorCode.INVALID_DAG, "workflow '" + workflow.name()
                    + "' has no tasks: add tasks with addTask/addTasks before running it");
        }
        Map<Task, Integer> index = new IdentityHashMap<>(tasks.size() * 2);
        for (int i = 0; i < tasks.size(); i++) {
            index.put(tasks.get(i), i);
        }
        Map<TaskTemplate, Map<Map<String, String>, Task>> nodes = new IdentityHashMap<>();
        for (Task t : tasks) {
            for (Task up : t.upstreams()) {
                if (!index.containsKey(up)) {
                    throw new JobmonException(ErrorCode.INVALID_DAG, "task '" + t.name() + "' has upstream task '" + up.name()
                            + "', which was never added to workflow '" + workflow.name() + "': add it with addTask");
                }
            }
            Task clash = nodes.computeIfAbsent(t.template(), k -> new HashMap<>()).putIfAbsent(t.nodeArgs(), t);
            if (clash != null) {
                throw new JobmonException(ErrorCode.INVALID_DAG, "tasks '" + clash.name() + "' and '" + t.name()
                        + "' of template '" + t.template().name() + "' have the same node args " + t.nodeArgs()
                        + ": node args must tell tasks of one template apart (make the varying arg a node arg)");
            }
        }
        checkAcyclic(tasks, index);
        return index;
    }

    private static void checkAcyclic(List<Task> tasks, Map<Task, Integer> index) {
        int n = tasks.size();
        int[] waiting = new int[n];
        Deque<Integer> free = new ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            waiting[i] = tasks.get(i).upstreams().size();
            if (waiting[i] == 0) {
                free.add(i);
            }
        }
        int seen = 0;
        while (!free.isEmpty()) {
            int i = free.poll();
            seen++;
            for (Task d : tasks.get(i).downstreams()) {
                Integer j = index.get(d);
                if (j != null && --waiting[j] == 0) {
                    free.add(j);
                }
            }
        }
        if (seen < n) {
            List<Task> cycle = findCycle(tasks, index, waiting);
            throw new JobmonException(ErrorCode.INVALID_DAG, "the tasks form a cycle: "
                    + cycle.stream().map(t -> "'" + t.name() + "'").collect(Collectors.joining(" -> "))
                    + ": a task cannot depend on itself through its upstreams; remove one of these dependencies");
        }
    }

    /** Walks upstream from a task left in the cycle's part of the graph until a task repeats. */
    private static List<Task> findCycle(List<Task> tasks, Map<Task, Integer> index, int[] waiting) {
        int start = -1;
        for (int i = 0; i < waiting.length && start < 0; i++) {
            if (waiting[i] > 0) {
                start = i;
            }
        }
        Map<Integer, Integer> position = new HashMap<>();
        List<Task> path = new ArrayList<>();
        int cur = start;
        while (!position.containsKey(cur)) {
            position.put(cur, path.size());
            path.add(tasks.get(cur));
            int next = -1;
            for (Task up : tasks.get(cur).upstreams()) {
                int j = index.get(up);
                if (waiting[j] > 0) {
                    next = j;
                    break;
                }
            }
            cur = next;
        }
        List<Task> cycle = new ArrayList<>(path.subList(position.get(cur), path.size()));
        Collections.reverse(cycle);
        cycle.add(cycle.get(0));
        return cycle;
    }
}

package org.jobmon.engine.schedule;

import org.jobmon.api.Statuses.TaskInstanceStatus;
import org.jobmon.engine.reconcile.DeadRunReconciler.LiveInstance;

/** A live attempt of a task (a task instance) as the run loop follows it. */
final class Attempt {
    final int task;
    final long id;
    String executorId;
    char status = TaskInstanceStatus.INSTANTIATED.code();
    boolean killOrdered;
    String stopReason;
    int missedPolls;
    /** An instance of an earlier run this run watches through its records (hot resume). */
    LiveInstance adopted;

    Attempt(int task, long id) {
        this.task = task;
        this.id = id;
    }
}

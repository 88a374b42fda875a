package org.jobmon.engine.schedule;

import java.nio.file.Path;

import org.jobmon.api.Resources;
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
    /** Polls in a row that did not list this instance. */
    int missedPolls;
    /** When the first of those polls was (System.nanoTime). */
    long firstMissed;
    /** What it was submitted with (to tell a runtime kill from a memory kill), when known. */
    Resources resources;
    /** What was handed to the executor, kept while the attempt lives so that a withdrawn one can be handed again. */
    org.jobmon.api.executor.InstanceRequest request;
    /** Its folder of records. */
    Path dir;
    /** Where its command's stderr goes, when not into its folder. */
    Path stderr;
    /** When its platform was first seen holding it (System.nanoTime), or 0. */
    long heldSince;
    /** The platform's reason for holding it, as last seen. */
    String heldReason;
    /** An instance of an earlier run this run watches through its records (hot resume). */
    LiveInstance adopted;

    Attempt(int task, long id) {
        this.task = task;
        this.id = id;
    }
}

package org.jobmon.engine.store;

import java.util.List;

import org.jobmon.api.Statuses.WorkflowRunStatus;

/**
 * Every read and write a workflow run's loop makes, in one place: the lease, fencing and the
 * idempotence of retried cycles live here, so the loop's decisions can be tested against a fake.
 *
 * <p>A method that fails because the database could not be reached or a transaction lost a
 * deadlock throws {@link StoreUnavailableException}: nothing was written, or everything was (a
 * later call finds out which), and the caller tries again later.
 */
public interface RunStore {
    /** The statuses in which a run holds its lease: RUNNING, or asked to hand over (cold or hot). */
    String LEASED = "RCH";

    /**
     * What the run's row said when a commit renewed the lease.
     *
     * @param held whether the run still holds its lease (false: it was settled or taken over; nothing was written)
     * @param runStatus the run's status as the row has it
     * @param concurrencyLimit the workflow's current max_concurrently_running
     */
    record Lease(boolean held, char runStatus, int concurrencyLimit) {
    }

    /**
     * In one transaction: locks the run's row, checks that the run still holds its lease (with
     * {@code start}, also a REGISTERED or BOUND run, which becomes RUNNING with its workflow), writes
     * the cycles of {@code pending} not yet written (numbers above the row's last committed cycle),
     * and renews the lease. A lost lease writes nothing.
     */
    Lease commit(List<CycleWrites> pending, boolean start);

    /**
     * Like {@link #commit} without renewing, then sets the run's final status and, unless it is
     * null, the workflow's, numbering the end as cycle {@code endCycle}. Returns false when the lease
     * was lost (nothing written); true also when an earlier call recorded this end but its
     * acknowledgement was lost.
     */
    boolean finish(List<CycleWrites> pending, WorkflowRunStatus runStatus, Character workflowStatus, long endCycle);

    /**
     * A cheap look at what others may have changed, taken every cycle: the run's status (another
     * process may have settled or taken over the run) and the workflow's max_concurrently_running
     * (people change it while the run goes on).
     */
    Look look();

    /** What {@link #look()} saw. */
    record Look(char runStatus, int concurrencyLimit) {
    }

    /** Instances of the workflow's runs that someone ordered to kill themselves. */
    List<Long> killOrders();

    /** Reserves {@code count} consecutive ids of an id sequence and returns the first. */
    long reserveIds(String sequence, int count);
}

package org.jobmon.cli.status;

import java.util.Collection;
import java.util.List;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.cli.JobmonCli;
import org.jobmon.engine.reconcile.DeadRunReconciler;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.SelfServiceDao;
import org.jobmon.persistence.dao.WorkflowDao.RunRow;
import org.jdbi.v3.core.Handle;

/** What the status and self-service commands share: the database, the caller, which runs are alive. */
final class StatusSupport {
    /** Workflow run statuses in which a run may still be working: REGISTERED, BOUND, RUNNING, COLD_RESUME, HOT_RESUME. */
    static final String ACTIVE_RUN_STATUSES = "GBRCH";

    private StatusSupport() {
    }

    /**
     * The database of {@code --db}, else $JOBMON_DB_URL, else the embedded one (brought to the
     * current schema).
     *
     * <p>When no run has the embedded database open, this process opens the file itself, and H2
     * compacts the file when the last connection closes: up to a second or more on a database of a
     * million tasks, for a command that wrote nothing. So these commands skip that compaction
     * (h2.maxCompactTime=0, unless set otherwise); the engine's own close still compacts. When a run
     * has the database open, this process is a client of it and the setting does not matter.
     */
    static Database open(JobmonCli cli) {
        if (System.getProperty("h2.maxCompactTime") == null) {
            System.setProperty("h2.maxCompactTime", "0");
        }
        Database db = Database.open(cli.databaseUrl());
        // The first process that looks marks runs whose controller died ERROR and settles what it can
        // prove of their instances. A reader that may not write (a SELECT-only account) still reads.
        try {
            new DeadRunReconciler(db.jdbi()).settleAll();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(StatusSupport.class).debug("cannot settle dead runs: {}", e.getMessage());
        }
        return db;
    }

    /**
     * Runs a command's writes; an account that may only read gets one clear sentence instead of a
     * driver error (the database's own grants are the access control).
     */
    static <T> T writing(Database db, String what, java.util.function.Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (org.jobmon.persistence.DatabaseErrors.isPermissionDenied(e)) {
                throw new JobmonException(ErrorCode.REFUSED, "the database account may not change the Jobmon database, so it "
                        + "cannot " + what + " (" + org.jobmon.persistence.DatabaseErrors.describe(e) + "): use an account with "
                        + "UPDATE and INSERT on it (" + db.displayUrl() + ")", e);
            }
            throw e;
        }
    }

    /** Who is asking: the JVM's user.name, as the engine records it on workflow_run.user. */
    static String currentUser() {
        return System.getProperty("user.name", "unknown");
    }

    /** The runs of a workflow that are alive: in an active status with a lease that has not expired. */
    static List<RunRow> aliveRuns(Handle h, long workflowId) {
        return new SelfServiceDao().runs(h, workflowId, ACTIVE_RUN_STATUSES).stream().filter(r -> !r.expired()).toList();
    }

    static String describe(RunRow r) {
        return "workflow run " + r.id() + " (user " + r.user() + ", host " + r.hostname() + ", pid " + r.pid()
                + ", last heartbeat " + Math.max(0, r.sinceHeartbeat().toSeconds()) + " s ago)";
    }

    static JobmonException noWorkflow(Collection<Long> ids, Database db) {
        return new JobmonException(ErrorCode.NOT_FOUND, (ids.size() == 1 ? "no workflow " : "no workflows ") + Formats.ids(ids)
                + " in the database " + db.displayUrl() + ": check the id (jobmon workflow_status lists your workflows) "
                + "and --db");
    }

    static JobmonException noTask(Collection<Long> ids, Database db) {
        return new JobmonException(ErrorCode.NOT_FOUND, (ids.size() == 1 ? "no task " : "no tasks ") + Formats.ids(ids)
                + " in the database " + db.displayUrl() + ": check the id (jobmon workflow_tasks -w WORKFLOW_ID lists a "
                + "workflow's tasks) and --db");
    }
}

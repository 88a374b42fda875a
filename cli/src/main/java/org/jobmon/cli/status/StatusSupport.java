package org.jobmon.cli.status;

import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.cli.JobmonCli;
import org.jobmon.engine.reconcile.DeadRunReconciler;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.SelfServiceDao;
import org.jobmon.persistence.dao.WorkflowDao.RunRow;
import org.jdbi.v3.core.Handle;

/** What the status and self-service commands share: the database, the caller, which runs are alive. */
public final class StatusSupport {
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
    public static Database open(JobmonCli cli) {
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

    /**
     * The task ids the user gave: numbers as they are, names looked up in workflow {@code workflowId}
     * (which names need).
     *
     * @throws JobmonException INVALID_ARGUMENT for names without a workflow, NOT_FOUND for a name
     *     the workflow does not have
     */
    static Set<Long> taskIds(org.jdbi.v3.core.Handle h, List<String> given, Long workflowId) {
        Set<Long> ids = new java.util.LinkedHashSet<>();
        List<String> names = new java.util.ArrayList<>();
        for (String t : given) {
            if (t.matches("\\d{1,18}")) {
                ids.add(Long.parseLong(t));
            } else {
                names.add(t);
            }
        }
        if (names.isEmpty()) {
            return ids;
        }
        if (workflowId == null) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "'" + names.get(0) + "' is a task name, and names need the "
                    + "workflow they are in: add -w WORKFLOW_ID (jobmon workflow_status lists the workflows)");
        }
        java.util.Map<String, Long> found = new java.util.HashMap<>();
        h.createQuery("SELECT name, id FROM task WHERE workflow_id = :w AND name IN (<n>)").bind("w", workflowId)
                .bindList("n", names).map((rs, ctx) -> found.put(rs.getString(1), rs.getLong(2))).list();
        for (String n : names) {
            Long id = found.get(n);
            if (id == null) {
                throw new JobmonException(ErrorCode.NOT_FOUND, "workflow " + workflowId + " has no task named '" + n
                        + "': jobmon workflow_tasks -w " + workflowId + " lists its tasks");
            }
            ids.add(id);
        }
        return ids;
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

    public static JobmonException noWorkflow(Collection<Long> ids, Database db) {
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

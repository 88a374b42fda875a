package org.jobmon.persistence.dao;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.jdbi.v3.core.Handle;
import org.jobmon.persistence.Database;
import org.junit.jupiter.api.Test;

/**
 * A run's lease is judged in the database's UTC time, so a controller and a reader whose sessions
 * are in different time zones (or a daylight-saving change) agree on whether the run is alive.
 */
abstract class RunLeaseContract {
    private final WorkflowDao workflows = new WorkflowDao();

    abstract Database open();

    static long workflow(Handle h) {
        long tool = Keys.insert(h.createUpdate("INSERT INTO tool (name) VALUES ('lease_tool')"));
        long version = Keys.insert(h.createUpdate("INSERT INTO tool_version (tool_id) VALUES (:t)").bind("t", tool));
        long dag = Keys.insert(h.createUpdate("INSERT INTO dag (hash) VALUES ('d')"));
        return Keys.insert(h.createUpdate("INSERT INTO workflow (tool_version_id, dag_id, workflow_args_hash, task_hash, name, "
                + "workflow_args, max_concurrently_running, status) VALUES (:v, :d, 'a', 't', 'lease', 'args', 10, 'G')")
                .bind("v", version).bind("d", dag));
    }

    private static void zone(Database db, Handle h, String offset) {
        h.execute(db.dialect() == Database.Dialect.H2 ? "SET TIME ZONE '" + offset + "'" : "SET time_zone = '" + offset + "'");
    }

    @Test
    void agesAreRightWhenWriterAndReaderSessionsAreInDifferentTimeZones() {
        try (Database db = open()) {
            long runId = db.jdbi().withHandle(h -> {
                zone(db, h, "-08:00");
                long w = workflow(h);
                return workflows.insertRun(h, w, "u", "host", 1, "v", 'R', Duration.ofSeconds(30), Duration.ofSeconds(93));
            });
            WorkflowDao.RunRow read = db.jdbi().withHandle(h -> {
                zone(db, h, "+05:30");
                return workflows.run(h, runId).orElseThrow();
            });
            assertThat(read.expired()).as("a lease renewed a moment ago, read 13.5 hours of offset away").isFalse();
            assertThat(read.sinceHeartbeat()).isBetween(Duration.ofSeconds(-1), Duration.ofSeconds(10));
            assertThat(read.untilExpiry()).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(94));

            db.jdbi().useHandle(h -> {
                zone(db, h, "+05:30");
                assertThat(workflows.renewLease(h, runId, "R", Duration.ofMillis(1))).isTrue();
            });
            WorkflowDao.RunRow renewed = db.jdbi().withHandle(h -> {
                zone(db, h, "-08:00");
                return workflows.run(h, runId).orElseThrow();
            });
            assertThat(renewed.sinceHeartbeat()).isBetween(Duration.ofSeconds(-1), Duration.ofSeconds(10));
        }
    }

    @Test
    void aDeadRunIsMarkedOnlyWhenItsLeaseExpiredUnderTheLock() throws Exception {
        try (Database db = open()) {
            long runId = db.jdbi().withHandle(h -> workflows.insertRun(h, workflow(h), "u", "host", 1, "v", 'R',
                    Duration.ofSeconds(30), Duration.ofSeconds(93)));
            boolean live = db.jdbi().withHandle(h -> workflows.markDead(h, runId, "GBRCH", false));
            assertThat(live).as("a live run marked dead").isFalse();
            db.jdbi().useHandle(h -> workflows.renewLease(h, runId, "R", Duration.ofMillis(1)));
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!db.jdbi().withHandle(h -> workflows.run(h, runId).orElseThrow().expired()) && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            boolean expired = db.jdbi().withHandle(h -> workflows.markDead(h, runId, "GBRCH", false));
            assertThat(expired).as("an expired run marked dead").isTrue();
            char status = db.jdbi().withHandle(h -> workflows.runStatus(h, runId));
            assertThat(status).isEqualTo('E');
            boolean renewed = db.jdbi().withHandle(h -> workflows.renewLease(h, runId, "RCH", Duration.ofSeconds(93)));
            assertThat(renewed).as("a settled run renewed its lease").isFalse();
        }
    }
}

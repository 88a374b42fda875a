package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConnectionPoolMariaDbIT {
    @Test
    void everyConnectionIsReadCommitted() {
        try (Database db = Database.open(TestDatabases.freshMariaDb())) {
            // MariaDB's own default is REPEATABLE READ; the run store's guarded updates expect to see committed rows
            String level = db.jdbi().withHandle(h -> h.createQuery("SELECT @@SESSION.tx_isolation").mapTo(String.class).one());
            assertThat(level).isEqualTo("READ-COMMITTED");
        }
    }

    @Test
    void connectionsTheServerDroppedAreReplacedNotHandedOut() throws Exception {
        String url = TestDatabases.freshMariaDb();
        try (Database db = Database.open(url)) {
            String name = db.jdbi().withHandle(h -> h.createQuery("SELECT DATABASE()").mapTo(String.class).one());
            assertThat(killSessionsOf(name)).isPositive();
            // a pool may skip checking a connection it handed out less than half a second ago
            // (HikariCP's alive-bypass window); a restarted server drops connections that sat idle
            Thread.sleep(1_100);
            for (int i = 0; i < 3; i++) {
                int one = db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
                assertThat(one).isEqualTo(1);
            }
        }
    }

    /** Kills every server session using database {@code name}, as a server restart would. */
    private static int killSessionsOf(String name) throws Exception {
        String admin = System.getenv(TestDatabases.MARIADB_ENV);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            List<Long> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + name + "'")) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
            for (long id : ids) {
                s.execute("KILL CONNECTION " + id);
            }
            return ids.size();
        }
    }
}

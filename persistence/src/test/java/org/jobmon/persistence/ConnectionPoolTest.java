package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionPoolTest {
    @Test
    void everyConnectionIsReadCommittedOnH2(@TempDir Path dir) {
        try (Database db = Database.open(TestDatabases.h2(dir))) {
            String level = db.jdbi().withHandle(h -> h.createQuery(
                    "SELECT ISOLATION_LEVEL FROM INFORMATION_SCHEMA.SESSIONS WHERE SESSION_ID = SESSION_ID()").mapTo(String.class).one());
            assertThat(level).isEqualTo("READ COMMITTED");
        }
    }
}

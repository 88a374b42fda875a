package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keeper of an embedded database: one per file, serving it, gone once nobody used it for a while. */
class EmbeddedKeeperTest {
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty("jobmon.embedded_keeper_idle_s");
    }

    private long keeperPid(Path alive) throws Exception {
        String text = Files.readString(alive).trim();
        assertThat(text).startsWith("ready ");
        return Long.parseLong(text.substring("ready ".length()));
    }

    @Test
    void oneKeeperServesTheFileAndLeavesWhenNobodyUsesIt() throws Exception {
        System.setProperty("jobmon.embedded_keeper_idle_s", "2");
        String url = TestDatabases.h2(dir);
        Path alive = Path.of(EmbeddedKeeper.databaseFile(url).orElseThrow() + ".keeper.alive");

        EmbeddedKeeper.ensure(url);
        assertThat(EmbeddedKeeper.ready(alive)).isTrue();
        long pid = keeperPid(alive);
        ProcessHandle keeper = ProcessHandle.of(pid).orElseThrow();
        try (Database db = Database.open(url)) {
            EmbeddedKeeper.ensure(url);
            assertThat(keeperPid(alive)).as("the same keeper").isEqualTo(pid);
            long tasks = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM task").mapTo(Long.class).one());
            assertThat(tasks).isZero();
        }
        assertThat(keeper.onExit().get(30, TimeUnit.SECONDS).isAlive()).as("the keeper, idle for 2 s").isFalse();
        assertThat(EmbeddedKeeper.ready(alive)).isFalse();
    }

    @Test
    void onlyEmbeddedFileUrlsHaveAKeeper() {
        assertThat(EmbeddedKeeper.databaseFile("jdbc:mariadb://db:3306/jobmon?user=u")).isEmpty();
        assertThat(EmbeddedKeeper.databaseFile("jdbc:h2:file:/data/jobmon;MODE=MariaDB")).hasValue(Path.of("/data/jobmon"));
    }
}

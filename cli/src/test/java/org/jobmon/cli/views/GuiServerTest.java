package org.jobmon.cli.views;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.ViewDao;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's warm-up (its first read of the newest workflow, done when it starts) over a real
 * run: it completes, the pages are then served, and a database it cannot read does not stop it
 * from completing. (The pages themselves, in a browser, are GuiBrowserIT's.)
 */
@Tag("engine")
class GuiServerTest {
    @TempDir
    static Path dir;
    static ReportFixture fixture;

    @BeforeAll
    static void runIt() {
        fixture = ReportFixture.run(dir);
    }

    @Test
    void theWarmUpCompletesAndTheNewestWorkflowIsThenServed() throws Exception {
        try (Database db = Database.open(fixture.db()); GuiServer server = new GuiServer(db, "127.0.0.1", 0)) {
            server.start();
            assertThat(server.warm()).succeedsWithin(Duration.ofSeconds(60));
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/workflow/" + fixture.workflowId())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("data-template=\"transform\" data-total=\"5\" data-done=\"4\"");
        }
    }

    @Test
    void attemptsAreCountedOnlyAsFarAsAsked() {
        try (Database db = Database.open(fixture.db())) {
            ViewDao dao = new ViewDao();
            assertThat(db.jdbi().<Long, RuntimeException>withHandle(h -> dao.attemptCount(h, fixture.workflowId(), 100))).as("all six")
                    .isEqualTo(6);
            assertThat(db.jdbi().<Long, RuntimeException>withHandle(h -> dao.attemptCount(h, fixture.workflowId(), 4))).isEqualTo(4);
            assertThat(db.jdbi().<Long, RuntimeException>withHandle(h -> dao.attemptCount(h, 424242, 100))).isZero();
        }
    }

    @Test
    void aWarmUpThatCannotReadTheDatabaseStillCompletes() throws Exception {
        Database db = Database.open(fixture.db());
        db.close();
        try (GuiServer server = new GuiServer(db, "127.0.0.1", 0)) {
            server.start();
            assertThat(server.warm()).succeedsWithin(Duration.ofSeconds(30));
        }
    }
}

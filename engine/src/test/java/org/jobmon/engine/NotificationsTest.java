package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.Notifications;
import org.jobmon.api.Notifications.Event;
import org.jobmon.api.RunOptions;
import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.TaskTemplate;
import org.jobmon.api.Tool;
import org.jobmon.api.Workflow;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * A workflow's notifiers, a command and a webhook (a local HTTP server): one message each when a run
 * fails, with what a person needs to know; none on success unless asked; a notifier that hangs is
 * given up after its timeout and never changes the run's outcome; the webhook's secret path never
 * shows in a warning.
 */
class NotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "/services/T000/B000/s3cr3tT0k3n";

    @TempDir
    Path dir;
    private HttpServer server;
    private final List<String> posted = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void stop() {
        never.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    /** A webhook on 127.0.0.1 that records what it is sent, or never answers. */
    private String webhook(boolean answers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (!answers) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + SECRET;
    }

    private Workflow workflow(String name, boolean fails) {
        Tool tool = Tool.create("notify_test");
        TaskTemplate t = tool.getTaskTemplate("step", "{cmd}", List.of("cmd"), List.of(), List.of());
        Workflow wf = tool.createWorkflow(name).setExecutor(ExecutorSettings.of("sequential").withWorkingDir(dir));
        wf.addTask(t.createTask().name("fine").arg("cmd", "true").maxAttempts(1).build());
        if (fails) {
            wf.addTask(t.createTask().name("broken").arg("cmd", "exit 3").maxAttempts(1).build());
        }
        return wf;
    }

    private List<JsonNode> commandMessages() throws IOException {
        Path f = dir.resolve("told.jsonl");
        List<JsonNode> out = new ArrayList<>();
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    private record Ran(WorkflowRunResult result, List<String> warnings) {
    }

    private Ran run(Workflow wf) {
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        try (JobmonEngine engine = EngineFixture.engine(DatabaseUrls.embedded(dir.resolve("db")), dir.resolve("runs"))) {
            WorkflowRunResult r = engine.run(wf, RunOptions.defaults(), new RunListener() {
                @Override
                public void warning(String message) {
                    warnings.add(message);
                }
            });
            return new Ran(r, warnings);
        }
    }

    @Test
    void aFailedRunSendsOneMessageToTheCommandAndOneToTheWebhook() throws Exception {
        String url = webhook(true);
        String command = "cat >> " + dir.resolve("told.jsonl") + "; echo \"$JOBMON_EVENT $JOBMON_WORKFLOW_ID $JOBMON_STATUS\" >> "
                + dir.resolve("env.txt");
        Workflow wf = workflow("notify_failed", true).notifications(Notifications.command(command).withWebhook(url));
        Ran ran = run(wf);

        assertThat(ran.result().status()).isEqualTo(WorkflowRunStatus.ERROR);
        List<JsonNode> told = commandMessages();
        assertThat(told).as("exactly one message to the command").hasSize(1);
        assertThat(posted).as("exactly one message to the webhook").hasSize(1);
        JsonNode m = told.get(0);
        assertThat(JSON.readTree(posted.get(0))).isEqualTo(m);
        assertThat(m.get("event").asText()).isEqualTo("FAILED");
        assertThat(m.get("workflow_id").asLong()).isEqualTo(ran.result().workflowId());
        assertThat(m.get("workflow_name").asText()).isEqualTo("notify_failed");
        assertThat(m.get("status").asText()).isEqualTo("ERROR");
        assertThat(m.get("tasks").asInt()).isEqualTo(2);
        assertThat(m.get("done").asInt()).isEqualTo(1);
        assertThat(m.get("fatal").asInt()).isEqualTo(1);
        assertThat(m.get("text").asText()).contains("workflow " + ran.result().workflowId() + " 'notify_failed'").contains("ERROR")
                .contains("1 of 2 tasks done, 1 fatal");
        assertThat(Files.readString(dir.resolve("env.txt")).strip()).isEqualTo("FAILED " + ran.result().workflowId() + " ERROR");
        assertThat(ran.warnings()).isEmpty();
    }

    @Test
    void aDoneRunIsQuietUnlessDoneIsAskedFor() throws Exception {
        String command = "cat >> " + dir.resolve("told.jsonl");
        run(workflow("notify_quiet", false).notifications(Notifications.command(command)));
        assertThat(commandMessages()).isEmpty();

        Ran ran = run(workflow("notify_done", false).notifications(Notifications.command(command).on(Event.FAILED, Event.DONE)));
        assertThat(ran.result().status()).isEqualTo(WorkflowRunStatus.DONE);
        assertThat(commandMessages()).hasSize(1);
        assertThat(commandMessages().get(0).get("event").asText()).isEqualTo("DONE");
        assertThat(commandMessages().get(0).get("not_done").asInt()).isZero();
    }

    @Test
    void aFatalTaskIsToldWhileTheRunGoesOnWhenAskedFor() throws Exception {
        String command = "cat >> " + dir.resolve("told.jsonl");
        Ran ran = run(workflow("notify_fatal", true).notifications(Notifications.command(command).on(Event.TASK_FATAL)));
        assertThat(ran.result().status()).isEqualTo(WorkflowRunStatus.ERROR);
        List<JsonNode> told = commandMessages();
        assertThat(told).as("one task failed fatally; the end of the run was not asked for").hasSize(1);
        assertThat(told.get(0).get("event").asText()).isEqualTo("TASK_FATAL");
        assertThat(told.get(0).get("fatal_tasks").get(0).asText()).isEqualTo("broken");
        assertThat(told.get(0).get("text").asText()).contains("1 task failed fatally").contains("broken");
    }

    @Test
    void notifiersThatHangAreGivenUpAfterTheirTimeoutAndTheSecretStaysOutOfWarnings() throws Exception {
        String url = webhook(false);
        Workflow wf = workflow("notify_hang", true).notifications(Notifications.command("sleep 600").withWebhook(url)
                .withTimeout(Duration.ofSeconds(1)));
        long t0 = System.nanoTime();
        Ran ran = run(wf);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(ran.result().status()).as("the outcome is the run's, not the notifiers'").isEqualTo(WorkflowRunStatus.ERROR);
        assertThat(took).as("bounded by the notifiers' timeout (1 s) and its grace, not by sleep 600").isLessThan(Duration.ofSeconds(60));
        assertThat(posted).hasSize(1);
        assertThat(ran.warnings()).anySatisfy(w -> assertThat(w).contains("notification command did not end within 1 s"));
        assertThat(ran.warnings()).anySatisfy(w -> assertThat(w).contains("did not answer within 1 s").contains("http://127.0.0.1:"));
        assertThat(ran.warnings()).allSatisfy(w -> assertThat(w).doesNotContain("s3cr3t"));
    }

    @Test
    void badSettingsAreRefusedWithTheFix() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Notifications.webhook("ftp://example.com/x"))
                .hasMessageContaining("http or https URL");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Notifications(java.util.Optional.of("echo"), java.util.Optional.empty(),
                java.util.Set.of(), Duration.ofSeconds(5)))
                .hasMessageContaining("name at least one of failed, done, task_fatal");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Notifications.command("  ")).hasMessageContaining("blank");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Notifications.command("x").withTimeout(Duration.ofHours(1)))
                .hasMessageContaining("use 1 s to 10 min");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Event.named("sometimes")).hasMessageContaining("not one of failed");
    }
}

package org.jobmon.engine.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jobmon.api.Notifications;
import org.jobmon.api.Notifications.Event;
import org.jobmon.api.Statuses.TaskStatus;
import org.jobmon.api.WorkflowRunResult;
import org.jobmon.engine.ForwardingRunListener;
import org.jobmon.engine.RunListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Tells a workflow's notifiers about its run: a command and/or a webhook, each delivery on a thread of
 * its own so that a slow notifier never holds up the run. Whatever a notifier does (fails, hangs,
 * answers 500) is logged and reported as a warning, and the run's outcome is unchanged; at the end
 * of the run {@link #close()} waits for deliveries still going for at most the timeout.
 */
public final class RunNotifier implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunNotifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Notifications who;
    private final String workflowName;
    private final long workflowId;
    private final long runId;
    private final String host;
    private final RunListener listener;
    private final Supplier<List<String>> fatalTaskNames;
    private final ExecutorService threads;
    private final List<CompletableFuture<Void>> sent = new ArrayList<>();
    /** Fatal tasks counted so far in this run (a resume starts every task not DONE afresh). */
    private int fatalSeen;
    private final HttpClient http;

    /**
     * @param fatalTaskNames the names of some of the workflow's fatal tasks (newest first), read when a task fails
     */
    public RunNotifier(Notifications who, String workflowName, long workflowId, long runId, String host, RunListener listener,
            Supplier<List<String>> fatalTaskNames) {
        this.who = who;
        this.workflowName = workflowName;
        this.workflowId = workflowId;
        this.runId = runId;
        this.host = host;
        this.listener = listener;
        this.fatalTaskNames = fatalTaskNames;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jobmon-notify");
            t.setDaemon(true);
            return t;
        });
        this.http = who.webhook().isEmpty() ? null : HttpClient.newBuilder().connectTimeout(who.timeout()).executor(threads).build();
    }

    /** The run's listener, with fatal tasks noticed on the way (when TASK_FATAL is asked for). */
    public RunListener watching(RunListener inner) {
        if (who.isEmpty() || !who.on().contains(Event.TASK_FATAL)) {
            return inner;
        }
        return new ForwardingRunListener(inner) {
            @Override
            public void progress(Map<TaskStatus, Integer> counts) {
                super.progress(counts);
                fatalCount(counts.getOrDefault(TaskStatus.ERROR_FATAL, 0), counts);
            }
        };
    }

    private void fatalCount(int fatal, Map<TaskStatus, Integer> counts) {
        int added;
        synchronized (this) {
            if (fatal <= fatalSeen) {
                return;
            }
            added = fatal - fatalSeen;
            fatalSeen = fatal;
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        int done = counts.getOrDefault(TaskStatus.DONE, 0);
        // the names are read on a notifier's thread: a slow database never holds up the run
        submit(() -> {
            Map<String, Object> m = message(Event.TASK_FATAL, "RUNNING", total, done, fatal);
            List<String> names;
            try {
                names = fatalTaskNames.get();
            } catch (RuntimeException e) {
                names = List.of();
            }
            m.put("fatal_tasks", names);
            m.put("text", "Jobmon: workflow " + workflowId + " '" + workflowName + "': " + added + " task" + (added == 1 ? "" : "s")
                    + " failed fatally (" + fatal + " in all" + (names.isEmpty() ? "" : ", e.g. " + String.join(", ", names)) + "); "
                    + done + " of " + total + " done, the run goes on (run " + runId + " on " + host + ")");
            send(m);
        });
    }

    /** The run ended: tells the notifiers when they asked for this ending. */
    public void ended(WorkflowRunResult r) {
        Event event = r.isDone() ? Event.DONE : Event.FAILED;
        if (who.isEmpty() || !who.on().contains(event)) {
            return;
        }
        Map<String, Object> m = message(event, r.status().name(), r.tasks(), r.done(), r.fatal());
        m.put("message", r.message());
        m.put("text", "Jobmon: workflow " + workflowId + " '" + workflowName + "' run " + runId + " ended " + r.status().name() + ": "
                + r.done() + " of " + r.tasks() + " tasks done, " + r.fatal() + " fatal, " + (r.tasks() - r.done() - r.fatal())
                + " not done (on " + host + ")" + (r.message().isBlank() ? "" : ". " + r.message()));
        send(m);
    }

    /** The run failed with an error of Jobmon's own (its database, its executor): tells those who asked for failures. */
    public void crashed(RuntimeException e, int tasks) {
        if (who.isEmpty() || !who.on().contains(Event.FAILED)) {
            return;
        }
        Map<String, Object> m = message(Event.FAILED, "ERROR", tasks, -1, -1);
        m.put("message", String.valueOf(e.getMessage()));
        m.put("text", "Jobmon: workflow " + workflowId + " '" + workflowName + "' run " + runId + " ended ERROR: " + e.getMessage()
                + " (on " + host + ")");
        send(m);
    }

    private Map<String, Object> message(Event event, String status, int tasks, int done, int fatal) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "");
        m.put("event", event.name());
        m.put("workflow_id", workflowId);
        m.put("workflow_name", workflowName);
        m.put("workflow_run_id", runId);
        m.put("status", status);
        m.put("tasks", tasks);
        if (done >= 0) {
            m.put("done", done);
            m.put("fatal", fatal);
            m.put("not_done", tasks - done - fatal);
        }
        m.put("host", host);
        return m;
    }

    private void send(Map<String, Object> message) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String event = String.valueOf(message.get("event"));
        String status = String.valueOf(message.get("status"));
        who.command().ifPresent(c -> submit(() -> toCommand(c, body, event, status)));
        who.webhook().ifPresent(u -> submit(() -> post(u, body)));
    }

    private synchronized void submit(Runnable delivery) {
        sent.add(CompletableFuture.runAsync(() -> {
            try {
                delivery.run();
            } catch (RuntimeException e) {
                warn("a notifier failed: " + e.getMessage());
            }
        }, threads));
    }

    private void toCommand(String command, byte[] body, String event, String status) {
        // the message reaches stdin from a file: a command that never reads it cannot block the delivery before its timeout
        java.nio.file.Path input;
        try {
            input = java.nio.file.Files.createTempFile("jobmon-notify-", ".json");
            java.nio.file.Files.write(input, body);
        } catch (IOException e) {
            warn("the notification command could not be given its message: " + e.getMessage());
            return;
        }
        try {
            runCommand(command, input, event, status);
        } finally {
            try {
                java.nio.file.Files.deleteIfExists(input);
            } catch (IOException ignored) {
                // a temporary file
            }
        }
    }

    private void runCommand(String command, java.nio.file.Path input, String event, String status) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(input.toFile());
        Map<String, String> env = pb.environment();
        env.put("JOBMON_EVENT", event);
        env.put("JOBMON_WORKFLOW_ID", Long.toString(workflowId));
        env.put("JOBMON_WORKFLOW_NAME", workflowName);
        env.put("JOBMON_WORKFLOW_RUN_ID", Long.toString(runId));
        env.put("JOBMON_STATUS", status);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            warn("the notification command could not start: " + e.getMessage());
            return;
        }
        try {
            if (!p.waitFor(who.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                warn("the notification command did not end within " + who.timeout().toSeconds() + " s and was killed");
            } else if (p.exitValue() != 0) {
                warn("the notification command exited " + p.exitValue());
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void post(URI url, byte[] body) {
        String where = Notifications.redact(url);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(who.timeout()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                warn("the notification webhook " + where + " answered HTTP " + r.statusCode());
            }
        } catch (java.net.http.HttpTimeoutException e) {
            warn("the notification webhook " + where + " did not answer within " + who.timeout().toSeconds() + " s");
        } catch (IOException e) {
            warn("the notification webhook " + where + " could not be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Through the run's listener, whose default logs it: once, where the run's other warnings go. */
    private void warn(String message) {
        try {
            listener.warning("workflow " + workflowId + " run " + runId + ": " + message);
        } catch (RuntimeException e) {
            log.warn("workflow {} run {}: {}", workflowId, runId, message);
        }
    }

    /** Waits for deliveries still going, for at most the timeout and a little more; then gives up on them. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + who.timeout().plusSeconds(5).toNanos();
        try {
            while (true) {
                List<CompletableFuture<Void>> pending;
                synchronized (this) {
                    pending = new ArrayList<>(sent);
                }
                long left = deadline - System.nanoTime();
                if (pending.isEmpty() || left <= 0) {
                    break;
                }
                CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(left, TimeUnit.NANOSECONDS);
                synchronized (this) {
                    if (sent.size() == pending.size()) {
                        break; // nothing was added while waiting (a fatal-task message hands its deliveries on)
                    }
                }
            }
        } catch (TimeoutException e) {
            log.warn("workflow {} run {}: notifications still going after {} s are abandoned", workflowId, runId,
                    who.timeout().plusSeconds(5).toSeconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            // each delivery reports its own failure
        }
        threads.shutdownNow();
    }
}

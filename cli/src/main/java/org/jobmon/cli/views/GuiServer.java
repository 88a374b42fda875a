package org.jobmon.cli.views;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jdbi.v3.core.Handle;
import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.cli.status.Bucket;
import org.jobmon.cli.status.Formats;
import org.jobmon.cli.status.ResourceAdvice;
import org.jobmon.persistence.Database;
import org.jobmon.persistence.dao.StatusDao;
import org.jobmon.persistence.dao.StatusDao.InstanceRow;
import org.jobmon.persistence.dao.StatusDao.StatusCount;
import org.jobmon.persistence.dao.UsageDao;
import org.jobmon.persistence.dao.ViewDao;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The read-only web app of {@code jobmon gui}, on the JDK's own HTTP server: no dependency to ship,
 * and all it has to do is answer a few GETs from one person's browser. Pages are rendered on the
 * server from the same database as every command; each page fetches its own content again every
 * {@link #REFRESH_MS} ms and swaps it in (the only script, inline), so it follows a running workflow
 * without a reload. Nothing is loaded from anywhere else.
 */
public final class GuiServer implements AutoCloseable {
    static final int REFRESH_MS = 2000;
    static final int WORKFLOWS_SHOWN = 100;
    private static final Logger log = LoggerFactory.getLogger(GuiServer.class);
    private static final Pattern WORKFLOW = Pattern.compile("/workflow/(\\d{1,18})");
    private static final Pattern TASK = Pattern.compile("/task/(\\d{1,18})");
    private static final Pattern TEMPLATE = Pattern.compile("/template/(\\d{1,18})");

    private final Database db;
    private final HttpServer server;

    public GuiServer(Database db, String host, int port) throws IOException {
        this.db = db;
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "jobmon-gui");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    /**
     * Reads the workflows page and the newest workflow's page once, on a thread of its own, and
     * throws them away. The first read of a large workflow in a fresh process runs H2's code before
     * it is compiled and its pages before they are cached: several times the later reads (100,000
     * tasks: about 2 s, then a few hundred ms). Done when the server starts, it is done before the
     * person who started it has opened the page, most of the time. Completes normally even if a read
     * fails (the page will say why when it is asked for).
     */
    public java.util.concurrent.CompletableFuture<Void> warm() {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                route("/", Map.of());
                db.jdbi().withHandle(h -> new ViewDao().recentWorkflowIds(h, Optional.empty(), Optional.empty(), Optional.empty(), 1))
                        .forEach(id -> route("/workflow/" + id, Map.of()));
            } catch (RuntimeException e) {
                log.debug("gui: warming up failed: {}", e.toString());
            } finally {
                done.complete(null);
            }
        }, "jobmon-gui-warm");
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** The port it listens on (the one chosen, when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain", "read-only: GET only");
                return;
            }
            String path = ex.getRequestURI().getPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            boolean fragment = query.containsKey("fragment");
            Optional<Page> page;
            try {
                page = route(path, query);
            } catch (RuntimeException e) {
                log.warn("gui: {} failed: {}", path, e.toString());
                send(ex, 500, "text/plain; charset=utf-8", "could not read the database: " + e.getMessage());
                return;
            }
            if (page.isEmpty()) {
                send(ex, 404, "text/html; charset=utf-8", document("Not found", "<h1>Not found</h1><p>No page " + ReportHtml.esc(path)
                        + ". <a href=\"/\">All workflows</a></p>"));
                return;
            }
            send(ex, 200, "text/html; charset=utf-8", fragment ? page.get().content() : document(page.get().title(), page.get().content()));
        }
    }

    private record Page(String title, String content) {
    }

    private Optional<Page> route(String path, Map<String, String> query) {
        if (path.equals("/")) {
            return Optional.of(workflows(query));
        }
        Matcher m = WORKFLOW.matcher(path);
        if (m.matches()) {
            long id = Long.parseLong(m.group(1));
            return db.jdbi().withHandle(h -> new ViewDao().workflow(h, id).map(w -> new Page("Workflow " + id + " " + w.name(),
                    nav() + ReportHtml.body(WorkflowView.read(h, w), LocalDateTime.now(), true))));
        }
        m = TASK.matcher(path);
        if (m.matches()) {
            return task(Long.parseLong(m.group(1)));
        }
        m = TEMPLATE.matcher(path);
        if (m.matches()) {
            return template(Long.parseLong(m.group(1)));
        }
        return Optional.empty();
    }

    private static String nav() {
        return "<p class=\"nav\"><a href=\"/\">All workflows</a></p>\n";
    }

    private Page workflows(Map<String, String> query) {
        Optional<String> user = Optional.ofNullable(query.get("user")).filter(s -> !s.isBlank());
        Optional<String> name = Optional.ofNullable(query.get("name")).filter(s -> !s.isBlank());
        Optional<Character> status = Optional.ofNullable(query.get("status")).filter(s -> !s.isBlank()).flatMap(GuiServer::statusCode);
        StringBuilder b = new StringBuilder();
        b.append("<h1>Workflows</h1>\n<form method=\"get\" action=\"/\" class=\"filter\">user <input name=\"user\" value=\"")
                .append(ReportHtml.esc(user.orElse(""))).append("\"> name <input name=\"name\" value=\"").append(ReportHtml.esc(name.orElse("")))
                .append("\"> status <select name=\"status\"><option value=\"\">any</option>");
        for (WorkflowStatus s : WorkflowStatus.values()) {
            b.append("<option").append(status.isPresent() && status.get() == s.code() ? " selected" : "").append('>').append(s.name())
                    .append("</option>");
        }
        b.append("</select> <button type=\"submit\">show</button></form>\n");
        db.jdbi().useHandle(h -> workflowTable(h, b, user, name, status));
        return new Page("Workflows", b.toString());
    }

    private static Optional<Character> statusCode(String name) {
        for (WorkflowStatus s : WorkflowStatus.values()) {
            if (s.name().equalsIgnoreCase(name.strip())) {
                return Optional.of(s.code());
            }
        }
        return Optional.empty();
    }

    private static void workflowTable(Handle h, StringBuilder b, Optional<String> user, Optional<String> name, Optional<Character> status) {
        List<Long> ids = new ViewDao().recentWorkflowIds(h, user, name, status, WORKFLOWS_SHOWN);
        if (ids.isEmpty()) {
            b.append("<p id=\"no-workflows\">No workflows").append(user.isPresent() || name.isPresent() || status.isPresent() ? " match." : " yet.")
                    .append("</p>\n");
            return;
        }
        StatusDao dao = new StatusDao();
        Map<Long, StatusDao.WorkflowRow> rows = new HashMap<>();
        dao.workflows(h, ids).forEach(w -> rows.put(w.id(), w));
        Map<Long, Map<Bucket, Long>> counts = new HashMap<>();
        for (StatusCount c : dao.statusCounts(h, ids)) {
            counts.computeIfAbsent(c.workflowId(), k -> WorkflowView.zero()).merge(Bucket.ofTask(c.status()), c.tasks(), Long::sum);
        }
        Map<Long, List<ViewDao.RunRow>> runs = new LinkedHashMap<>();
        ViewDao views = new ViewDao();
        ids.forEach(id -> runs.put(id, views.runs(h, id)));
        b.append("<table id=\"workflows\"><tr><th>id</th><th>name</th><th>status</th><th>created</th><th>tasks</th><th>pending</th>"
                + "<th>running</th><th>done</th><th>fatal</th><th>progress</th><th>runs</th></tr>\n");
        for (long id : ids) {
            StatusDao.WorkflowRow w = rows.get(id);
            if (w == null) {
                continue;
            }
            Map<Bucket, Long> c = counts.getOrDefault(id, WorkflowView.zero());
            long total = c.values().stream().mapToLong(Long::longValue).sum();
            b.append("<tr data-workflow=\"").append(id).append("\"><td><a href=\"/workflow/").append(id).append("\">").append(id)
                    .append("</a></td><td><a href=\"/workflow/").append(id).append("\">").append(ReportHtml.esc(w.name())).append("</a></td><td>")
                    .append(ReportHtml.workflowStatus(w.status())).append("</td><td>").append(ReportHtml.time(w.created())).append("</td><td data-bucket=\"TOTAL\">")
                    .append(total).append("</td>");
            for (Bucket k : List.of(Bucket.PENDING, Bucket.RUNNING, Bucket.DONE, Bucket.FATAL)) {
                b.append("<td data-bucket=\"").append(k.name()).append("\">").append(c.get(k)).append("</td>");
            }
            b.append("<td>");
            ReportHtml.bar(b, c, total, 160);
            b.append("</td><td>");
            List<String> history = new ArrayList<>();
            for (ViewDao.RunRow r : runs.get(id)) {
                history.add(r.id() + " " + ReportHtml.runStatus(r.status()));
            }
            b.append(ReportHtml.esc(String.join(", ", history))).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private Optional<Page> task(long id) {
        return db.jdbi().withHandle(h -> {
            Optional<Map.Entry<String, Long>> found = h.createQuery("SELECT name, workflow_id FROM task WHERE id = :t").bind("t", id)
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2))).findOne();
            if (found.isEmpty()) {
                return Optional.<Page>empty();
            }
            List<String> name = List.of(found.get().getKey());
            long workflowId = found.get().getValue();
            List<InstanceRow> attempts = new StatusDao().instances(h, List.of(id), List.of());
            Map<Long, String> requested = new HashMap<>();
            h.createQuery("SELECT i.id, p.m_mem_free_mib, p.max_runtime_seconds, p.num_cores, p.queue FROM task_instance i "
                    + "LEFT JOIN executor_parameter_set p ON p.id = i.executor_parameter_set_id WHERE i.task_id = :t").bind("t", id)
                    .map((rs, ctx) -> requested.put(rs.getLong(1), rs.getObject(2) == null ? "-" : rs.getLong(2) + "M, " + rs.getLong(3)
                            + " s, " + rs.getInt(4) + " core" + (rs.getInt(4) == 1 ? "" : "s") + (rs.getString(5) == null ? "" : ", " + rs.getString(5))))
                    .forEach(x -> { });
            StringBuilder b = new StringBuilder(nav());
            b.append("<h1>Task ").append(id).append(' ').append(ReportHtml.esc(name.get(0))).append("</h1>\n<p class=\"meta\">in <a href=\"/workflow/")
                    .append(workflowId).append("\">workflow ").append(workflowId).append("</a></p>\n");
            if (attempts.isEmpty()) {
                b.append("<p id=\"no-attempts\">No attempts yet.</p>\n");
            } else {
                b.append("<table id=\"attempts\"><tr><th>attempt</th><th>executor id</th><th>status</th><th>exit code</th><th>host</th>"
                        + "<th>wallclock</th><th>max RSS</th><th>requested</th><th>stdout / stderr</th><th>error</th></tr>\n");
                for (InstanceRow r : attempts) {
                    b.append("<tr data-attempt=\"").append(r.id()).append("\"><td>").append(r.id()).append("</td><td>")
                            .append(ReportHtml.esc(r.executorId())).append("</td><td>").append(instanceStatus(r.status())).append("</td><td class=\"exit-code\">")
                            .append(r.exitCode() == null ? "-" : r.exitCode()).append("</td><td>").append(ReportHtml.esc(r.hostname()))
                            .append("</td><td>").append(r.wallclockSeconds() == null ? "-" : ResourceAdvice.formatSeconds(r.wallclockSeconds()))
                            .append("</td><td>").append(r.maxRssBytes() == null ? "-" : Formats.bytes(r.maxRssBytes())).append("</td><td>")
                            .append(ReportHtml.esc(requested.getOrDefault(r.id(), "-"))).append("</td><td><code>")
                            .append(ReportHtml.esc(r.stdout() == null ? "-" : r.stdout())).append("<br>")
                            .append(ReportHtml.esc(r.stderr() == null ? "-" : r.stderr())).append("</code></td><td><code>")
                            .append(ReportHtml.esc(r.errorTrace() == null ? "" : r.errorTrace())).append("</code></td></tr>\n");
                }
                b.append("</table>\n");
            }
            return Optional.of(new Page("Task " + id, b.toString()));
        });
    }

    private static String instanceStatus(char code) {
        try {
            return org.jobmon.api.Statuses.TaskInstanceStatus.of(code).name();
        } catch (RuntimeException e) {
            return String.valueOf(code);
        }
    }

    private Optional<Page> template(long versionId) {
        return db.jdbi().withHandle(h -> {
            UsageDao dao = new UsageDao();
            return dao.templateVersion(h, versionId).map(tv -> {
                ResourceAdvice a = ResourceAdvice.of(dao.doneAttempts(h, versionId, List.of()));
                StringBuilder b = new StringBuilder(nav());
                b.append("<h1>Task template ").append(ReportHtml.esc(tv.template())).append("</h1>\n<p class=\"meta\">tool ")
                        .append(ReportHtml.esc(tv.tool())).append(" &middot; version ").append(versionId).append(" &middot; ").append(a.attempts())
                        .append(" DONE attempts</p>\n");
                b.append("<table id=\"usage\"><tr><th></th><th>n</th><th>min</th><th>median</th><th>p95</th><th>max</th></tr>\n");
                row(b, "runtime", a.runtimeSeconds(), ResourceAdvice::formatSeconds);
                row(b, "max RSS", a.maxRssBytes(), v -> Formats.bytes(Math.round(v)));
                b.append("</table>\n<h2>Suggested for next time</h2>\n<table id=\"suggested\">");
                b.append("<tr><th>m_mem_free</th><td>").append(a.memoryMib().isPresent() ? a.memoryMib().getAsLong() + "M" : "-")
                        .append("</td></tr><tr><th>max_runtime_seconds</th><td>")
                        .append(a.maxRuntimeSeconds().isPresent() ? a.maxRuntimeSeconds().getAsLong() : "-").append("</td></tr><tr><th>num_cores</th><td>")
                        .append(a.numCores().isPresent() ? a.numCores().getAsInt() : "-").append("</td></tr><tr><th>queue</th><td>")
                        .append(ReportHtml.esc(a.queue().orElse("-"))).append("</td></tr></table>\n<p class=\"meta\">memory: the highest max RSS x "
                                + ResourceAdvice.MEMORY_MARGIN + ", rounded up to " + ResourceAdvice.MEMORY_STEP_MIB + " MiB; runtime: the p95 x "
                                + ResourceAdvice.RUNTIME_MARGIN + ", rounded up to whole minutes (jobmon task_template_resources)</p>\n");
                return new Page("Task template " + tv.template(), b.toString());
            });
        });
    }

    private static void row(StringBuilder b, String what, ResourceAdvice.Summary s, java.util.function.DoubleFunction<String> f) {
        b.append("<tr><th>").append(what).append("</th><td>").append(s.n()).append("</td>");
        for (double v : new double[] {s.min(), s.median(), s.p95(), s.max()}) {
            b.append("<td>").append(s.n() == 0 ? "-" : f.apply(v)).append("</td>");
        }
        b.append("</tr>\n");
    }

    /** A whole page: its content in {@code #content}, fetched again and swapped in every few seconds. */
    private static String document(String title, String content) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + ReportHtml.esc(title) + " - Jobmon</title>\n<style>"
                + ReportHtml.style() + ".nav{margin:0 0 8px}.filter input{width:10em}</style></head><body>\n<div id=\"content\">" + content
                + "</div>\n<script>\n(function () {\n  var content = document.getElementById('content');\n  var last = null;\n"
                + "  setInterval(function () {\n"
                + "    var q = location.search ? location.search.substring(1) + '&' : '';\n"
                + "    fetch(location.pathname + '?' + q + 'fragment=1', {cache: 'no-store'}).then(function (r) {\n"
                + "      if (r.ok) { return r.text(); } throw new Error(r.status);\n"
                + "    }).then(function (html) {\n      var active = document.activeElement;\n"
                + "      if (html !== last && !(active && active.form)) { content.innerHTML = html; last = html; }\n"
                + "      document.body.removeAttribute('data-stale');\n"
                + "    }).catch(function () { document.body.setAttribute('data-stale', 'true'); });\n  }, " + REFRESH_MS + ");\n})();\n</script>\n"
                + "</body></html>\n";
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) {
            return q;
        }
        for (String part : raw.split("&")) {
            int eq = part.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
            q.put(k.toLowerCase(Locale.ROOT), v);
        }
        return q;
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(code, -1);
            return;
        }
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}

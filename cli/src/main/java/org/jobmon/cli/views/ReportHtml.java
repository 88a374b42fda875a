package org.jobmon.cli.views;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jobmon.api.Statuses.WorkflowRunStatus;
import org.jobmon.api.Statuses.WorkflowStatus;
import org.jobmon.cli.status.Bucket;
import org.jobmon.cli.views.WorkflowView.ErrorGroup;
import org.jobmon.cli.views.WorkflowView.TemplateNode;
import org.jobmon.persistence.dao.ViewDao.RunRow;

/**
 * A workflow's views as one HTML document that needs nothing else: styles inline, the template DAG
 * as inline SVG, no script, no font, no image, no link to anywhere. It renders offline, attached to
 * an email or a ticket.
 */
public final class ReportHtml {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    /** Bucket colours, the same in the bars, the DAG and the legend. */
    private static final Map<Bucket, String> COLOUR = Map.of(Bucket.DONE, "#2e7d32", Bucket.RUNNING, "#1565c0", Bucket.PENDING, "#b0bec5",
            Bucket.FATAL, "#c62828");
    private static final List<Bucket> ORDER = List.of(Bucket.DONE, Bucket.RUNNING, Bucket.PENDING, Bucket.FATAL);
    private static final int BOX_W = 220;
    private static final int BOX_H = 70;
    private static final int GAP_X = 70;
    private static final int GAP_Y = 24;

    private ReportHtml() {
    }

    public static String render(WorkflowView v, LocalDateTime generated) {
        String title = "Workflow " + v.workflow().id() + " " + v.workflow().name();
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) + "</title>\n<style>" + STYLE
                + "</style></head><body>\n" + body(v, generated, false) + "</body></html>\n";
    }

    /** The styles every page shares. */
    static String style() {
        return STYLE;
    }

    /**
     * The workflow's sections; with {@code links}, templates and tasks link to their pages
     * ({@code /template/ID}, {@code /task/ID}), for the served pages (a report links nowhere).
     */
    static String body(WorkflowView v, LocalDateTime generated, boolean links) {
        StringBuilder b = new StringBuilder(16_384);
        String title = "Workflow " + v.workflow().id() + " " + v.workflow().name();
        b.append("<h1>").append(esc(title)).append("</h1>\n");
        b.append("<p class=\"meta\">status <b id=\"wf-status\">").append(workflowStatus(v.workflow().status())).append("</b>")
                .append(" &middot; workflow_args ").append(esc(v.workflow().workflowArgs()))
                .append(" &middot; created ").append(time(v.workflow().created()))
                .append(links ? " &middot; refreshed every " + GuiServer.REFRESH_MS / 1000 + " s" : " &middot; report made " + time(generated))
                .append("</p>\n");
        summary(b, v);
        dag(b, v);
        templates(b, v, links);
        timeline(b, v, generated);
        errors(b, v, links);
        runs(b, v.runs());
        return b.toString();
    }

    private static void summary(StringBuilder b, WorkflowView v) {
        long total = v.total();
        b.append("<h2>Tasks</h2>\n<table class=\"counts\" id=\"counts\"><tr><th>tasks</th>");
        for (Bucket k : ORDER) {
            b.append("<th>").append(k.name().toLowerCase(Locale.ROOT)).append("</th>");
        }
        b.append("</tr><tr><td data-bucket=\"TOTAL\">").append(total).append("</td>");
        for (Bucket k : ORDER) {
            b.append("<td data-bucket=\"").append(k.name()).append("\">").append(v.counts().get(k)).append("</td>");
        }
        b.append("</tr></table>\n");
        bar(b, v.counts(), total, 600);
    }

    static void bar(StringBuilder b, Map<Bucket, Long> counts, long total, int width) {
        b.append("<div class=\"bar\" style=\"width:").append(width).append("px\">");
        for (Bucket k : ORDER) {
            long n = counts.get(k);
            if (n > 0 && total > 0) {
                b.append("<span style=\"width:").append(String.format(Locale.ROOT, "%.3f", 100.0 * n / total)).append("%;background:")
                        .append(COLOUR.get(k)).append("\" title=\"").append(k.name().toLowerCase(Locale.ROOT)).append(' ').append(n)
                        .append("\"></span>");
            }
        }
        b.append("</div>\n");
    }

    private static void dag(StringBuilder b, WorkflowView v) {
        List<TemplateNode> nodes = v.templates();
        if (nodes.isEmpty()) {
            return;
        }
        int levels = nodes.stream().mapToInt(TemplateNode::level).max().orElse(0) + 1;
        int rows = nodes.stream().mapToInt(TemplateNode::row).max().orElse(0) + 1;
        int w = levels * (BOX_W + GAP_X) - GAP_X + 20;
        int h = rows * (BOX_H + GAP_Y) - GAP_Y + 20;
        b.append("<h2>Task templates</h2>\n<svg id=\"dag\" width=\"").append(w).append("\" height=\"")
                .append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\" role=\"img\">\n")
                .append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
                        + "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/></marker></defs>\n");
        for (int[] e : v.edges()) {
            TemplateNode u = nodes.get(e[0]);
            TemplateNode d = nodes.get(e[1]);
            b.append("<line class=\"edge\" x1=\"").append(x(u) + BOX_W).append("\" y1=\"").append(y(u) + BOX_H / 2).append("\" x2=\"")
                    .append(x(d)).append("\" y2=\"").append(y(d) + BOX_H / 2).append("\" stroke=\"#555\" marker-end=\"url(#arrow)\"/>\n");
        }
        for (TemplateNode n : nodes) {
            int x = x(n);
            int y = y(n);
            long total = n.total();
            b.append("<g class=\"template\" data-template=\"").append(esc(n.name())).append("\" data-total=\"").append(total);
            for (Bucket k : ORDER) {
                b.append("\" data-").append(k.name().toLowerCase(Locale.ROOT)).append("=\"").append(n.counts().get(k));
            }
            b.append("\"><rect x=\"").append(x).append("\" y=\"").append(y).append("\" width=\"").append(BOX_W).append("\" height=\"")
                    .append(BOX_H).append("\" rx=\"6\" fill=\"#fff\" stroke=\"#333\"/>\n");
            b.append("<text x=\"").append(x + 10).append("\" y=\"").append(y + 20).append("\" class=\"name\">").append(esc(cut(n.name(), 26)))
                    .append("</text>\n");
            b.append("<text x=\"").append(x + 10).append("\" y=\"").append(y + 38).append("\" class=\"small\">").append(total)
                    .append(total == 1 ? " task: " : " tasks: ").append(n.counts().get(Bucket.DONE)).append(" done, ").append(n.counts().get(Bucket.FATAL))
                    .append(" fatal</text>\n");
            int bx = x + 10;
            int bw = BOX_W - 20;
            double at = bx;
            for (Bucket k : ORDER) {
                long c = n.counts().get(k);
                if (c > 0 && total > 0) {
                    double seg = bw * (double) c / total;
                    b.append("<rect x=\"").append(String.format(Locale.ROOT, "%.2f", at)).append("\" y=\"").append(y + 48)
                            .append("\" width=\"").append(String.format(Locale.ROOT, "%.2f", seg)).append("\" height=\"12\" fill=\"")
                            .append(COLOUR.get(k)).append("\"/>");
                    at += seg;
                }
            }
            b.append("</g>\n");
        }
        b.append("</svg>\n");
        legend(b);
    }

    private static void legend(StringBuilder b) {
        b.append("<p class=\"legend\">");
        for (Bucket k : ORDER) {
            b.append("<span class=\"swatch\" style=\"background:").append(COLOUR.get(k)).append("\"></span>")
                    .append(k.name().toLowerCase(Locale.ROOT)).append(' ');
        }
        b.append("</p>\n");
    }

    private static int x(TemplateNode n) {
        return 10 + n.level() * (BOX_W + GAP_X);
    }

    private static int y(TemplateNode n) {
        return 10 + n.row() * (BOX_H + GAP_Y);
    }

    private static void templates(StringBuilder b, WorkflowView v, boolean links) {
        b.append("<table id=\"templates\"><tr><th>template</th><th>tasks</th>");
        for (Bucket k : ORDER) {
            b.append("<th>").append(k.name().toLowerCase(Locale.ROOT)).append("</th>");
        }
        b.append("<th>progress</th></tr>\n");
        for (TemplateNode n : v.templates()) {
            String name = links ? "<a href=\"/template/" + n.versionId() + "\">" + esc(n.name()) + "</a>" : esc(n.name());
            b.append("<tr data-template=\"").append(esc(n.name())).append("\"><td>").append(name).append("</td><td>")
                    .append(n.total()).append("</td>");
            for (Bucket k : ORDER) {
                b.append("<td data-bucket=\"").append(k.name()).append("\">").append(n.counts().get(k)).append("</td>");
            }
            b.append("<td>");
            bar(b, n.counts(), n.total(), 200);
            b.append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /**
     * One bar per attempt from its start to its end (or now, while it runs), coloured by how it ended;
     * each template's attempts packed into as few lanes as never overlap.
     */
    private static void timeline(StringBuilder b, WorkflowView v, LocalDateTime now) {
        b.append("<h2>Timeline</h2>\n");
        if (v.attempts() > WorkflowView.TIMELINE_MAX) {
            b.append("<p class=\"meta\">Shown for workflows of up to ").append(WorkflowView.TIMELINE_MAX)
                    .append(" attempts; this one has more.</p>\n");
            return;
        }
        List<org.jobmon.persistence.dao.ViewDao.AttemptSpan> spans = v.timeline();
        if (spans.isEmpty()) {
            b.append("<p class=\"meta\" id=\"no-timeline\">No attempt has started yet.</p>\n");
            return;
        }
        LocalDateTime first = spans.stream().map(s -> s.start()).min(LocalDateTime::compareTo).orElseThrow();
        LocalDateTime last = spans.stream().map(s -> s.end() == null ? now : s.end()).max(LocalDateTime::compareTo).orElseThrow();
        double total = Math.max(1e-3, java.time.Duration.between(first, last).toNanos() / 1e9);
        int labelW = 150;
        int plotW = 800;
        int laneH = 8;
        StringBuilder bars = new StringBuilder();
        int y = 0;
        String template = null;
        List<LocalDateTime> laneEnds = new java.util.ArrayList<>();
        for (var s : spans) {
            if (!s.template().equals(template)) {
                y += laneEnds.size() * laneH + (template == null ? 0 : 10);
                template = s.template();
                laneEnds.clear();
                bars.append("<text x=\"0\" y=\"").append(y + 10).append("\" class=\"small\">").append(esc(cut(template, 22))).append("</text>\n");
            }
            LocalDateTime end = s.end() == null ? now : s.end();
            int lane = 0;
            while (lane < laneEnds.size() && laneEnds.get(lane).isAfter(s.start())) {
                lane++;
            }
            if (lane == laneEnds.size()) {
                laneEnds.add(end);
            } else {
                laneEnds.set(lane, end);
            }
            double x0 = labelW + plotW * (java.time.Duration.between(first, s.start()).toNanos() / 1e9) / total;
            double w = Math.max(1.0, plotW * (java.time.Duration.between(s.start(), end).toNanos() / 1e9) / total);
            Bucket bucket = instanceBucket(s.status());
            bars.append("<rect class=\"attempt\" data-attempt=\"").append(s.id()).append("\" x=\"").append(String.format(Locale.ROOT, "%.1f", x0))
                    .append("\" y=\"").append(y + lane * laneH).append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", w))
                    .append("\" height=\"").append(laneH - 2).append("\" fill=\"").append(COLOUR.get(bucket)).append("\"><title>attempt ")
                    .append(s.id()).append(' ').append(esc(s.template())).append(' ').append(bucket.name().toLowerCase(Locale.ROOT))
                    .append("</title></rect>\n");
        }
        y += laneEnds.size() * laneH;
        b.append("<svg id=\"timeline\" width=\"").append(labelW + plotW + 10).append("\" height=\"").append(y + 24).append("\">\n")
                .append(bars).append("<text x=\"").append(labelW).append("\" y=\"").append(y + 18).append("\" class=\"small\">")
                .append(time(first)).append("</text><text x=\"").append(labelW + plotW).append("\" y=\"").append(y + 18)
                .append("\" class=\"small\" text-anchor=\"end\">").append(time(last)).append(" (")
                .append(org.jobmon.cli.status.ResourceAdvice.formatSeconds(total)).append(")</text>\n</svg>\n");
    }

    private static Bucket instanceBucket(char code) {
        try {
            return Bucket.ofInstance(code);
        } catch (IllegalArgumentException e) {
            return Bucket.PENDING;
        }
    }

    private static void errors(StringBuilder b, WorkflowView v, boolean links) {
        b.append("<h2>Errors</h2>\n");
        if (v.errors().isEmpty()) {
            b.append("<p id=\"no-errors\">No errors were logged.</p>\n");
            return;
        }
        b.append("<p class=\"meta\">grouped by their last line").append(v.errorsRead() >= WorkflowView.ERRORS_READ ? ", from the newest "
                + WorkflowView.ERRORS_READ : "").append("</p>\n<table id=\"errors\"><tr><th>count</th><th>error</th><th>example task</th></tr>\n");
        for (ErrorGroup g : v.errors()) {
            b.append("<tr><td class=\"num\">").append(g.count()).append("</td><td><code>").append(esc(cut(g.message(), 400)))
                    .append("</code></td><td>").append(links ? "<a href=\"/task/" + g.exampleTaskId() + "\">" : "")
                    .append(esc(g.exampleTaskName())).append(" (task ").append(g.exampleTaskId()).append(')')
                    .append(links ? "</a>" : "").append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    private static void runs(StringBuilder b, List<RunRow> runs) {
        b.append("<h2>Runs</h2>\n<table id=\"runs\"><tr><th>run</th><th>status</th><th>user</th><th>host</th><th>started</th>"
                + "<th>last change</th></tr>\n");
        for (RunRow r : runs) {
            b.append("<tr><td>").append(r.id()).append("</td><td>").append(runStatus(r.status())).append("</td><td>").append(esc(r.user()))
                    .append("</td><td>").append(esc(r.hostname())).append("</td><td>").append(time(r.created())).append("</td><td>")
                    .append(time(r.statusDate())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    static String workflowStatus(char code) {
        try {
            return WorkflowStatus.of(code).name();
        } catch (RuntimeException e) {
            return String.valueOf(code);
        }
    }

    static String runStatus(char code) {
        try {
            return WorkflowRunStatus.of(code).name();
        } catch (RuntimeException e) {
            return String.valueOf(code);
        }
    }

    static String time(LocalDateTime t) {
        return t == null ? "-" : TIME.format(t);
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    /** Text as HTML: the five characters that mean something there, escaped. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#222;max-width:1200px}
            h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.15em;margin-top:28px}
            .meta{color:#555;margin-top:0}
            table{border-collapse:collapse;margin:8px 0}th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.num,table.counts td{text-align:right}
            .bar{display:flex;height:14px;background:#eceff1;border-radius:3px;overflow:hidden}.bar span{display:block;height:100%}
            svg text.name{font-weight:600;font-size:13px}svg text.small{font-size:11px;fill:#444}
            .legend .swatch{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px;vertical-align:middle}
            code{white-space:pre-wrap;font-size:12px}
            """;
}

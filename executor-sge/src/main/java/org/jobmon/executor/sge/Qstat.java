package org.jobmon.executor.sge;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.jobmon.api.executor.Executor.InstanceState;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads what {@code qstat -xml} and {@code qstat -j} print. Job ids are Jobmon's executor ids:
 * {@code "22"} for a job, {@code "22.3"} for member 3 of array job 22. Pending array members are
 * listed as ranges ({@code 2-4:1}, {@code 1,3,5}); running ones one by one.
 */
final class Qstat {
    private Qstat() {
    }

    /** One listed job (or array member) and its state letters ({@code qw}, {@code hqw}, {@code Eqw}, {@code r}, {@code dr}). */
    record Listed(String executorId, String state) {
    }

    /** Every job and array member {@code qstat -xml} lists. */
    static List<Listed> parseXml(String xml) {
        Document doc;
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            DocumentBuilder b = f.newDocumentBuilder();
            doc = b.parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException("qstat -xml printed something that is not XML: " + e.getMessage(), e);
        }
        List<Listed> listed = new ArrayList<>();
        NodeList jobs = doc.getElementsByTagName("job_list");
        for (int i = 0; i < jobs.getLength(); i++) {
            Element job = (Element) jobs.item(i);
            String number = text(job, "JB_job_number");
            String state = text(job, "state");
            if (number.isEmpty()) {
                continue;
            }
            String tasks = text(job, "tasks");
            if (tasks.isEmpty()) {
                listed.add(new Listed(number, state));
            } else {
                for (long t : taskIds(tasks)) {
                    listed.add(new Listed(number + "." + t, state));
                }
            }
        }
        return listed;
    }

    private static String text(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                return e.getTextContent().trim();
            }
        }
        return "";
    }

    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+)(?::(\\d+))?)?");

    /** The task ids of {@code 2-4:1}, {@code 7}, {@code 1,3,5} or {@code 1-9:2,12}. */
    static List<Long> taskIds(String tasks) {
        List<Long> ids = new ArrayList<>();
        for (String part : tasks.split(",")) {
            Matcher m = RANGE.matcher(part.trim());
            if (!m.matches()) {
                continue;
            }
            long from = Long.parseLong(m.group(1));
            long to = m.group(2) == null ? from : Long.parseLong(m.group(2));
            long step = m.group(3) == null ? 1 : Math.max(1, Long.parseLong(m.group(3)));
            for (long t = from; t <= to && ids.size() < 1_000_000; t += step) {
                ids.add(t);
            }
        }
        return ids;
    }

    /** What Jobmon makes of Grid Engine's state letters. */
    static InstanceState state(String letters) {
        if (letters.contains("E")) {
            return InstanceState.ERROR;
        }
        // running first: a hold put on a running job ("hr") does not stop it; "R" alone (rescheduled, "Rq") is not running
        if (letters.contains("r") || letters.contains("t") || letters.contains("s") || letters.contains("S")
                || letters.contains("T")) {
            return InstanceState.RUNNING;
        }
        if (letters.contains("h")) {
            return InstanceState.HELD;
        }
        return InstanceState.QUEUED;
    }

    /** The "error reason" lines of {@code qstat -j ID[,ID...]}, by job number. */
    static Map<String, String> errorReasons(String text) {
        Map<String, String> reasons = new HashMap<>();
        String job = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("job_number:")) {
                job = line.substring("job_number:".length()).trim();
            } else if (job != null && line.startsWith("error reason")) {
                int colon = line.indexOf(':');
                String reason = colon < 0 ? line : line.substring(colon + 1).trim();
                // "12/01/2026 05:38:10 [0:29061]: error: can't open output file ..." -> from "error:" on
                int error = reason.indexOf("error:");
                reasons.merge(job, error >= 0 ? reason.substring(error + "error:".length()).trim() : reason, (a, b) -> a + "; " + b);
            }
        }
        return reasons;
    }
}

package org.jobmon.cli.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A task entry's {@code foreach}: variables, each with a list of values or an inclusive range
 * {@code {from, to, step}}, expanded to one combination per task (the cartesian product, the
 * first variable varying slowest, as nested loops written in that order would).
 */
final class Foreach {
    /** More tasks than this from one entry is almost surely a mistake in a range. */
    static final long MAX_COMBINATIONS = 5_000_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final List<String> variables;
    private final List<List<String>> values;

    private Foreach(List<String> variables, List<List<String>> values) {
        this.variables = List.copyOf(variables);
        this.values = List.copyOf(values);
    }

    /** No foreach: one combination without variables. */
    static Foreach none() {
        return new Foreach(List.of(), List.of());
    }

    static Foreach parse(SpecNode node) {
        Map<String, SpecNode> entries = node.anyObject();
        if (entries.isEmpty()) {
            throw node.error("foreach is empty: give at least one variable with its values, "
                    + "such as location_id: [1, 2] or location_id: {from: 1, to: 10}, or drop foreach for a single task");
        }
        List<String> variables = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        long combinations = 1;
        for (Map.Entry<String, SpecNode> e : entries.entrySet()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw e.getValue().error("'" + e.getKey() + "' is not a variable name: use letters, digits and _");
            }
            List<String> vs = e.getValue().isObject() ? range(e.getValue()) : list(e.getValue());
            variables.add(e.getKey());
            values.add(vs);
            combinations *= vs.size();
            if (combinations > MAX_COMBINATIONS) {
                throw node.error("foreach makes more than " + MAX_COMBINATIONS
                        + " tasks from one entry: check the ranges, or split the entry");
            }
        }
        return new Foreach(variables, values);
    }

    private static List<String> list(SpecNode node) {
        if (!node.isArray()) {
            throw node.error(node.describe() + " is not a list of values or a range: write [1, 2] or {from: 1, to: 10}");
        }
        List<SpecNode> items = node.list();
        if (items.isEmpty()) {
            throw node.error("the list of values is empty, so the entry would make no tasks: give at least one value");
        }
        List<String> out = new ArrayList<>(items.size());
        for (SpecNode item : items) {
            out.add(item.scalarText());
        }
        return out;
    }

    private static List<String> range(SpecNode node) {
        Map<String, SpecNode> keys = node.object(SpecNode.keys("from", "to", "step"), SpecNode.keys("from", "to"));
        long from = keys.get("from").integer();
        long to = keys.get("to").integer();
        long step = keys.containsKey("step") ? keys.get("step").integer() : 1;
        if (step == 0) {
            throw keys.get("step").error("step 0 never reaches 'to': use a step of 1 or more (or below 0 to count down)");
        }
        if (step > 0 && from > to || step < 0 && from < to) {
            throw node.error("the range from " + from + " to " + to + " with step " + step
                    + " is empty: 'from' and 'to' are both included, so swap them or change the sign of the step");
        }
        long count = (to - from) / step + 1;
        if (count > MAX_COMBINATIONS) {
            throw node.error("the range from " + from + " to " + to + " with step " + step + " has " + count
                    + " values, more than " + MAX_COMBINATIONS + ": check it");
        }
        List<String> out = new ArrayList<>((int) count);
        for (long i = 0; i < count; i++) {
            out.add(Long.toString(from + i * step));
        }
        return out;
    }

    List<String> variables() {
        return variables;
    }

    boolean isEmpty() {
        return variables.isEmpty();
    }

    /** Every combination, as variable to value in the foreach's order. */
    List<Map<String, String>> combinations() {
        List<Map<String, String>> out = new ArrayList<>();
        expand(0, new LinkedHashMap<>(), out);
        return out;
    }

    private void expand(int depth, LinkedHashMap<String, String> current, List<Map<String, String>> out) {
        if (depth == variables.size()) {
            out.add(Collections.unmodifiableMap(new LinkedHashMap<>(current)));
            return;
        }
        for (String v : values.get(depth)) {
            current.put(variables.get(depth), v);
            expand(depth + 1, current, out);
        }
        current.remove(variables.get(depth));
    }
}

package org.jobmon.cli.spec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value in a spec file together with where it is ({@code tasks[1].foreach.location_id}), so that
 * every error names the file, the path, the value and the fix. Typed getters reject values of the
 * wrong kind instead of coercing them.
 */
final class SpecNode {
    private final String file;
    private final String path;
    private final JsonNode node;

    private SpecNode(String file, String path, JsonNode node) {
        this.file = requireNonNull(file, "file is null");
        this.path = requireNonNull(path, "path is null");
        this.node = requireNonNull(node, "node is null");
    }

    /** Key names in the order they are listed (for messages), as a set. */
    static Set<String> keys(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
    }

    static SpecNode root(String file, JsonNode node) {
        return new SpecNode(file, "", node);
    }

    String path() {
        return path.isEmpty() ? "(top level)" : path;
    }

    String file() {
        return file;
    }

    /** The key this node has in its parent object, or its path for list items and the root. */
    String key() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }

    boolean isNull() {
        return node.isNull();
    }

    boolean isObject() {
        return node.isObject();
    }

    boolean isArray() {
        return node.isArray();
    }

    boolean isScalar() {
        return node.isValueNode() && !node.isNull();
    }

    /** The child at {@code key}; absent children are missing nodes (check with {@link #present()}). */
    SpecNode get(String key) {
        JsonNode child = node.path(key);
        return new SpecNode(file, path.isEmpty() ? key : path + "." + key, child);
    }

    boolean present() {
        return !node.isMissingNode();
    }

    /**
     * The object's entries in file order, after checking that it is an object whose keys are all in
     * {@code allowed} and that every key in {@code required} is there.
     */
    Map<String, SpecNode> object(Set<String> allowed, Set<String> required) {
        Map<String, SpecNode> entries = anyObject();
        for (String key : entries.keySet()) {
            if (!allowed.contains(key)) {
                throw error("unknown key '" + key + "'" + Suggestions.didYouMean(key, allowed)
                        + "; the keys allowed here are " + String.join(", ", allowed));
            }
        }
        for (String key : required) {
            if (!entries.containsKey(key)) {
                throw error("the required key '" + key + "' is missing: add it; the keys allowed here are "
                        + String.join(", ", allowed) + ", of which " + String.join(", ", required) + " must be given");
            }
        }
        return entries;
    }

    /** The object's entries in file order, whatever their keys. */
    Map<String, SpecNode> anyObject() {
        if (!node.isObject()) {
            throw error("expected a map of key: value, found " + describe());
        }
        Map<String, SpecNode> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            entries.put(e.getKey(), new SpecNode(file, path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue()));
        }
        return entries;
    }

    List<SpecNode> list() {
        if (!node.isArray()) {
            throw error("expected a list, found " + describe());
        }
        List<SpecNode> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(new SpecNode(file, path + "[" + i + "]", node.get(i)));
        }
        return items;
    }

    /** A string; numbers are accepted as their text (a name like {@code 2024} needs no quotes). */
    String text() {
        if (node.isTextual() || node.isNumber()) {
            return node.asText();
        }
        throw error("expected text, found " + describe());
    }

    /** A non-blank string. */
    String nonBlankText() {
        String s = text();
        if (s.isBlank()) {
            throw error("must not be blank");
        }
        return s;
    }

    /** The text of a string, number or boolean: what an arg or an attribute may be. */
    String scalarText() {
        if (isScalar() && !node.isBinary() && !node.isPojo()) {
            return node.asText();
        }
        throw error("expected a single value (text, a number or true/false), found " + describe());
    }

    /** A string, number or boolean as a plain Java value, for parsers that accept several forms. */
    Object scalarValue() {
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        throw error("expected a single value, found " + describe());
    }

    long integer() {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isFloatingPointNumber() && node.canConvertToExactIntegral() && node.canConvertToLong()) {
            return node.longValue();
        }
        throw error("expected a whole number, found " + describe());
    }

    int intValue() {
        long v = integer();
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw error(describe() + " is too large");
        }
        return (int) v;
    }

    boolean bool() {
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        throw error("expected true or false, found " + describe());
    }

    /** The value as people read it in a message: text quoted, anything else as written. */
    String describe() {
        if (node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "no value";
        }
        String shown = node.isTextual() ? "'" + node.textValue() + "'" : node.toString();
        String kind = node.isObject() ? "a map " : node.isArray() ? "a list " : "";
        return kind + (shown.length() > 80 ? shown.substring(0, 77) + "..." : shown);
    }

    /** A user error at this node. */
    JobmonException error(String message) {
        return new JobmonException(ErrorCode.INVALID_SPEC, file + ": " + path() + ": " + message);
    }

    /** An api error about this node's value, with the file and path added and the code kept. */
    JobmonException error(JobmonException cause) {
        return new JobmonException(cause.code(), file + ": " + path() + ": " + cause.getMessage(), cause);
    }
}

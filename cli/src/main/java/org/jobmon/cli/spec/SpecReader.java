package org.jobmon.cli.spec;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Parses a spec's text into a tree, as YAML or JSON: by the file's extension ({@code .yaml},
 * {@code .yml}, {@code .json}), else by its content (JSON starts with a brace). A syntax error
 * names the line and column and shows the line. Duplicate keys are an error, not a silent
 * overwrite, and a file holds one document.
 */
final class SpecReader {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)' for");
    private static final Pattern SOURCE_NOISE = Pattern.compile("\\[Source: [^;\\]]*; ");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .build();

    enum Format {
        YAML, JSON;

        static Format of(String fileName, String text) {
            String lower = fileName.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".json")) {
                return JSON;
            }
            if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
                return YAML;
            }
            return text.stripLeading().startsWith("{") ? JSON : YAML;
        }
    }

    private SpecReader() {
    }

    /** The spec's tree; {@code file} is the name errors show. */
    static SpecNode read(String file, String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        Format format = Format.of(file, body);
        JsonNode tree;
        try {
            tree = (format == Format.JSON ? JSON : YAML).readTree(body);
        } catch (JsonProcessingException e) {
            throw syntaxError(file, format, body, e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            throw new JobmonException(ErrorCode.INVALID_SPEC, file + ": the spec is empty: give tool, workflow, task_templates and tasks");
        }
        return SpecNode.root(file, tree);
    }

    private static JobmonException syntaxError(String file, Format format, String text, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String problem = problem(e);
        StringBuilder msg = new StringBuilder(file).append(": ");
        if (at != null && at.getLineNr() > 0) {
            msg.append(format).append(" syntax error at line ").append(at.getLineNr()).append(", column ")
                    .append(at.getColumnNr()).append(": ").append(problem);
            String line = line(text, at.getLineNr());
            if (line != null && !line.isBlank()) {
                msg.append('\n').append("    ").append(line);
                if (at.getColumnNr() > 0 && at.getColumnNr() <= line.length() + 1) {
                    msg.append('\n').append("    ").append(" ".repeat(at.getColumnNr() - 1)).append('^');
                }
            }
        } else {
            msg.append(format).append(" syntax error: ").append(problem);
        }
        return new JobmonException(ErrorCode.INVALID_SPEC, msg.toString(), e);
    }

    /** The parser's complaint without the snippets and source descriptions it repeats. */
    private static String problem(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        Matcher dup = DUPLICATE.matcher(original);
        if (dup.find()) {
            return "the key '" + dup.group(1) + "' appears twice in one map: keep one";
        }
        if (original.contains("Trailing token")) {
            return "more follows the end of the spec: a spec file holds one document";
        }
        // SnakeYAML's messages interleave indented snippets and "in 'reader', line..." lines
        String text = original.lines()
                .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining("; "));
        return SOURCE_NOISE.matcher(text).replaceAll("[");
    }

    private static String line(String text, int lineNr) {
        return text.lines().skip(lineNr - 1L).findFirst().orElse(null);
    }
}

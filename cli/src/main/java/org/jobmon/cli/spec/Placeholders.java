package org.jobmon.cli.spec;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {name}} placeholders in a spec's task names, arg values, attributes and upstream patterns.
 * Only a name in braces is a placeholder, so {@code awk '{print $1}'} stays as it is;
 * {@code {{} and {@code }}} write a literal brace where a name in braces is meant literally
 * ({@code ${{HOME}}} gives {@code ${HOME}}).
 */
final class Placeholders {
    private static final Pattern TOKEN = Pattern.compile("\\{\\{|}}|\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Placeholders() {
    }

    /** The names the text refers to, in order of first use. */
    static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The text with every placeholder filled; every name must be in {@code values} (checked before). */
    static String fill(String text, Map<String, String> values) {
        if (text.indexOf('{') < 0 && text.indexOf('}') < 0) {
            return text;
        }
        Matcher m = TOKEN.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 16);
        while (m.find()) {
            String replacement;
            if (m.group(1) == null) {
                replacement = m.group().substring(1);
            } else {
                replacement = values.get(m.group(1));
                if (replacement == null) {
                    throw new IllegalStateException("no value for {" + m.group(1) + "} in '" + text + "'");
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}

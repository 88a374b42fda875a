package org.jobmon.cli.spec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Finds tasks by name or by a pattern where {@code *} matches any text. Names are kept sorted, so
 * a pattern is compared only with the names that start with its text before the first {@code *}:
 * {@code transform_3_*} looks at the transform tasks of location 3, not at every task.
 */
final class TaskNameIndex<T> {
    private final NavigableMap<String, T> byName = new TreeMap<>();
    private final Map<String, Pattern> compiled = new HashMap<>();

    /** Adds a task; returns the task already there under that name, or null. */
    T putIfAbsent(String name, T task) {
        return byName.putIfAbsent(name, task);
    }

    /** The tasks the pattern matches, in name order; empty when none does. */
    List<T> match(String pattern) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            T t = byName.get(pattern);
            return t == null ? List.of() : List.of(t);
        }
        String prefix = pattern.substring(0, star);
        Pattern regex = compiled.computeIfAbsent(pattern, TaskNameIndex::toRegex);
        List<T> out = new ArrayList<>();
        for (Map.Entry<String, T> e : byName.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (regex.matcher(e.getKey()).matches()) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    private static Pattern toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        int start = 0;
        for (int i = glob.indexOf('*'); i >= 0; i = glob.indexOf('*', start)) {
            re.append(Pattern.quote(glob.substring(start, i))).append(".*");
            start = i + 1;
        }
        re.append(Pattern.quote(glob.substring(start)));
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}

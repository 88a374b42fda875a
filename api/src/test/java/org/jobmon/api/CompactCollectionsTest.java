package org.jobmon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The small collections a task keeps its args and links in behave as the JDK's ordered ones. */
class CompactCollectionsTest {
    private final TaskTemplate template = Tool.create("compact").getTaskTemplate("t", "echo {a} {b} {c}", List.of("a", "b", "c"),
            List.of(), List.of());

    private Task task(int i) {
        return template.createTask(Map.of("a", i, "b", 2, "c", 3));
    }

    @Test
    void linksKeepTheirOrderRefuseDuplicatesAndStayCorrectPastTheIndexedSize() {
        Task down = task(0);
        List<Task> ups = new ArrayList<>();
        for (int i = 1; i <= TaskLinks.INDEXED * 3; i++) {
            ups.add(task(i));
        }
        down.addUpstreams(ups);
        down.addUpstreams(ups); // again: nothing changes
        Set<Task> seen = down.upstreams();
        assertThat(seen).hasSize(ups.size()).containsExactlyElementsOf(ups);
        assertThat(seen.contains(ups.get(0))).isTrue();
        assertThat(seen.contains(ups.get(ups.size() - 1))).isTrue();
        assertThat(seen.contains(down)).isFalse();
        assertThat(ups.get(5).downstreams()).containsExactly(down);
        assertThat(task(99).upstreams()).isEmpty();
        assertThatThrownBy(() -> seen.add(down)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(seen).isEqualTo(Set.copyOf(ups));
    }

    @Test
    void argMapsKeepTheTemplatesOrderAndEqualAnyMapOfTheSameEntries() {
        Map<String, String> args = task(7).nodeArgs();
        assertThat(args.keySet()).containsExactly("a", "b", "c");
        assertThat(args.values()).containsExactly("7", "2", "3");
        assertThat(args.get("b")).isEqualTo("2");
        assertThat(args.get("z")).isNull();
        assertThat(args.containsKey("c")).isTrue();
        Map<String, String> same = new LinkedHashMap<>();
        same.put("c", "3");
        same.put("a", "7");
        same.put("b", "2");
        assertThat(args).isEqualTo(same).hasSameHashCodeAs(same);
        assertThat(args.toString()).isEqualTo("{a=7, b=2, c=3}");
        assertThatThrownBy(() -> args.put("a", "8")).isInstanceOf(UnsupportedOperationException.class);
    }
}

package org.jobmon.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskNameIndexTest {
    private final TaskNameIndex<String> index = new TaskNameIndex<>();

    @BeforeEach
    void names() {
        for (String n : new String[] {"transform_1_1", "transform_1_2", "transform_10_1", "aggregate_1", "a.b+c", "x*y"}) {
            index.putIfAbsent(n, n);
        }
    }

    @Test
    void aNameWithoutStarMatchesExactly() {
        assertThat(index.match("transform_1_1")).containsExactly("transform_1_1");
        assertThat(index.match("transform_1")).isEmpty();
    }

    @Test
    void aStarMatchesAnyTextIncludingNone() {
        assertThat(index.match("transform_1_*")).containsExactly("transform_1_1", "transform_1_2");
        assertThat(index.match("transform_*_1")).containsExactly("transform_10_1", "transform_1_1");
        assertThat(index.match("*_1")).containsExactly("aggregate_1", "transform_10_1", "transform_1_1");
        assertThat(index.match("aggregate_1*")).containsExactly("aggregate_1");
        assertThat(index.match("*")).hasSize(6);
        assertThat(index.match("nothing_*")).isEmpty();
    }

    @Test
    void otherCharactersAreLiteral() {
        assertThat(index.match("a.b+*")).containsExactly("a.b+c");
        assertThat(index.match("a?b*")).isEmpty();
        assertThat(index.match("x*")).containsExactly("x*y");
    }

    @Test
    void theFirstTaskUnderANameStays() {
        assertThat(index.putIfAbsent("aggregate_1", "again")).isEqualTo("aggregate_1");
        assertThat(index.match("aggregate_1")).containsExactly("aggregate_1");
    }
}

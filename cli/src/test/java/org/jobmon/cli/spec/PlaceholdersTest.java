package org.jobmon.cli.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class PlaceholdersTest {
    @Test
    void namesInBracesAreFilled() {
        assertThat(Placeholders.fill("out/t_{location_id}_{sex_id}", Map.of("location_id", "3", "sex_id", "2")))
                .isEqualTo("out/t_3_2");
        assertThat(Placeholders.names("{a}-{b}-{a}")).containsExactly("a", "b");
    }

    @Test
    void doubledBracesAreLiteralAndOtherBracesStay() {
        assertThat(Placeholders.names("${{HOME}} awk '{print $1}' {}")).isEmpty();
        assertThat(Placeholders.fill("${{HOME}}/{a} awk '{print $1}' {}", Map.of("a", "x")))
                .isEqualTo("${HOME}/x awk '{print $1}' {}");
    }

    @Test
    void replacementTextIsTakenLiterally() {
        assertThat(Placeholders.fill("{a}", Map.of("a", "$1\\{b}"))).isEqualTo("$1\\{b}");
    }
}

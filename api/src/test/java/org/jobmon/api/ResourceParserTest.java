package org.jobmon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ResourceParserTest {
    @Test
    void memoryInTheSeedsFormats() {
        assertThat(ResourceParser.memoryMib("m", "1G")).isEqualTo(1024);
        assertThat(ResourceParser.memoryMib("m", "128M")).isEqualTo(128);
        assertThat(ResourceParser.memoryMib("m", "1.5G")).isEqualTo(1536);
        assertThat(ResourceParser.memoryMib("m", "500M")).isEqualTo(500);
        assertThat(ResourceParser.memoryMib("m", "2g")).isEqualTo(2048);
        assertThat(ResourceParser.memoryMib("m", "1GB")).isEqualTo(1024);
        assertThat(ResourceParser.memoryMib("m", 2)).as("a bare number is GiB").isEqualTo(2048);
        assertThat(ResourceParser.memoryMib("m", "512K")).as("never rounded down to zero").isEqualTo(1);
    }

    @Test
    void badMemoryNamesTheValueAndTheFormat() {
        assertThatThrownBy(() -> ResourceParser.memoryMib("m_mem_free", "1Q")).hasMessageContaining("m_mem_free '1Q'")
                .hasMessageContaining("512M");
        assertThatThrownBy(() -> ResourceParser.memoryMib("m_mem_free", "0G")).hasMessageContaining("more than zero");
    }

    @Test
    void runtimeInSecondsClockAndDurations() {
        assertThat(ResourceParser.runtimeSeconds("r", 90)).isEqualTo(90);
        assertThat(ResourceParser.runtimeSeconds("r", "01:00:00")).isEqualTo(3600);
        assertThat(ResourceParser.runtimeSeconds("r", "1h")).isEqualTo(3600);
        assertThat(ResourceParser.runtimeSeconds("r", "30m")).isEqualTo(1800);
        assertThat(ResourceParser.runtimeSeconds("r", "25s")).isEqualTo(25);
        assertThat(ResourceParser.runtimeSeconds("r", "1d2h")).isEqualTo(93600);
        assertThat(ResourceParser.runtimeSeconds("r", "600")).isEqualTo(600);
        assertThatThrownBy(() -> ResourceParser.runtimeSeconds("max_runtime_seconds", "soon"))
                .hasMessageContaining("max_runtime_seconds 'soon'");
        assertThatThrownBy(() -> ResourceParser.runtimeSeconds("max_runtime_seconds", -5)).hasMessageContaining("'-5'");
    }

    @Test
    void coresAreWholeAndPositive() {
        assertThat(ResourceParser.cores("num_cores", "3")).isEqualTo(3);
        assertThatThrownBy(() -> ResourceParser.cores("num_cores", 0)).hasMessageContaining("num_cores '0'");
        assertThatThrownBy(() -> ResourceParser.cores("num_cores", 1.5)).hasMessageContaining("'1.5'");
    }
}

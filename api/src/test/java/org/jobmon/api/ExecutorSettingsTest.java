package org.jobmon.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The helpers an executor factory checks its settings with. */
class ExecutorSettingsTest {
    private final ExecutorSettings settings = ExecutorSettings.of("lowpriority")
            .withExtra(Map.of("slots", "4", "nicenes", "5", ExecutorSettings.RUN_ROOT, "/shared/runs"));

    @Test
    void anUnknownSettingIsNamedWithTheKnownOnesAndRunRootIsAlwaysAllowed() {
        assertThatThrownBy(() -> settings.requireOnly("slots", "niceness")).isInstanceOf(JobmonException.class)
                .hasMessageStartingWith("the lowpriority executor has no setting nicenes: its settings are niceness, slots");
        ExecutorSettings.of("x").withExtra(Map.of(ExecutorSettings.RUN_ROOT, "/r")).requireOnly();
    }

    @Test
    void aWholeNumberSettingIsReadOrRefusedNamingItsRange() {
        assertThat(settings.intSetting("slots", 2, 1, 64)).isEqualTo(4);
        assertThat(settings.intSetting("threads", 2, 1, 64)).as("default").isEqualTo(2);
        assertThatThrownBy(() -> settings.intSetting("slots", 2, 1, 3)).isInstanceOf(JobmonException.class)
                .hasMessage("the lowpriority executor's setting 'slots' is '4': give a whole number from 1 to 3, e.g. slots: 2");
    }
}

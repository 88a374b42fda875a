package org.jobmon.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.jobmon.persistence.DatabaseUrls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** workflow.run() reuses one engine per database instead of opening one per call. */
class EngineRunnerProviderTest {
    @TempDir
    Path dir;

    @AfterEach
    void close() {
        EngineRunnerProvider.closeAll();
    }

    @Test
    void oneEnginePerDatabaseForTheJvmsLife() {
        String a = DatabaseUrls.embedded(dir.resolve("a"));
        String b = DatabaseUrls.embedded(dir.resolve("b"));
        JobmonEngine first = EngineRunnerProvider.engineFor(a);
        assertThat(EngineRunnerProvider.engineFor(a)).isSameAs(first);
        assertThat(EngineRunnerProvider.engineFor(b)).isNotSameAs(first);
        EngineRunnerProvider.closeAll();
        assertThat(EngineRunnerProvider.engineFor(a)).as("closed engines are not handed out again").isNotSameAs(first);
    }
}

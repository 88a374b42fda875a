package org.jobmon.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.jobmon.cli.TestSpecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobmon --db jdbc:h2:file:PATH run ...} as a user types it, without the settings Jobmon adds
 * to embedded URLs: the run's own keeper process serves the file, and the run opens it through the
 * keeper at once (a keeper that opened the file without those settings would lock the run out).
 */
class DatabaseUrlAsGivenIT {
    @TempDir
    Path dir;

    @Test
    void aRunOnAnEmbeddedUrlWithoutSettingsOpensItsDatabaseAtOnce() throws Exception {
        Path spec = dir.resolve("one.yaml");
        Files.writeString(spec, TestSpecs.oneTrueTask("bare_url"));
        ControllerProcess run = ControllerProcess.start(dir, "jdbc:h2:file:" + dir.resolve("db/jobmon"), "run", "-n", spec.toString());

        assertThat(run.awaitExit(25)).as(run.output()).isZero();
        assertThat(Files.readString(run.stdout)).contains("\"status\":\"DONE\"");
    }
}

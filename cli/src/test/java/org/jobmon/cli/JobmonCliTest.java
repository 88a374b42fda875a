package org.jobmon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobmonCliTest {
    private final FakeEngine engine = FakeEngine.done();

    private CliResult jobmon(String... args) {
        return CliResult.run(TestSpecs.context(engine), args);
    }

    @Test
    void helpListsTheCommands() {
        CliResult r = jobmon("--help").exits(ExitCodes.OK);
        assertThat(r.out()).contains("Usage: jobmon").contains("run").contains("--db=URL");
        assertThat(jobmon("run", "--help").exits(ExitCodes.OK).out()).contains("Usage: jobmon run").contains("--resume");
    }

    @Test
    void noCommandIsAUsageError() {
        CliResult r = jobmon().exits(ExitCodes.USAGE);
        assertThat(r.err()).startsWith("jobmon: give a command").contains("Usage: jobmon");
    }

    @Test
    void usageErrorsExitTwoWithAHint() {
        assertThat(jobmon("run").exits(ExitCodes.USAGE).err())
                .startsWith("jobmon: Missing required parameter: 'SPEC'").contains("Try 'jobmon run --help'");
        assertThat(jobmon("run", "x.yaml", "--bogus").exits(ExitCodes.USAGE).err()).contains("--bogus");
        assertThat(jobmon("frobnicate").exits(ExitCodes.USAGE).err()).contains("frobnicate");
        assertThat(engine.calls()).isEmpty();
    }

    @Test
    void versionIsPrinted() {
        assertThat(jobmon("--version").exits(ExitCodes.OK).out()).startsWith("jobmon ");
    }
}

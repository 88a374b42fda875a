package org.jobmon.api.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.jobmon.api.executor.ExitInfo.ExitKind;
import org.junit.jupiter.api.Test;

/** The factories a plugin builds each kind of ending with, and the withers that add what it measured. */
class ExitInfoTest {
    @Test
    void aFailureCarriesItsCodeStderrHostRuntimeAndRss() {
        ExitInfo x = ExitInfo.failed(3, "boom").ranOn("node7", 12.5).withMaxRssBytes(1 << 20);
        assertThat(x.kind()).isEqualTo(ExitKind.APPLICATION_ERROR);
        assertThat(x.exitCode()).isEqualTo(OptionalInt.of(3));
        assertThat(x.stderrTail()).isEqualTo("boom");
        assertThat(x.hostname()).contains("node7");
        assertThat(x.wallclockSeconds()).isEqualTo(OptionalDouble.of(12.5));
        assertThat(x.maxRssBytes()).isEqualTo(OptionalLong.of(1 << 20));
        assertThat(x.message()).isEqualTo("The command failed with exit code 3.");
    }

    @Test
    void eachKindHasItsFactory() {
        assertThat(ExitInfo.done().exitCode()).isEqualTo(OptionalInt.of(0));
        assertThat(ExitInfo.killed("terminated").kind()).isEqualTo(ExitKind.KILLED);
        assertThat(ExitInfo.unknown("?").kind()).isEqualTo(ExitKind.UNKNOWN);
        assertThat(ExitInfo.lost("gone").kind()).isEqualTo(ExitKind.LOST);
        ExitInfo memory = ExitInfo.resourceKilled(ExitInfo.MEMORY, "over 1G").withExitCode(137);
        assertThat(memory.kind()).isEqualTo(ExitKind.RESOURCE_ERROR);
        assertThat(memory.resource()).contains("memory");
        assertThat(memory.exitCode()).isEqualTo(OptionalInt.of(137));
        ExitInfo notStarted = ExitInfo.startFailed("working directory /nope does not exist");
        assertThat(notStarted.exitCode()).isEqualTo(OptionalInt.of(Executor.WRAPPER_FAILED_EXIT_CODE));
        assertThat(notStarted.stderrTail()).contains("/nope");
        assertThat(notStarted.message()).isEqualTo("The command could not be started: working directory /nope does not exist.");
    }

    @Test
    void aNegativeRuntimeMeansUnknown() {
        assertThat(ExitInfo.killed("k").ranOn("h", -1).wallclockSeconds()).isEmpty();
    }
}

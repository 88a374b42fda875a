package org.jobmon.executor.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalProcessLauncherTest {
    @Test
    void quotesWordsForTheShell() {
        assertThat(LocalProcessLauncher.shellQuote("/tmp/a b")).isEqualTo("'/tmp/a b'");
        assertThat(LocalProcessLauncher.shellQuote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void environmentNamesAreLettersDigitsAndUnderscoresNotStartingWithADigit() {
        assertThat(LocalProcessLauncher.isEnvironmentName("MY_VAR_2")).isTrue();
        assertThat(LocalProcessLauncher.isEnvironmentName("_x")).isTrue();
        assertThat(LocalProcessLauncher.isEnvironmentName("2X")).isFalse();
        assertThat(LocalProcessLauncher.isEnvironmentName("my-var")).isFalse();
        assertThat(LocalProcessLauncher.isEnvironmentName("")).isFalse();
        assertThat(LocalProcessLauncher.isEnvironmentName("é")).isFalse();
    }
}

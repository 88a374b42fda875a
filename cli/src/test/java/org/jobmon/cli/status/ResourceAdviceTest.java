package org.jobmon.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.jobmon.persistence.dao.UsageDao.DoneAttempt;
import org.junit.jupiter.api.Test;

/** The suggestion rule of cli/README.md, on numbers chosen by hand. */
class ResourceAdviceTest {
    private static final long MIB = 1024 * 1024;

    private static DoneAttempt done(Double seconds, Long rssBytes, Integer cores, String queue) {
        return new DoneAttempt(1, 1, seconds, rssBytes, 1024L, 3600L, cores, queue);
    }

    @Test
    void percentilesAreNearestRankAndTheRuleRoundsUp() {
        List<DoneAttempt> done = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            // runtimes 10, 20, ..., 200 s; peaks 10, 20, ..., 200 MiB
            done.add(done(10.0 * i, 10 * i * MIB, i <= 19 ? 1 : 4, i <= 12 ? "all.q" : "long.q"));
        }
        ResourceAdvice a = ResourceAdvice.of(done);
        assertThat(a.attempts()).isEqualTo(20);
        assertThat(a.runtimeSeconds().min()).isEqualTo(10.0);
        assertThat(a.runtimeSeconds().median()).as("the 10th of 20").isEqualTo(100.0);
        assertThat(a.runtimeSeconds().p95()).as("the 19th of 20").isEqualTo(190.0);
        assertThat(a.runtimeSeconds().max()).isEqualTo(200.0);
        assertThat(a.maxRssBytes().max()).isEqualTo(200.0 * MIB);
        assertThat(a.memoryMib()).as("200 MiB x 1.2 = 240, up to 256").hasValue(256);
        assertThat(a.maxRuntimeSeconds()).as("190 s x 1.5 = 285 s, up to 300").hasValue(300);
        assertThat(a.numCores()).as("the most requested").hasValue(4);
        assertThat(a.queue()).as("the queue most asked for").hasValue("all.q");
    }

    @Test
    void smallUsesGetTheSmallestRequestsAndUnknownValuesAreLeftOut() {
        ResourceAdvice a = ResourceAdvice.of(List.of(done(0.2, 3 * MIB, 1, null), done(null, null, 1, null)));
        assertThat(a.attempts()).isEqualTo(2);
        assertThat(a.runtimeSeconds().n()).isEqualTo(1);
        assertThat(a.memoryMib()).hasValue(128);
        assertThat(a.maxRuntimeSeconds()).hasValue(60);
        assertThat(a.queue()).isEmpty();
        assertThat(ResourceAdvice.memoryMib(1000 * MIB)).as("1200 MiB, up to 1280").isEqualTo(1280);
        assertThat(ResourceAdvice.memoryMib(128 * MIB)).as("153.6 MiB, up to 256").isEqualTo(256);
        assertThat(ResourceAdvice.runtimeSeconds(40)).as("exactly 60 s stays 60").isEqualTo(60);
        assertThat(ResourceAdvice.runtimeSeconds(40.1)).isEqualTo(120);
    }

    @Test
    void withoutMeasurementsThereIsNothingToSuggest() {
        ResourceAdvice none = ResourceAdvice.of(List.of());
        assertThat(none.memoryMib()).isEmpty();
        assertThat(none.maxRuntimeSeconds()).isEmpty();
        assertThat(none.numCores()).isEmpty();
        ResourceAdvice unmeasured = ResourceAdvice.of(List.of(done(12.0, null, 2, null)));
        assertThat(unmeasured.memoryMib()).as("an executor that reports no max RSS").isEmpty();
        assertThat(unmeasured.maxRuntimeSeconds()).hasValue(60);
    }
}

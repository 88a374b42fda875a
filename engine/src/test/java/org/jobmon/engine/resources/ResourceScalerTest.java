package org.jobmon.engine.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.Resources;
import org.jobmon.api.executor.QueueLimits;
import org.junit.jupiter.api.Test;

class ResourceScalerTest {
    final ResourceScaler unlimited = new ResourceScaler(List.of());

    Resources resources(ExecutorParameters.Builder b) {
        return b.build().resolve();
    }

    @Test
    void runtimeGrowsByItsScaleCumulatively() {
        Resources r = resources(ExecutorParameters.builder().maxRuntimeSeconds(100));
        Resources once = unlimited.scale(r, Optional.of("runtime"), 1).resources();
        Resources twice = unlimited.scale(once, Optional.of("runtime"), 2).resources();
        assertThat(once.maxRuntimeSeconds()).isEqualTo(150);
        assertThat(twice.maxRuntimeSeconds()).isEqualTo(225);
        assertThat(twice.memoryMib()).as("memory did not run out").isEqualTo(1024);
    }

    @Test
    void theSeedsExampleAndTheIssuesNumbers() {
        Resources r = resources(ExecutorParameters.builder().maxRuntimeSeconds(2)
                .resourceScales(Map.of("max_runtime_seconds", 0.6, "m_mem_free", 0.6)));
        assertThat(unlimited.scale(r, Optional.of("runtime"), 1).resources().maxRuntimeSeconds()).isEqualTo(4);
        Resources m = resources(ExecutorParameters.builder().mMemFree("100M").resourceScales(Map.of("m_mem_free", 2.0)));
        Resources m1 = unlimited.scale(m, Optional.of("memory"), 1).resources();
        assertThat(m1.memoryMib()).isEqualTo(300);
        assertThat(unlimited.scale(m1, Optional.of("memory"), 2).resources().memoryMib()).isEqualTo(900);
    }

    @Test
    void anExplicitListGivesTheNextValuesThenStays() {
        Resources r = resources(ExecutorParameters.builder().mMemFree("1G").resourceScales(Map.of("m_mem_free", List.of("2G", "6G"))));
        Resources a = unlimited.scale(r, Optional.of("memory"), 1).resources();
        Resources b = unlimited.scale(a, Optional.of("memory"), 2).resources();
        Resources c = unlimited.scale(b, Optional.of("memory"), 3).resources();
        assertThat(List.of(a.memoryMib(), b.memoryMib(), c.memoryMib())).containsExactly(2048L, 6144L, 6144L);
    }

    @Test
    void anUnexplainedResourceKillGrowsEveryScaledResource() {
        Resources r = resources(ExecutorParameters.builder().mMemFree("1G").maxRuntimeSeconds(100));
        Resources s = unlimited.scale(r, Optional.empty(), 1).resources();
        assertThat(s.memoryMib()).isEqualTo(1536);
        assertThat(s.maxRuntimeSeconds()).isEqualTo(150);
    }

    @Test
    void scalingStopsAtTheQueueOrMovesToABiggerOne() {
        ResourceScaler sge = new ResourceScaler(List.of(new QueueLimits("all.q", 64, 512 * 1024, 3 * 86400),
                new QueueLimits("long.q", 64, 512 * 1024, 16 * 86400)));
        Resources r = resources(ExecutorParameters.builder().queue("all.q").maxRuntime("60:00:00"));
        Resources moved = sge.scale(r, Optional.of("runtime"), 1).resources();
        assertThat(moved.queue()).contains("long.q");
        assertThat(moved.maxRuntimeSeconds()).isEqualTo(90 * 3600);

        Resources hard = resources(ExecutorParameters.builder().queue("all.q").maxRuntime("60:00:00").hardLimits(true));
        Resources capped = sge.scale(hard, Optional.of("runtime"), 1).resources();
        assertThat(capped.queue()).contains("all.q");
        assertThat(capped.maxRuntimeSeconds()).isEqualTo(3 * 86400);
    }
}

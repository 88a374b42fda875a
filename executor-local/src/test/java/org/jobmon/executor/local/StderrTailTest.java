package org.jobmon.executor.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StderrTailTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingFileHasAnEmptyTail() {
        assertThat(StderrTail.read(tmp.resolve("absent"))).isEmpty();
    }

    @Test
    void keepsTheLastHundredLines() throws Exception {
        Path file = tmp.resolve("err");
        Files.writeString(file,
                IntStream.rangeClosed(1, 150).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining()));

        String tail = StderrTail.read(file);

        assertThat(tail.lines()).hasSize(StderrTail.MAX_LINES).first().isEqualTo("line 51");
        assertThat(tail).endsWith("line 150\n");
    }

    @Test
    void keepsAtMostTenKibibytesAndNoCutLine() throws Exception {
        Path file = tmp.resolve("err");
        String longLine = "x".repeat(3000);
        Files.writeString(file,
                IntStream.rangeClosed(1, 10).mapToObj(i -> i + longLine + "\n").collect(Collectors.joining()));

        String tail = StderrTail.read(file);

        assertThat(tail.length()).isLessThanOrEqualTo(StderrTail.MAX_BYTES);
        assertThat(tail.lines())
                .allSatisfy(l -> assertThat(l).hasSize(longLine.length() + (l.startsWith("10") ? 2 : 1)));
        assertThat(tail).endsWith("10" + longLine + "\n");
    }

    @Test
    void shortTextIsKeptWhole() {
        assertThat(StderrTail.lastLines("one\ntwo", false)).isEqualTo("one\ntwo");
        assertThat(StderrTail.lastLines("", false)).isEmpty();
    }
}

package org.jobmon.executor.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ProcessTreeTest {
    @Test
    void readsVmRssInKibibytes() {
        assertThat(ProcessTree.vmRssKib("Name:\tsh\nVmPeak:\t  2000 kB\nVmRSS:\t    1536 kB\nRssAnon:\t 100 kB\n"))
                .isEqualTo(1536);
        assertThat(ProcessTree.vmRssKib("Name:\tkthreadd\nState:\tS (sleeping)\n")).isZero();
        assertThat(ProcessTree.vmRssKib("")).isZero();
    }

    @Test
    void readsTheProcessGroupEvenWhenTheCommandNameHasSpacesAndParentheses() {
        assertThat(ProcessTree.processGroupOf("4711 (my (odd) name) S 1 4700 4700 0 -1 4194560")).isEqualTo(4700);
        assertThat(ProcessTree.processGroupOf("garbage")).isEqualTo(-1);
    }

    @Test
    void findsTheTreeAndItsMemoryAndKillsItAll() throws Exception {
        assumeTrue(ProcessTree.PROC_AVAILABLE, "needs /proc");
        Process shell = new ProcessBuilder("/bin/sh", "-c", "sleep 60 & sleep 60 & wait").start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Long> tree;
            while ((tree = ProcessTree.members(shell.pid())).size() < 3) {
                assertThat(System.nanoTime()).as("waiting for both sleeps").isLessThan(deadline);
                Thread.sleep(5);
            }
            assertThat(tree.get(0)).isEqualTo(shell.pid());
            assertThat(tree).containsExactlyInAnyOrderElementsOf(
                    concat(shell.pid(), shell.descendants().map(ProcessHandle::pid).toList()));
            assertThat(ProcessTree.rssBytes(tree)).isGreaterThan(ProcessTree.rssBytes(List.of(shell.pid())));
            List<ProcessHandle> sleeps = shell.descendants().toList();

            ProcessTree.kill(Map.of(shell, false));

            assertThat(shell.waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle sleep : sleeps) {
                assertThat(sleep.onExit().get(20, TimeUnit.SECONDS).isAlive()).isFalse();
            }
            assertThat(ProcessTree.members(shell.pid())).isEmpty();
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly();
        }
    }

    @Test
    void groupMembersAreFoundByScanning() {
        assumeTrue(ProcessTree.PROC_AVAILABLE, "needs /proc");
        long ownGroup = ProcessTree.processGroupOf(readSelfStat());
        assertThat(ProcessTree.groupMembers(Set.of(ownGroup))).contains(ProcessHandle.current().pid());
    }

    private static String readSelfStat() {
        try {
            return Files.readString(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Long> concat(long first, List<Long> rest) {
        List<Long> all = new ArrayList<>(rest);
        all.add(0, first);
        return all;
    }

    @Test
    void knowsWhetherItRunsInTheForegroundOfATerminal() {
        assertThat(ProcessTree.inTerminalForeground("4011 (cut) R 4010 4010 4010 34816 4010 4194304 1")).isTrue();
        assertThat(ProcessTree.inTerminalForeground("4013 (cut) R 1 4013 4010 34816 4010 4194304 1"))
                .as("a background group of that terminal").isFalse();
        assertThat(ProcessTree.inTerminalForeground("3988 (java) S 3944 3944 17808 0 -1 4194304 1"))
                .as("no terminal").isFalse();
        assertThat(ProcessTree.inTerminalForeground("")).isFalse();
    }
}

package org.jobmon.executor.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A process and its descendants, read from {@code /proc} on Linux: who they are, how much memory
 * they hold, and killing them. Walks down from the root through
 * {@code /proc/<pid>/task/<tid>/children}, which costs a few small reads per process in the tree,
 * not a scan of every process on the machine; without those files it falls back to
 * {@link ProcessHandle#descendants()}.
 */
final class ProcessTree {
    /** Whether this system has a Linux-style {@code /proc} with per-process memory. */
    static final boolean PROC_AVAILABLE = Files.isReadable(Path.of("/proc/self/status"));
    private static final boolean CHILDREN_FILES = PROC_AVAILABLE && Files.isReadable(
            Path.of("/proc/" + ProcessHandle.current().pid() + "/task/" + ProcessHandle.current().pid() + "/children"));
    /** A bound on the walk, against a fork bomb or a cycle from reused pids. */
    private static final int MAX_PROCESSES = 100_000;
    private static final Path PROC = Path.of("/proc");

    private ProcessTree() {
    }

    /**
     * Whether this JVM runs in the foreground process group of a terminal, where Ctrl-C, Ctrl-Z
     * and a hang-up would reach the processes it starts in its own group.
     */
    static boolean inTerminalForeground() {
        if (PROC_AVAILABLE) {
            return inTerminalForeground(read(PROC.resolve("self").resolve("stat")));
        }
        return System.console() != null;
    }

    /** From a {@code /proc/<pid>/stat} text: a controlling terminal whose foreground group is the process's. */
    static boolean inTerminalForeground(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return false;
        }
        // state ppid pgrp session tty_nr tpgid ...
        String[] fields = stat.substring(close + 1).trim().split(" ", 7);
        if (fields.length < 6) {
            return false;
        }
        try {
            long pgrp = Long.parseLong(fields[2]);
            long ttyNr = Long.parseLong(fields[4]);
            long tpgid = Long.parseLong(fields[5]);
            return ttyNr != 0 && tpgid == pgrp;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** {@code root} and its descendants, parents before children; empty if {@code root} is gone. */
    static List<Long> members(long root) {
        List<Long> found = new ArrayList<>();
        if (!CHILDREN_FILES) {
            Optional<ProcessHandle> handle = ProcessHandle.of(root);
            if (handle.isPresent()) {
                found.add(root);
                handle.get().descendants().forEach(p -> found.add(p.pid()));
            }
            return found;
        }
        if (!Files.isDirectory(PROC.resolve(Long.toString(root)))) {
            return found;
        }
        Set<Long> seen = new HashSet<>();
        found.add(root);
        seen.add(root);
        for (int i = 0; i < found.size() && found.size() < MAX_PROCESSES; i++) {
            for (long child : children(found.get(i))) {
                if (seen.add(child)) {
                    found.add(child);
                }
            }
        }
        return found;
    }

    /** The children of every thread of {@code pid}. */
    private static List<Long> children(long pid) {
        List<Long> children = new ArrayList<>(2);
        Path tasks = PROC.resolve(Long.toString(pid)).resolve("task");
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                parsePids(read(thread.resolve("children")), children);
            }
        } catch (IOException | RuntimeException e) {
            // gone meanwhile
        }
        return children;
    }

    private static void parsePids(String text, List<Long> into) {
        long value = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
            } else if (value >= 0) {
                into.add(value);
                value = -1;
            }
        }
        if (value >= 0) {
            into.add(value);
        }
    }

    /** The sum of VmRSS over these processes, in bytes; processes that are gone count 0. */
    static long rssBytes(List<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            total += vmRssKib(read(PROC.resolve(Long.toString(pid)).resolve("status"))) * 1024;
        }
        return total;
    }

    /** The VmRSS line of a {@code /proc/<pid>/status} text, in KiB; 0 if absent (zombies, kernel threads). */
    static long vmRssKib(String status) {
        int at = status.indexOf("VmRSS:");
        if (at < 0) {
            return 0;
        }
        long kib = 0;
        boolean digits = false;
        for (int i = at + 6; i < status.length(); i++) {
            char c = status.charAt(i);
            if (c >= '0' && c <= '9') {
                kib = kib * 10 + (c - '0');
                digits = true;
            } else if (digits || c == '\n') {
                break;
            }
        }
        return kib;
    }

    /** The processes whose process group is one of {@code pgids}: a scan of every process (for kills, which are rare). */
    static List<Long> groupMembers(Set<Long> pgids) {
        List<Long> members = new ArrayList<>();
        if (!PROC_AVAILABLE) {
            return members;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC)) {
            for (Path entry : all) {
                String name = entry.getFileName().toString();
                if (name.isEmpty() || name.charAt(0) < '0' || name.charAt(0) > '9') {
                    continue;
                }
                if (pgids.contains(processGroupOf(read(entry.resolve("stat"))))) {
                    members.add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
        return members;
    }

    /** The pgrp field of a {@code /proc/<pid>/stat} text ("pid (comm) state ppid pgrp ..."), or -1. */
    static long processGroupOf(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return -1;
        }
        String[] fields = stat.substring(close + 1).trim().split(" ", 4);
        if (fields.length < 3) {
            return -1;
        }
        try {
            return Long.parseLong(fields[2]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Kills each root and everything below it with SIGKILL; for each root that leads its process
     * group, also every process still in that group (those that left the tree, or were forked while
     * the tree was being killed). The groups are found with one scan of {@code /proc} for all roots.
     *
     * @param roots the processes to kill, each with whether it leads its own process group
     */
    static void kill(Map<Process, Boolean> roots) {
        Set<Long> groups = new HashSet<>();
        for (Map.Entry<Process, Boolean> root : roots.entrySet()) {
            Process p = root.getKey();
            List<Long> tree = members(p.pid());
            p.destroyForcibly();
            for (int i = 1; i < tree.size(); i++) {
                ProcessHandle.of(tree.get(i)).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (root.getValue()) {
                groups.add(p.pid());
            }
        }
        for (int round = 0; round < 3 && !groups.isEmpty(); round++) {
            List<Long> left = groupMembers(groups);
            left.removeAll(groups);
            if (left.isEmpty()) {
                break;
            }
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        }
    }

    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}

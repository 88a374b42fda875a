package org.jobmon.executor.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A folder of stand-ins for a scheduler's programs that log each call to {@code calls.log} in it and
 * run the real one: a batch executor's {@code bin_dir} in tests that count how often the scheduler is asked.
 */
public final class CountingBinDir {
    private CountingBinDir() {
    }

    /** Writes a stand-in for each of {@code programs} into {@code dir}. */
    public static Path create(Path dir, List<String> programs) throws IOException {
        SchedulerCommands commands = new SchedulerCommands(Optional.empty(), Duration.ofSeconds(30));
        Files.createDirectories(dir);
        for (String program : programs) {
            String real = commands.run("/bin/sh", List.of("-c", "command -v " + program)).stdout().strip();
            if (real.isEmpty()) {
                real = "/usr/bin/" + program;
            }
            Path stub = dir.resolve(program);
            Files.writeString(stub, "#!/bin/sh\necho \"" + program + " $*\" >> '" + dir.resolve("calls.log") + "'\nexec '" + real
                    + "' \"$@\"\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /** How many times {@code program} was called through the stand-ins in {@code dir}. */
    public static long calls(Path dir, String program) throws IOException {
        Path log = dir.resolve("calls.log");
        if (!Files.exists(log)) {
            return 0;
        }
        return Files.readAllLines(log).stream().filter(l -> l.startsWith(program + " ") || l.equals(program)).count();
    }
}

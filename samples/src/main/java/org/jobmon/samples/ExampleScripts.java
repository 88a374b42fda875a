package org.jobmon.samples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.jobmon.api.WorkflowRunResult;

/** What the examples share: their small shell scripts (shipped in the jar) and how a main ends. */
final class ExampleScripts {
    private ExampleScripts() {
    }

    /**
     * Copies the script {@code name} from this jar's {@code org/jobmon/samples/scripts/} into
     * {@code dir}, so that the example runs wherever the jar is; returns its absolute path.
     */
    static Path install(String name, Path dir) {
        Path target = dir.resolve(name).toAbsolutePath();
        try (InputStream in = ExampleScripts.class.getResourceAsStream("scripts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the script " + name + " is missing from the jobmon-samples jar");
            }
            Files.createDirectories(dir);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the script " + name + " to " + dir, e);
        }
        return target;
    }

    /** A folder that exists: {@code dir} if given, else a new temporary folder. */
    static Path workDir(String[] args, int index, String prefix) {
        try {
            if (args.length > index) {
                return Files.createDirectories(Path.of(args[index]));
            }
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work folder", e);
        }
    }

    /** Prints how the run ended and exits the JVM: 0 when it ended DONE, else 1. */
    static void exit(WorkflowRunResult result) {
        System.out.printf("workflow %d, run %d: %s (%d of %d tasks done, %d failed): %s%n", result.workflowId(),
                result.workflowRunId(), result.status(), result.done(), result.tasks(), result.fatal(),
                result.message());
        System.exit(result.isDone() ? 0 : 1);
    }
}

package org.jobmon.persistence;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

/**
 * Where Jobmon keeps its files: {@code $JOBMON_HOME}, else {@code .jobmon} in the home folder
 * ({@code $HOME} when set, as the shell's {@code ~}; the JVM's user.home ignores $HOME). It holds
 * the embedded database, the run folders and {@code config.properties}.
 *
 * @param dir the folder
 */
public record JobmonHome(Path dir) {
    public static final String ENV = "JOBMON_HOME";
    /** The one key the config file knows. */
    public static final String DB_URL_KEY = "db.url";
    private static final Set<PosixFilePermission> PRIVATE_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    public JobmonHome {
        requireNonNull(dir, "dir is null");
    }

    /** From this process's environment. */
    public static JobmonHome fromEnvironment() {
        return of(System::getenv, System.getProperty("user.home"));
    }

    /** From {@code env} (variable name to value, null when unset) and the JVM's user.home. */
    public static JobmonHome of(Function<String, String> env, String userHome) {
        String explicit = env.apply(ENV);
        if (explicit != null && !explicit.isBlank()) {
            return new JobmonHome(Path.of(explicit).toAbsolutePath());
        }
        String home = env.apply("HOME");
        return new JobmonHome(Path.of(home != null && !home.isBlank() ? home : userHome, ".jobmon").toAbsolutePath());
    }

    /** The embedded database's file, without H2's ".mv.db". */
    public Path embeddedDatabase() {
        return dir.resolve("jobmon");
    }

    /** The environment variable that moves the run folders elsewhere (on a cluster: a filesystem the nodes share). */
    public static final String RUN_ROOT_ENV = "JOBMON_RUN_ROOT";

    /** Where runs keep their instances' folders: {@code runs} here. */
    public Path runs() {
        return dir.resolve("runs");
    }

    /** Where runs keep their instances' folders: {@code $JOBMON_RUN_ROOT} if set, else {@link #runs()}. */
    public Path runs(Function<String, String> env) {
        String root = env.apply(RUN_ROOT_ENV);
        return root != null && !root.isBlank() ? Path.of(root).toAbsolutePath() : runs();
    }

    public Path configFile() {
        return dir.resolve("config.properties");
    }

    /**
     * The database URL the config file names, if there is a file and it names one. The file may
     * hold a password, so one that other users can read or write is refused.
     */
    public Optional<String> configuredDatabaseUrl() {
        Path file = configFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        checkPrivate(file);
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new JobmonException(ErrorCode.REFUSED, "cannot read the config file " + file + ": " + e.getMessage()
                    + ": fix or remove it");
        }
        for (String key : p.stringPropertyNames()) {
            if (!key.equals(DB_URL_KEY)) {
                throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "unknown setting '" + key + "' in the config file "
                        + file + ": the only setting is " + DB_URL_KEY + "=JDBC_URL");
            }
        }
        return Optional.ofNullable(p.getProperty(DB_URL_KEY)).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static void checkPrivate(Path file) {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX permissions on this file system
        } catch (IOException e) {
            throw new JobmonException(ErrorCode.REFUSED, "cannot read the permissions of the config file " + file + ": "
                    + e.getMessage());
        }
        if (!PRIVATE_ONLY.containsAll(permissions)) {
            throw new JobmonException(ErrorCode.REFUSED, "the config file " + file + " can be read or written by other users ("
                    + PosixFilePermissions.toString(permissions) + ") and may hold a database password: make it yours "
                    + "alone with chmod 600 " + file);
        }
    }
}

package org.jobmon.executor.local;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.launcher.CommandLauncher;
import org.apache.commons.exec.launcher.CommandLauncherFactory;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.InstanceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one attempt's command as {@code /bin/sh -c} with Commons Exec. The shell itself redirects
 * stdout and stderr to files, so the JVM pumps no streams: stdin and stdout are closed at once and
 * stderr is only read (after exit) for the shell's own complaints, such as an unwritable file, in
 * which case the shell exits with {@link Executor#WRAPPER_FAILED_EXIT_CODE} before running the command.
 */
final class LocalProcessLauncher {
    private static final Logger log = LoggerFactory.getLogger(LocalProcessLauncher.class);
    private static final String SHELL = "/bin/sh";

    private final CommandLauncher commandLauncher = CommandLauncherFactory.createVMLauncher();
    private final Map<String, String> jvmEnvironment = Map.copyOf(System.getenv());
    private final Optional<Path> defaultWorkingDir;
    private final String hostname;
    /** Folders known to exist, so that 10,000 instances writing to one folder cost one mkdir. */
    private final Set<Path> knownFolders = ConcurrentHashMap.newKeySet();

    LocalProcessLauncher(ExecutorSettings settings) {
        this.defaultWorkingDir = settings.workingDir();
        this.hostname = localHostname();
    }

    String hostname() {
        return hostname;
    }

    /**
     * Where an attempt's stderr goes: its own file, else {@code stderr} in its instance folder.
     * Relative paths are taken from the JVM's folder, not the command's.
     */
    static Path stderrFile(InstanceRequest request) {
        return request.stderr().orElseGet(() -> request.instanceDir().resolve("stderr")).toAbsolutePath();
    }

    /**
     * Starts the command; returns as soon as the process exists.
     *
     * @throws IOException with a message naming the cause when it cannot be started
     */
    Process start(InstanceRequest request) throws IOException {
        File workingDir = workingDir(request);
        // "command" keeps a failed redirection from ending the shell, so it can exit with the wrapper's code.
        StringBuilder script = new StringBuilder(request.command().length() + 128).append("command exec >");
        if (request.stdout().isPresent()) {
            Path stdout = request.stdout().get().toAbsolutePath();
            createParentFolder(stdout, "stdout");
            script.append('>').append(shellQuote(stdout.toString()));
        } else {
            script.append("/dev/null");
        }
        Path stderr = stderrFile(request);
        createParentFolder(stderr, "stderr");
        script.append(" 2>>").append(shellQuote(stderr.toString()))
                .append(" || exit ").append(Executor.WRAPPER_FAILED_EXIT_CODE).append('\n').append(request.command());

        CommandLine commandLine = new CommandLine(SHELL).addArgument("-c").addArgument(script.toString(), false);
        Process process;
        try {
            process = commandLauncher.exec(commandLine, environment(request.resources().contextArgs()), workingDir);
        } catch (IOException e) {
            throw new IOException(SHELL + " could not be started: " + e.getMessage(), e);
        }
        closeQuietly(process.getOutputStream());
        closeQuietly(process.getInputStream());
        return process;
    }

    /** The request's folder, else the workflow's, else null for the JVM's; checked so the failure names it. */
    private File workingDir(InstanceRequest request) throws IOException {
        Optional<Path> dir = request.workingDir().or(() -> defaultWorkingDir);
        if (dir.isEmpty()) {
            return null;
        }
        Path path = dir.get();
        if (!Files.isDirectory(path)) {
            throw new IOException("working directory " + path
                    + (Files.exists(path) ? " is not a folder" : " does not exist"));
        }
        return path.toFile();
    }

    private void createParentFolder(Path file, String what) throws IOException {
        Path parent = file.getParent();
        if (parent == null || knownFolders.contains(parent)) {
            return;
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new IOException("the folder " + parent + " for " + what + " could not be created (" + e + ")", e);
        }
        knownFolders.add(parent);
    }

    /** The JVM's environment plus the context args whose keys are valid variable names; null means "inherit". */
    private Map<String, String> environment(Map<String, String> contextArgs) {
        Map<String, String> env = null;
        for (Map.Entry<String, String> arg : contextArgs.entrySet()) {
            if (!isEnvironmentName(arg.getKey())) {
                log.debug("Context arg '{}' is not a valid environment variable name; not exported", arg.getKey());
                continue;
            }
            if (env == null) {
                env = new HashMap<>(jvmEnvironment);
            }
            env.put(arg.getKey(), arg.getValue());
        }
        return env;
    }

    static boolean isEnvironmentName(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Single-quotes a word for the POSIX shell: {@code it's} becomes {@code 'it'\''s'}. */
    static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Reads what the shell wrote to its own stderr before redirecting it; never blocks. */
    static String shellComplaints(Process process) {
        try (InputStream err = process.getErrorStream()) {
            int available = err.available();
            return available > 0 ? new String(err.readNBytes(available), StandardCharsets.UTF_8).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeQuietly(OutputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            log.debug("Could not close a child's stdin", e);
        }
    }

    private static void closeQuietly(InputStream s) {
        try {
            s.close();
        } catch (IOException e) {
            log.debug("Could not close a child's stdout", e);
        }
    }

    private static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String fromEnv = System.getenv("HOSTNAME");
            log.debug("Could not look up this host's name; using {}", fromEnv == null ? "localhost" : fromEnv, e);
            return fromEnv == null || fromEnv.isBlank() ? "localhost" : fromEnv;
        }
    }
}

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.launcher.CommandLauncher;
import org.apache.commons.exec.launcher.CommandLauncherFactory;
import org.jobmon.api.ExecutorSettings;
import org.jobmon.api.executor.Executor;
import org.jobmon.api.executor.InstanceRecords;
import org.jobmon.api.executor.InstanceRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one attempt's command with Commons Exec as {@code [setsid] /bin/sh -c <wrapper>}, the
 * wrapper being {@link InstanceRecords#wrap}: one shell per attempt, which writes the attempt's
 * records, redirects stdout and stderr to files and runs the command. The JVM pumps no streams:
 * stdin and stdout are closed at once and stderr is only read (after exit) for the shell's own
 * complaints, such as an unwritable file, in which case the shell exits with
 * {@link Executor#WRAPPER_FAILED_EXIT_CODE} before running the command. With {@code setsid} (the
 * default where it exists) each attempt leads its own process group and session: it can be killed
 * as a group, and a terminal's Ctrl-C reaches Jobmon, not the tasks.
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
    /** The setsid program that makes each attempt lead its own process group, or null. */
    private final String setsid;
    private static final AtomicBoolean warnedNoSetsid = new AtomicBoolean();

    /**
     * @param settings the workflow's executor settings
     * @param processGroups whether to start each attempt as the leader of its own process group
     *        (and session) with {@code setsid}, when this system has it
     */
    LocalProcessLauncher(ExecutorSettings settings, boolean processGroups) {
        this.defaultWorkingDir = settings.workingDir();
        this.hostname = localHostname();
        this.setsid = processGroups ? findSetsid() : null;
        if (processGroups && setsid == null && warnedNoSetsid.compareAndSet(false, true)) {
            log.warn("No setsid program in /usr/bin or /bin: task instances run in Jobmon's process group, so a "
                    + "terminal's Ctrl-C reaches them and they cannot be killed as a group.");
        }
    }

    private static String findSetsid() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return null;
    }

    String hostname() {
        return hostname;
    }

    /**
     * Where an attempt's stderr goes: its own file, else {@code stderr} in its instance folder.
     * Relative paths are taken from the JVM's folder, not the command's.
     */
    static Path stderrFile(InstanceRequest request) {
        return request.stderr().orElseGet(() -> request.instanceDir().resolve(InstanceRecords.STDERR)).toAbsolutePath();
    }

    /** Whether attempts are started as the leaders of their own process groups (with {@code setsid}). */
    boolean leadsProcessGroups() {
        return setsid != null;
    }

    /**
     * Creates the instance folder and starts the command under the wrapper
     * ({@link InstanceRecords#wrap}); returns as soon as the process exists.
     *
     * @throws IOException with a message naming the cause when it cannot be started
     */
    Process start(InstanceRequest request) throws IOException {
        return start(request, List.of());
    }

    /** {@link #start(InstanceRequest)} with the shell run under {@code prefix} (a program that execs its arguments). */
    Process start(InstanceRequest request, List<String> prefix) throws IOException {
        File workingDir = workingDir(request);
        Path instanceDir = request.instanceDir().toAbsolutePath();
        try {
            Files.createDirectories(instanceDir);
        } catch (IOException e) {
            throw new IOException("the instance folder " + instanceDir + " could not be created (" + e + ")", e);
        }
        if (request.stdout().isPresent()) {
            createParentFolder(request.stdout().get().toAbsolutePath(), "stdout");
        }
        if (request.stderr().isPresent()) {
            createParentFolder(request.stderr().get().toAbsolutePath(), "stderr");
        }
        String script = InstanceRecords.wrap(request.taskInstanceId(), instanceDir, hostname, request.command(),
                request.stdout(), request.stderr(), setsid != null);
        // setsid first, so that the attempt leads its own group whatever the prefix does
        List<String> words = new java.util.ArrayList<>();
        if (setsid != null) {
            words.add(setsid);
        }
        words.addAll(prefix);
        // the task's name as the shell's $0: its complaints about the command name the task
        words.addAll(List.of(SHELL, "-c", script, request.taskName().isBlank() ? "jobmon-task" : request.taskName()));
        CommandLine commandLine = new CommandLine(words.get(0));
        words.subList(1, words.size()).forEach(word -> commandLine.addArgument(word, false));
        Process process;
        try {
            process = commandLauncher.exec(commandLine, environment(request.resources().contextArgs()), workingDir);
        } catch (IOException e) {
            throw new IOException(commandLine.getExecutable() + " could not be started: " + e.getMessage(), e);
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
        return InstanceRecords.shellQuote(word);
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

package org.jobmon.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Python script as a task, as the seed's {@code PythonTask(script=..., args=[...])}: the command
 * is {@code python script args...}. The script and its args are node args; the interpreter is an op
 * arg, so changing it keeps the task's identity.
 */
public final class PythonTask {
    public static final String DEFAULT_PYTHON = "python3";
    private static final TaskTemplate TEMPLATE = BashTask.TOOL.getTaskTemplate("python_task", "{python} {script} {args}",
            List.of("script", "args"), List.of(), List.of("python"));

    private PythonTask() {
    }

    /** A task builder running {@code python3 script args...}. */
    public static Task.Builder builder(String script, List<?> args) {
        return builder(DEFAULT_PYTHON, script, args);
    }

    /** A task builder running {@code python script args...} with the given interpreter. */
    public static Task.Builder builder(String python, String script, List<?> args) {
        String joined = args.stream().map(String::valueOf).map(PythonTask::quote).collect(Collectors.joining(" "));
        return TEMPLATE.createTask().arg("python", python).arg("script", script).arg("args", joined);
    }

    static String quote(String arg) {
        return arg.matches("[A-Za-z0-9_./:=@%+,-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}

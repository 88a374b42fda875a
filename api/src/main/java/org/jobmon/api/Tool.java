package org.jobmon.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * The project a workflow belongs to (the seed's Tool). Task templates and workflows are created
 * from it. A tool is identified by its name; its workflows bind to the tool's newest version
 * unless {@link #createNewVersion()} asks for a new one or {@link #useVersion(long)} pins one.
 */
public final class Tool {
    private final String name;
    /** Every definition asked for, by template name, oldest first. */
    private final Map<String, List<TaskTemplate>> templates = new ConcurrentHashMap<>();
    private volatile boolean newVersionRequested;
    private volatile Long pinnedVersionId;

    private Tool(String name) {
        this.name = name;
    }

    /** A tool by name; the same name in the database is the same tool. */
    public static Tool create(String name) {
        if (name == null || name.isBlank()) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "tool name '" + name + "' must not be blank");
        }
        return new Tool(name.trim());
    }

    public String name() {
        return name;
    }

    /**
     * Asks for a new tool version when this tool's next workflow is bound. Call it only after an
     * overhaul, not on every run: workflows of different versions are not resumable across them.
     */
    public Tool createNewVersion() {
        this.newVersionRequested = true;
        this.pinnedVersionId = null;
        return this;
    }

    /** Binds to an existing tool version by its id instead of the newest. */
    public Tool useVersion(long toolVersionId) {
        this.pinnedVersionId = toolVersionId;
        this.newVersionRequested = false;
        return this;
    }

    public boolean newVersionRequested() {
        return newVersionRequested;
    }

    public Optional<Long> pinnedVersionId() {
        return Optional.ofNullable(pinnedVersionId);
    }

    /**
     * The task template named {@code templateName}. Asking again with an identical definition
     * returns the same template version, however many other definitions of that name were asked
     * for meanwhile; a changed command template or arg set is a new version.
     *
     * @param commandTemplate the command with {@code {arg}} placeholders
     * @param nodeArgs args that identify a task's node in the DAG
     * @param taskArgs args that make a task's command unique across workflows
     * @param opArgs args that are not identity (an interpreter path, a script location)
     */
    public TaskTemplate getTaskTemplate(String templateName, String commandTemplate, List<String> nodeArgs,
            List<String> taskArgs, List<String> opArgs) {
        requireNonNull(templateName, "templateName is null");
        TaskTemplate candidate = new TaskTemplate(this, templateName, commandTemplate,
                nodeArgs == null ? List.of() : nodeArgs, taskArgs == null ? List.of() : taskArgs,
                opArgs == null ? List.of() : opArgs);
        TaskTemplate[] found = new TaskTemplate[1];
        templates.compute(templateName, (k, known) -> {
            List<TaskTemplate> list = known == null ? new java.util.ArrayList<>() : known;
            found[0] = list.stream().filter(t -> t.sameDefinition(candidate)).findFirst().orElse(null);
            if (found[0] == null) {
                list.add(candidate);
                found[0] = candidate;
            }
            return list;
        });
        return found[0];
    }

    /** A workflow of this tool; set its args, executor and tasks, then {@link Workflow#run()}. */
    public Workflow createWorkflow(String workflowName) {
        return new Workflow(this, workflowName);
    }

    @Override
    public String toString() {
        return "Tool[" + name + "]";
    }
}

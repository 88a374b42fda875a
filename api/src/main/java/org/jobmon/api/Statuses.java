package org.jobmon.api;

/**
 * The seed's status codes. The single-letter codes are what the database stores and what people
 * query with SQL; they never change.
 */
public final class Statuses {
    private Statuses() {
    }

    static <E extends Enum<E> & Coded> E byCode(Class<E> type, char code) {
        for (E e : type.getEnumConstants()) {
            if (e.code() == code) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown " + type.getSimpleName() + " code '" + code + "'");
    }

    /** A status with a one-letter database code and the seed's description. */
    public interface Coded {
        char code();

        String description();

        default String label() {
            return ((Enum<?>) this).name();
        }
    }

    public enum TaskStatus implements Coded {
        REGISTERED('G', "Task has been bound to the database."),
        QUEUED_FOR_INSTANTIATION('Q', "Task's dependencies have been met, task can be run when the scheduler is ready."),
        INSTANTIATED('I', "Task has had a Task Instance created that will be submitted to the Executor."),
        RUNNING('R', "Task is running on the specified Executor."),
        DONE('D', "Task ran to completion."),
        ERROR_RECOVERABLE('E', "Task has errored out but has more attempts so it will be retried."),
        ADJUSTING_RESOURCES('A', "Task has errored with a resource error, the resources will be adjusted before retrying."),
        ERROR_FATAL('F', "Task has errored out and has used all of the attempts. It cannot be retried.");

        private final char code;
        private final String description;

        TaskStatus(char code, String description) {
            this.code = code;
            this.description = description;
        }

        @Override
        public char code() {
            return code;
        }

        @Override
        public String description() {
            return description;
        }

        public boolean isFinal() {
            return this == DONE || this == ERROR_FATAL;
        }

        public static TaskStatus of(char code) {
            return byCode(TaskStatus.class, code);
        }
    }

    public enum TaskInstanceStatus implements Coded {
        INSTANTIATED('I', "Task instance is created."),
        SUBMITTED_TO_BATCH_EXECUTOR('B', "Task instance submitted normally."),
        RUNNING('R', "Task instance starts running normally."),
        DONE('D', "Task instance finishes normally."),
        ERROR('E', "Task instance has hit an application error."),
        UNKNOWN_ERROR('U', "Task instance stops reporting that it's alive and Jobmon can't figure out why."),
        NO_EXECUTOR_ID('W', "Task instance submission has hit a bug and did not receive an executor_id."),
        RESOURCE_ERROR('Z', "Task instance died because of an insufficient resource request."),
        KILL_SELF('K', "Task instance has been ordered to kill itself if it is still alive."),
        TRIAGING('T', "Task instance stopped reporting that it is alive; the executor is asked why."),
        NO_HEARTBEAT('X', "Task instance was submitted but never reported that it started."),
        ERROR_FATAL('F', "Task instance was killed on order and will not report again.");

        private final char code;
        private final String description;

        TaskInstanceStatus(char code, String description) {
            this.code = code;
            this.description = description;
        }

        @Override
        public char code() {
            return code;
        }

        @Override
        public String description() {
            return description;
        }

        public static TaskInstanceStatus of(char code) {
            return byCode(TaskInstanceStatus.class, code);
        }
    }

    public enum WorkflowRunStatus implements Coded {
        REGISTERED('G', "WorkflowRun has been validated."),
        BOUND('B', "WorkflowRun has been bound to the database."),
        RUNNING('R', "WorkflowRun is currently running."),
        DONE('D', "WorkflowRun has run to completion."),
        ABORTED('A', "WorkflowRun encountered problems while binding so it stopped."),
        STOPPED('S', "WorkflowRun has been stopped, probably due to keyboard interrupt from user."),
        ERROR('E', "WorkflowRun has not completed successfully, may have lost contact with services."),
        COLD_RESUME('C', "WorkflowRun was set to resume once all tasks were stopped."),
        HOT_RESUME('H', "WorkflowRun was set to resume while tasks are still running, they will continue running."),
        TERMINATED('T', "WorkflowRun was in resume, new WorkflowRun created to pick up remaining Tasks, so this one terminated.");

        private final char code;
        private final String description;

        WorkflowRunStatus(char code, String description) {
            this.code = code;
            this.description = description;
        }

        @Override
        public char code() {
            return code;
        }

        @Override
        public String description() {
            return description;
        }

        public static WorkflowRunStatus of(char code) {
            return byCode(WorkflowRunStatus.class, code);
        }
    }

    public enum WorkflowStatus implements Coded {
        REGISTERED('G', "Workflow created and validated."),
        BOUND('B', "Workflow bound to the database."),
        ABORTED('A', "Workflow encountered an error before a WorkflowRun was created."),
        CREATED('C', "Workflow created a WorkflowRun."),
        DONE('D', "Workflow finished successfully."),
        FAILED('F', "Workflow unsuccessful in one or more WorkflowRuns, none finished as Done."),
        RUNNING('R', "Workflow has a WorkflowRun that is running."),
        SUSPENDED('S', "Workflow paused if marked for resume, can be set to running again.");

        private final char code;
        private final String description;

        WorkflowStatus(char code, String description) {
            this.code = code;
            this.description = description;
        }

        @Override
        public char code() {
            return code;
        }

        @Override
        public String description() {
            return description;
        }

        public static WorkflowStatus of(char code) {
            return byCode(WorkflowStatus.class, code);
        }
    }
}

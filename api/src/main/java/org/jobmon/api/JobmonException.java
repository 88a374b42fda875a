package org.jobmon.api;

import static java.util.Objects.requireNonNull;

/**
 * The one exception Jobmon throws. Its {@link ErrorCode} says what went wrong and its
 * {@link ErrorType} who can fix it; the message names the offending value and the fix.
 */
public class JobmonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Who can fix it; the CLI maps each to an exit code in one place. */
    public enum ErrorType {
        /** The user's input or request is wrong; the message says how to fix it. */
        USER,
        /** A compute platform or database outside Jobmon failed. */
        EXTERNAL,
        /** A request no queue or machine can satisfy. */
        INSUFFICIENT_RESOURCES,
        /** A bug in Jobmon. */
        INTERNAL
    }

    /** What went wrong. */
    public enum ErrorCode {
        INVALID_ARGUMENT(ErrorType.USER),
        INVALID_RESOURCES(ErrorType.USER),
        INVALID_DAG(ErrorType.USER),
        INVALID_SPEC(ErrorType.USER),
        UNKNOWN_EXECUTOR(ErrorType.USER),
        WORKFLOW_ALREADY_EXISTS(ErrorType.USER),
        WORKFLOW_ALREADY_COMPLETE(ErrorType.USER),
        NOT_FOUND(ErrorType.USER),
        REFUSED(ErrorType.USER),
        RESOURCES_UNSATISFIABLE(ErrorType.INSUFFICIENT_RESOURCES),
        DATABASE(ErrorType.EXTERNAL),
        EXECUTOR_FAILURE(ErrorType.EXTERNAL),
        INTERNAL_ERROR(ErrorType.INTERNAL);

        private final ErrorType type;

        ErrorCode(ErrorType type) {
            this.type = type;
        }

        public ErrorType type() {
            return type;
        }
    }

    private final ErrorCode code;

    public JobmonException(ErrorCode code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public JobmonException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorType type() {
        return code.type();
    }

    public static JobmonException userError(ErrorCode code, String message) {
        return new JobmonException(code, message);
    }
}

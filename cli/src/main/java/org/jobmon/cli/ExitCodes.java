package org.jobmon.cli;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

import picocli.CommandLine.ParameterException;

/**
 * The one place exit codes are decided.
 * <ul>
 * <li>0: success (for {@code run}: the workflow ended DONE).
 * <li>1: a refused or failed action: the request was well formed, but the state of things refused
 * it (the workflow already exists or is complete, a thing named is not there) or carrying it out
 * failed (a run that ended other than DONE, the database or the cluster failing).
 * <li>2: bad usage or bad input: the command line or the spec is wrong, whatever the database holds.
 * <li>3: an internal error, a bug in Jobmon.
 * </ul>
 * {@link JobmonException.ErrorType#USER} covers both "your input is wrong" and "refused", so the
 * mapping goes by {@link ErrorCode}; the switch has no default, so a new code does not compile
 * until it is given an exit code here.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;

    private ExitCodes() {
    }

    public static int of(Throwable t) {
        if (t instanceof ParameterException) {
            return USAGE;
        }
        if (t instanceof JobmonException e) {
            return of(e.code());
        }
        return INTERNAL;
    }

    public static int of(ErrorCode code) {
        return switch (code) {
            case INVALID_ARGUMENT, INVALID_RESOURCES, INVALID_DAG, INVALID_SPEC, UNKNOWN_EXECUTOR -> USAGE;
            case WORKFLOW_ALREADY_EXISTS, WORKFLOW_ALREADY_COMPLETE, NOT_FOUND, REFUSED -> FAILED;
            case RESOURCES_UNSATISFIABLE, DATABASE, EXECUTOR_FAILURE -> FAILED;
            case INTERNAL_ERROR -> INTERNAL;
        };
    }
}

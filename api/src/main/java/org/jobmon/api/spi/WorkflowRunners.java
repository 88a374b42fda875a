package org.jobmon.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

/** Finds the engine on the classpath. */
public final class WorkflowRunners {
    private WorkflowRunners() {
    }

    public static WorkflowRunner load() {
        List<WorkflowRunnerProvider> found = new ArrayList<>();
        ServiceLoader.load(WorkflowRunnerProvider.class, WorkflowRunners.class.getClassLoader()).forEach(found::add);
        if (found.isEmpty()) {
            throw new JobmonException(ErrorCode.INTERNAL_ERROR, "no Jobmon engine on the classpath: add the dependency "
                    + "org.jobmon:jobmon-engine and the executor jars you use (jobmon-executor-multiprocess, ...)");
        }
        if (found.size() > 1) {
            throw new JobmonException(ErrorCode.INTERNAL_ERROR, "more than one Jobmon engine on the classpath: " + found
                    + "; keep one jobmon-engine jar");
        }
        return found.get(0).create();
    }
}

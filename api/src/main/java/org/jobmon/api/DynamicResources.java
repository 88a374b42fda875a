package org.jobmon.api;

/**
 * Resources computed when a task becomes ready (all its upstreams are DONE), so they can depend
 * on what the upstreams wrote. An exception or a null result fails that task, with the reason in
 * its error log; other tasks are unaffected.
 */
@FunctionalInterface
public interface DynamicResources {
    ExecutorParameters compute(Task task) throws Exception;
}

package org.jobmon.api.executor;

/** Receives instance events; thread-safe, never blocks for long. */
@FunctionalInterface
public interface InstanceEventSink {
    void accept(InstanceEvent event);
}

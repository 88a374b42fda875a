package org.jobmon.api.executor;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;

/** What an executor that watches its instances reports. */
public sealed interface InstanceEvent {
    long taskInstanceId();

    /** The instance's command started. */
    record Started(long taskInstanceId, String executorId, String hostname, OptionalLong pid) implements InstanceEvent {
        public Started {
            requireNonNull(executorId, "executorId is null");
            requireNonNull(hostname, "hostname is null");
            requireNonNull(pid, "pid is null");
        }
    }

    /** The instance ended. */
    record Exited(long taskInstanceId, String executorId, ExitInfo exit) implements InstanceEvent {
        public Exited {
            requireNonNull(executorId, "executorId is null");
            requireNonNull(exit, "exit is null");
        }
    }

    /** The instance could not be started at all (the platform refused it after submission). */
    record Failed(long taskInstanceId, Optional<String> executorId, String reason) implements InstanceEvent {
        public Failed {
            requireNonNull(executorId, "executorId is null");
            requireNonNull(reason, "reason is null");
        }
    }
}

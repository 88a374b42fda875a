package org.jobmon.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.jobmon.api.JobmonException.ErrorCode;

/**
 * The resources a task asks for, with the seed's names. Every field is optional so that
 * workflow defaults, task template defaults and the task's own values can be layered (later
 * wins); {@link #resolve()} applies the seed's defaults to what is left unset. Values are parsed
 * when set, so a bad value fails where it was written.
 */
public final class ExecutorParameters {
    public static final int DEFAULT_NUM_CORES = 1;
    public static final long DEFAULT_MEMORY_MIB = 1024;
    public static final long DEFAULT_MAX_RUNTIME_SECONDS = 24 * 3600;
    public static final Map<String, ResourceScale> DEFAULT_RESOURCE_SCALES = Map.of(
            Resources.M_MEM_FREE, ResourceScale.factor(0.5),
            Resources.MAX_RUNTIME_SECONDS, ResourceScale.factor(0.5));

    private final Integer numCores;
    private final Long memoryMib;
    private final Long maxRuntimeSeconds;
    private final String queue;
    private final Map<String, String> contextArgs;
    private final Map<String, ResourceScale> resourceScales;
    private final Boolean hardLimits;
    private final String executorClass;

    private ExecutorParameters(Builder b) {
        this.numCores = b.numCores;
        this.memoryMib = b.memoryMib;
        this.maxRuntimeSeconds = b.maxRuntimeSeconds;
        this.queue = b.queue;
        this.contextArgs = b.contextArgs == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.contextArgs));
        this.resourceScales = b.resourceScales == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(b.resourceScales));
        this.hardLimits = b.hardLimits;
        this.executorClass = b.executorClass;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ExecutorParameters empty() {
        return EMPTY;
    }

    /** One for every task that sets none: it cannot change. */
    private static final ExecutorParameters EMPTY = new Builder().build();

    public Builder toBuilder() {
        Builder b = new Builder();
        b.numCores = numCores;
        b.memoryMib = memoryMib;
        b.maxRuntimeSeconds = maxRuntimeSeconds;
        b.queue = queue;
        b.contextArgs = contextArgs == null ? null : new LinkedHashMap<>(contextArgs);
        b.resourceScales = resourceScales == null ? null : new LinkedHashMap<>(resourceScales);
        b.hardLimits = hardLimits;
        b.executorClass = executorClass;
        return b;
    }

    public OptionalInt numCores() {
        return numCores == null ? OptionalInt.empty() : OptionalInt.of(numCores);
    }

    public OptionalLong memoryMib() {
        return memoryMib == null ? OptionalLong.empty() : OptionalLong.of(memoryMib);
    }

    public OptionalLong maxRuntimeSeconds() {
        return maxRuntimeSeconds == null ? OptionalLong.empty() : OptionalLong.of(maxRuntimeSeconds);
    }

    public Optional<String> queue() {
        return Optional.ofNullable(queue);
    }

    public Optional<Map<String, String>> contextArgs() {
        return Optional.ofNullable(contextArgs);
    }

    public Optional<Map<String, ResourceScale>> resourceScales() {
        return Optional.ofNullable(resourceScales);
    }

    public Optional<Boolean> hardLimits() {
        return Optional.ofNullable(hardLimits);
    }

    public Optional<String> executorClass() {
        return Optional.ofNullable(executorClass);
    }

    /** These values over {@code base}: every field set here wins, the rest come from base. */
    public ExecutorParameters over(ExecutorParameters base) {
        Builder b = base.toBuilder();
        if (numCores != null) {
            b.numCores = numCores;
        }
        if (memoryMib != null) {
            b.memoryMib = memoryMib;
        }
        if (maxRuntimeSeconds != null) {
            b.maxRuntimeSeconds = maxRuntimeSeconds;
        }
        if (queue != null) {
            b.queue = queue;
        }
        if (contextArgs != null) {
            b.contextArgs = new LinkedHashMap<>(contextArgs);
        }
        if (resourceScales != null) {
            b.resourceScales = new LinkedHashMap<>(resourceScales);
        }
        if (hardLimits != null) {
            b.hardLimits = hardLimits;
        }
        if (executorClass != null) {
            b.executorClass = executorClass;
        }
        return b.build();
    }

    /** Applies the seed's defaults to unset fields. */
    public Resources resolve() {
        return new Resources(
                numCores == null ? DEFAULT_NUM_CORES : numCores,
                memoryMib == null ? DEFAULT_MEMORY_MIB : memoryMib,
                maxRuntimeSeconds == null ? DEFAULT_MAX_RUNTIME_SECONDS : maxRuntimeSeconds,
                Optional.ofNullable(queue),
                contextArgs == null ? Map.of() : contextArgs,
                resourceScales == null ? DEFAULT_RESOURCE_SCALES : resourceScales,
                hardLimits != null && hardLimits);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecutorParameters p && Objects.equals(numCores, p.numCores)
                && Objects.equals(memoryMib, p.memoryMib) && Objects.equals(maxRuntimeSeconds, p.maxRuntimeSeconds)
                && Objects.equals(queue, p.queue) && Objects.equals(contextArgs, p.contextArgs)
                && Objects.equals(resourceScales, p.resourceScales) && Objects.equals(hardLimits, p.hardLimits)
                && Objects.equals(executorClass, p.executorClass);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numCores, memoryMib, maxRuntimeSeconds, queue, contextArgs, resourceScales, hardLimits, executorClass);
    }

    @Override
    public String toString() {
        return "ExecutorParameters{num_cores=" + numCores + ", m_mem_free=" + (memoryMib == null ? null : ResourceParser.formatMemory(memoryMib))
                + ", max_runtime_seconds=" + maxRuntimeSeconds + ", queue=" + queue + ", context_args=" + contextArgs
                + ", resource_scales=" + resourceScales + ", hard_limits=" + hardLimits + ", executor_class=" + executorClass + "}";
    }

    /** Builds parameters; each setter parses and rejects a bad value at once. */
    public static final class Builder {
        private Integer numCores;
        private Long memoryMib;
        private Long maxRuntimeSeconds;
        private String queue;
        private Map<String, String> contextArgs;
        private Map<String, ResourceScale> resourceScales;
        private Boolean hardLimits;
        private String executorClass;

        private Builder() {
        }

        public Builder numCores(int cores) {
            this.numCores = ResourceParser.cores("num_cores", cores);
            return this;
        }

        /** num_cores from any value a spec file may hold. */
        public Builder numCores(Object cores) {
            this.numCores = ResourceParser.cores("num_cores", cores);
            return this;
        }

        /** m_mem_free as the seed writes it: "1G", "128M", "1.5G", or a number of GiB. */
        public Builder mMemFree(Object memory) {
            this.memoryMib = ResourceParser.memoryMib("m_mem_free", memory);
            return this;
        }

        public Builder memoryMib(long mib) {
            if (mib <= 0) {
                throw new JobmonException(ErrorCode.INVALID_RESOURCES, "m_mem_free " + mib + "M must be more than zero");
            }
            this.memoryMib = mib;
            return this;
        }

        public Builder maxRuntimeSeconds(long seconds) {
            this.maxRuntimeSeconds = ResourceParser.runtimeSeconds("max_runtime_seconds", seconds);
            return this;
        }

        /** max_runtime_seconds as a number, "HH:MM:SS", or "1h", "30m", "25s". */
        public Builder maxRuntime(Object runtime) {
            this.maxRuntimeSeconds = ResourceParser.runtimeSeconds("max_runtime_seconds", runtime);
            return this;
        }

        public Builder queue(String queue) {
            if (queue == null || queue.isBlank()) {
                throw new JobmonException(ErrorCode.INVALID_RESOURCES, "queue '" + queue + "' must not be blank");
            }
            this.queue = queue;
            return this;
        }

        public Builder contextArgs(Map<String, ?> args) {
            Map<String, String> copy = new LinkedHashMap<>();
            args.forEach((k, v) -> copy.put(k, String.valueOf(v)));
            this.contextArgs = copy;
            return this;
        }

        public Builder contextArg(String name, String value) {
            if (contextArgs == null) {
                contextArgs = new LinkedHashMap<>();
            }
            contextArgs.put(name, value);
            return this;
        }

        /** A scale per resource: a factor (0.5 means +50% after each resource kill) or a list of next values. */
        public Builder resourceScales(Map<String, ?> scales) {
            Map<String, ResourceScale> parsed = new LinkedHashMap<>();
            scales.forEach((k, v) -> parsed.put(checkScaledResource(k), ResourceScale.parse(k, v)));
            this.resourceScales = parsed;
            return this;
        }

        public Builder resourceScale(String resource, double factor) {
            if (resourceScales == null) {
                resourceScales = new LinkedHashMap<>();
            }
            resourceScales.put(checkScaledResource(resource), ResourceScale.parse(resource, factor));
            return this;
        }

        public Builder hardLimits(boolean hardLimits) {
            this.hardLimits = hardLimits;
            return this;
        }

        public Builder executorClass(String executorClass) {
            this.executorClass = ExecutorNames.normalize(executorClass);
            return this;
        }

        public ExecutorParameters build() {
            return new ExecutorParameters(this);
        }

        private static String checkScaledResource(String resource) {
            if (!Resources.SCALABLE.contains(resource)) {
                throw new JobmonException(ErrorCode.INVALID_RESOURCES, "resource_scales names '" + resource
                        + "', which cannot be scaled: use one of " + Resources.SCALABLE);
            }
            return resource;
        }
    }

    /** How a resource grows after a resource kill: by a factor, or through a list of next values. */
    public record ResourceScale(Optional<Double> factor, List<Object> values) {
        public ResourceScale {
            Objects.requireNonNull(factor, "factor is null");
            values = List.copyOf(values);
        }

        public static ResourceScale factor(double f) {
            return new ResourceScale(Optional.of(f), List.of());
        }

        static ResourceScale parse(String resource, Object v) {
            if (v instanceof Number n && n.doubleValue() >= 0 && Double.isFinite(n.doubleValue())) {
                return factor(n.doubleValue());
            }
            if (v instanceof List<?> list && !list.isEmpty()) {
                return new ResourceScale(Optional.empty(), new ArrayList<>(list));
            }
            throw new JobmonException(ErrorCode.INVALID_RESOURCES, "resource_scales for " + resource + " '" + v
                    + "' must be a non-negative factor such as 0.5, or a list of next values");
        }

        @Override
        public String toString() {
            return factor.map(String::valueOf).orElseGet(values::toString);
        }
    }
}

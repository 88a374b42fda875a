package org.jobmon.cli.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jobmon.api.ExecutorParameters;
import org.jobmon.api.JobmonException;

/**
 * An executor parameters block (workflow and template defaults, a task's own) with the seed's
 * keys. Each value is parsed by the api's builder, so a bad value fails with its path in the spec.
 */
final class ExecutorParametersReader {
    static final Set<String> KEYS = SpecNode.keys("num_cores", "m_mem_free", "max_runtime_seconds", "queue",
            "context_args", "resource_scales", "hard_limits", "executor_class");

    private final KnownExecutors executors;

    ExecutorParametersReader(KnownExecutors executors) {
        this.executors = executors;
    }

    ExecutorParameters read(SpecNode node) {
        ExecutorParameters.Builder b = ExecutorParameters.builder();
        for (Map.Entry<String, SpecNode> e : node.object(KEYS, Set.of()).entrySet()) {
            SpecNode value = e.getValue();
            if (value.isNull()) {
                throw value.error("has no value: give one, or remove the key to use the default");
            }
            switch (e.getKey()) {
                case "num_cores" -> {
                    Object v = number(value);
                    apply(value, () -> b.numCores(v));
                }
                case "m_mem_free" -> {
                    Object v = number(value);
                    apply(value, () -> b.mMemFree(v));
                }
                case "max_runtime_seconds" -> {
                    Object v = number(value);
                    apply(value, () -> b.maxRuntime(v));
                }
                case "queue" -> {
                    String v = value.nonBlankText();
                    apply(value, () -> b.queue(v));
                }
                case "context_args" -> {
                    Map<String, String> v = scalars(value);
                    apply(value, () -> b.contextArgs(v));
                }
                case "resource_scales" -> {
                    Map<String, Object> v = scales(value);
                    apply(value, () -> b.resourceScales(v));
                }
                case "hard_limits" -> {
                    boolean v = value.bool();
                    apply(value, () -> b.hardLimits(v));
                }
                case "executor_class" -> {
                    String v = executors.check(value);
                    apply(value, () -> b.executorClass(v));
                }
                default -> throw new IllegalStateException("unhandled executor parameter " + e.getKey());
            }
        }
        return b.build();
    }

    /** Runs an api setter; its error gets the value's place in the spec. */
    static void apply(SpecNode at, Runnable setter) {
        try {
            setter.run();
        } catch (JobmonException e) {
            throw at.error(e);
        }
    }

    /** A number or text: the api's parsers take both ("1G", 2, "01:00:00"); true/false is neither. */
    private static Object number(SpecNode value) {
        Object v = value.scalarValue();
        if (v instanceof Boolean) {
            throw value.error("expected a number or text, found " + value.describe());
        }
        return v;
    }

    private static Map<String, String> scalars(SpecNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.anyObject().forEach((k, v) -> out.put(k, v.scalarText()));
        return out;
    }

    private static Map<String, Object> scales(SpecNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.anyObject().forEach((k, v) -> {
            if (v.isArray()) {
                List<Object> values = new ArrayList<>();
                v.list().forEach(item -> values.add(number(item)));
                out.put(k, values);
            } else {
                out.put(k, number(v));
            }
        });
        return out;
    }
}

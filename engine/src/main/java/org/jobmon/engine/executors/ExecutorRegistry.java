package org.jobmon.engine.executors;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;
import org.jobmon.api.executor.ExecutorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The executor plugins this engine can use, by name. */
public final class ExecutorRegistry {
    private static final Logger log = LoggerFactory.getLogger(ExecutorRegistry.class);

    private final Map<String, ExecutorFactory> byName = new TreeMap<>();
    private final List<String> primaryNames = new ArrayList<>();

    public ExecutorRegistry(Collection<? extends ExecutorFactory> factories) {
        for (ExecutorFactory f : factories) {
            String name = ExecutorNames.normalize(f.name());
            register(name, f);
            primaryNames.add(name);
            for (String alias : f.aliases()) {
                register(ExecutorNames.normalize(alias), f);
            }
            log.debug("executor plugin '{}' registered from {}", name, f.getClass().getName());
        }
    }

    private void register(String name, ExecutorFactory f) {
        ExecutorFactory previous = byName.putIfAbsent(name, f);
        if (previous != null && previous.getClass() != f.getClass()) {
            throw new JobmonException(ErrorCode.UNKNOWN_EXECUTOR, "two executor plugins are both named '" + name + "': "
                    + previous.getClass().getName() + " and " + f.getClass().getName() + "; remove one jar from the classpath");
        }
    }

    /** The factories registered with ServiceLoader on this class loader. */
    public static List<ExecutorFactory> discover(ClassLoader loader) {
        List<ExecutorFactory> found = new ArrayList<>();
        ServiceLoader.load(ExecutorFactory.class, loader).forEach(found::add);
        return found;
    }

    public ExecutorFactory get(String name) {
        String key = ExecutorNames.normalize(name);
        ExecutorFactory f = byName.get(key);
        if (f == null) {
            throw new JobmonException(ErrorCode.UNKNOWN_EXECUTOR, "unknown executor '" + name + "': "
                    + (primaryNames.isEmpty() ? "no executor plugins are on the classpath"
                            : "available are " + String.join(", ", primaryNames))
                    + "; add the executor's jar (e.g. org.jobmon:jobmon-executor-" + key + ") or fix the name");
        }
        return f;
    }

    public List<String> names() {
        return List.copyOf(primaryNames);
    }
}

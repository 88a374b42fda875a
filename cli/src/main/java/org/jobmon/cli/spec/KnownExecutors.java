package org.jobmon.cli.spec;

import java.util.Collection;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

import org.jobmon.api.ExecutorNames;
import org.jobmon.api.JobmonException;
import org.jobmon.api.executor.ExecutorFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor names a spec may use: Jobmon's own (sequential, multiprocess, sge, slurm, also by the
 * seed's class names) and those of the plugins on the classpath, so that a misspelt executor is
 * caught while reading the spec instead of after the workflow is bound.
 */
public final class KnownExecutors {
    private static final Logger log = LoggerFactory.getLogger(KnownExecutors.class);
    private static final Set<String> BUILT_IN = Set.of(ExecutorNames.SEQUENTIAL, ExecutorNames.MULTIPROCESS, ExecutorNames.SGE,
            ExecutorNames.SLURM);

    private final Set<String> names;

    private KnownExecutors(Collection<String> names) {
        this.names = new TreeSet<>(names);
    }

    /** Jobmon's executors and the plugins registered on this classpath. */
    public static KnownExecutors installed() {
        Set<String> names = new TreeSet<>(BUILT_IN);
        try {
            for (ExecutorFactory f : ServiceLoader.load(ExecutorFactory.class, KnownExecutors.class.getClassLoader())) {
                names.add(ExecutorNames.normalize(f.name()));
                f.aliases().forEach(a -> names.add(ExecutorNames.normalize(a)));
            }
        } catch (ServiceConfigurationError | RuntimeException e) {
            log.warn("cannot list the executor plugins on the classpath; accepting only {}: {}", BUILT_IN, e.toString());
        }
        return new KnownExecutors(names);
    }

    /** Exactly these names (normalised), for tests. */
    public static KnownExecutors of(Collection<String> names) {
        return new KnownExecutors(names.stream().map(ExecutorNames::normalize).toList());
    }

    /** The normalised name of the executor the node names, or an error listing the known ones. */
    String check(SpecNode node) {
        String given = node.nonBlankText();
        String normalized;
        try {
            normalized = ExecutorNames.normalize(given);
        } catch (JobmonException e) {
            throw node.error(e);
        }
        if (!names.contains(normalized)) {
            throw node.error("'" + given + "' is not an executor" + Suggestions.didYouMean(normalized, names)
                    + ": use one of " + String.join(", ", names)
                    + " (the seed's class names such as MultiprocessExecutor also work)");
        }
        return normalized;
    }
}

package org.jobmon.executor.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jobmon.api.executor.InstanceRequest;

/**
 * Groups a batch of requests into the jobs a scheduler is asked for: the requests of one task
 * template with identical resources, stdout and stderr folders and working directory become one
 * array job (at most {@code maxArraySize} members, in the order given); the others are submitted
 * alone. One scheduler call per group, so a 200-task phase of one template costs one call.
 */
public final class ArrayGroups {
    private ArrayGroups() {
    }

    /** The groups of {@code batch}, in order of their first member. */
    public static List<List<InstanceRequest>> of(List<InstanceRequest> batch, int maxArraySize) {
        if (maxArraySize < 1) {
            throw new IllegalArgumentException("maxArraySize " + maxArraySize + " < 1");
        }
        Map<Key, List<InstanceRequest>> open = new LinkedHashMap<>();
        List<List<InstanceRequest>> groups = new ArrayList<>();
        for (InstanceRequest r : batch) {
            Key k = new Key(r);
            List<InstanceRequest> g = open.get(k);
            if (g == null || g.size() >= maxArraySize) {
                g = new ArrayList<>();
                open.put(k, g);
                groups.add(g);
            }
            g.add(r);
        }
        return groups;
    }

    /** What members of one array job share. */
    private record Key(String template, Object resources, Object stdoutDir, Object stderrDir, Object workingDir) {
        Key(InstanceRequest r) {
            this(r.templateName(), r.resources(), r.stdout().map(p -> p.toAbsolutePath().getParent()).orElse(null),
                    r.stderr().map(p -> p.toAbsolutePath().getParent()).orElse(null), r.workingDir().orElse(null));
        }

    }
}

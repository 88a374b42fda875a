package org.jobmon.cli.status;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The statuses people read and filter on (the seed's "Possible states"), each a set of the
 * database's one-letter codes. Tasks: PENDING (G, Q, I, E, A), RUNNING (R), DONE (D), FATAL (F).
 * Task instances: PENDING (I, B), RUNNING (R), DONE (D), FATAL (E, U, W, Z, K, F, X, T).
 */
public enum Bucket {
    PENDING("GQIEA", "IB"),
    RUNNING("R", "R"),
    DONE("D", "D"),
    FATAL("F", "EUWZKFXT");

    private final String taskCodes;
    private final String instanceCodes;

    Bucket(String taskCodes, String instanceCodes) {
        this.taskCodes = taskCodes;
        this.instanceCodes = instanceCodes;
    }

    public static Bucket ofTask(char code) {
        for (Bucket b : values()) {
            if (b.taskCodes.indexOf(code) >= 0) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown task status code '" + code + "'");
    }

    public static Bucket ofInstance(char code) {
        for (Bucket b : values()) {
            if (b.instanceCodes.indexOf(code) >= 0) {
                return b;
            }
        }
        throw new IllegalArgumentException("unknown task instance status code '" + code + "'");
    }

    /** The task status codes of these buckets; empty (no filter) when every bucket is named or none is. */
    static List<Character> taskCodes(Collection<Bucket> buckets) {
        return codes(buckets, true);
    }

    /** The task instance status codes of these buckets; empty (no filter) when every bucket is named or none is. */
    static List<Character> instanceCodes(Collection<Bucket> buckets) {
        return codes(buckets, false);
    }

    private static List<Character> codes(Collection<Bucket> buckets, boolean task) {
        EnumSet<Bucket> set = buckets.isEmpty() ? EnumSet.allOf(Bucket.class) : EnumSet.copyOf(buckets);
        if (set.size() == values().length) {
            return List.of();
        }
        List<Character> out = new ArrayList<>();
        for (Bucket b : set) {
            (task ? b.taskCodes : b.instanceCodes).chars().forEach(c -> out.add((char) c));
        }
        return out;
    }

    /** PENDING, pending, Pending...: a usage error (exit 2) naming the allowed values otherwise. */
    static final class Converter implements ITypeConverter<Bucket> {
        @Override
        public Bucket convert(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a status: use PENDING, RUNNING, DONE or FATAL (any case)");
            }
        }
    }
}

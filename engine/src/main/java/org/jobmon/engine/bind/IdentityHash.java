package org.jobmon.engine.bind;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * SHA-256 over an unambiguous encoding: every field is written with its length first, so
 * ("1", "23") and ("12", "3") never hash alike.
 */
public final class IdentityHash {
    /** Cloned for each hash: a provider lookup per hash cost more than the hashing of a task's few args. */
    private static final MessageDigest PROTOTYPE = sha256();
    private final MessageDigest digest;
    private final ByteBuffer scratch = ByteBuffer.allocate(9);

    private IdentityHash(String kind) {
        MessageDigest d;
        try {
            d = (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            d = sha256();
        }
        digest = d;
        add(kind);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A hash of one kind of thing; the kind is part of the input. */
    public static IdentityHash of(String kind) {
        return new IdentityHash(kind);
    }

    public IdentityHash add(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        digest.update(scratch.clear().putInt(b.length).array(), 0, 4);
        digest.update(b);
        return this;
    }

    public IdentityHash add(long value) {
        digest.update(scratch.clear().put((byte) 'L').putLong(value).array(), 0, 9);
        return this;
    }

    /** Adds a map as its entries sorted by key, with the count first. */
    public IdentityHash add(Map<String, String> values) {
        add(values.size());
        for (Map.Entry<String, String> e : (values.size() < 2 ? values : new TreeMap<>(values)).entrySet()) {
            add(e.getKey());
            add(e.getValue());
        }
        return this;
    }

    public IdentityHash addAll(Iterable<String> values) {
        int n = 0;
        for (String v : values) {
            add(v);
            n++;
        }
        add(n);
        return this;
    }

    public String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}

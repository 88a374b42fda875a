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
    private final MessageDigest digest;

    private IdentityHash(String kind) {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        add(kind);
    }

    /** A hash of one kind of thing; the kind is part of the input. */
    public static IdentityHash of(String kind) {
        return new IdentityHash(kind);
    }

    public IdentityHash add(String value) {
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(b.length).array());
        digest.update(b);
        return this;
    }

    public IdentityHash add(long value) {
        digest.update(ByteBuffer.allocate(9).put((byte) 'L').putLong(value).array());
        return this;
    }

    /** Adds a map as its entries sorted by key, with the count first. */
    public IdentityHash add(Map<String, String> values) {
        add(values.size());
        for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) {
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

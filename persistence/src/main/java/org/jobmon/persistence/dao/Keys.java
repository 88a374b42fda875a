package org.jobmon.persistence.dao;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/** Inserting one row and reading back its generated id, the same way on H2 and MariaDB. */
final class Keys {
    private Keys() {
    }

    static long insert(Update update) {
        return update.executeAndReturnGeneratedKeys().map((rs, ctx) -> rs.getLong(1)).one();
    }

    static boolean isUniqueViolation(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s) {
                String state = s.getSQLState();
                if ("23505".equals(state) || "23000".equals(state) || s.getErrorCode() == 1062) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Runs {@code find}; when absent, {@code create}; when create loses a race, {@code find} again. */
    static long findOrCreate(Handle h, java.util.function.Supplier<java.util.Optional<Long>> find,
            java.util.function.LongSupplier create) {
        java.util.Optional<Long> found = find.get();
        if (found.isPresent()) {
            return found.get();
        }
        try {
            return create.getAsLong();
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                return find.get().orElseThrow(() -> e);
            }
            throw e;
        }
    }
}

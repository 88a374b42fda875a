package org.jobmon.persistence;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Optional;

/** What a failed statement means for whoever retries it. */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /**
     * True when the statement may succeed if tried again: the connection broke or could not be
     * made (SQLSTATE class 08, a pool timeout), the server is restarting, a deadlock (MariaDB 1213,
     * SQLSTATE 40001 on both databases) or a lock wait timed out (MariaDB 1205, H2 50200).
     */
    public static boolean isTransient(Throwable t) {
        return transientCause(t).isPresent();
    }

    /** The exception in {@code t}'s causes that makes it transient, for one-line messages. */
    public static Optional<Throwable> transientCause(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLTransientException || c instanceof SQLRecoverableException) {
                return Optional.of(c);
            }
            if (c instanceof SQLException s) {
                String state = s.getSQLState() == null ? "" : s.getSQLState();
                int code = s.getErrorCode();
                if (state.startsWith("08") || state.equals("40001") || state.equals("HYT00") || code == 1205 || code == 1213
                        || code == 1927 /* MariaDB: connection killed */ || code == 1053 /* server shutdown in progress */
                        || code == 2006 || code == 2013 /* server gone away, lost connection */
                        || code == 90067 /* H2: connection broken */ || code == 50200 /* H2: lock timeout */
                        || code == 90121 /* H2: database closed */ || code == 40001
                        // H2 auto-server hand-over: another process is taking the file over or serving it
                        || code == 90020 || code == 8000 || code == 90098) {
                    return Optional.of(c);
                }
            }
            if (c instanceof java.net.SocketException || c instanceof java.io.EOFException) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /**
     * True when the account may not do what was asked: MariaDB 1142 (command denied), 1044/1045
     * (access denied), 1227 (privilege needed), H2 90096 (not enough rights).
     */
    public static boolean isPermissionDenied(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                int code = s.getErrorCode();
                if (code == 1142 || code == 1044 || code == 1045 || code == 1227 || code == 1143 || code == 90096) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One line for a log: the innermost message. */
    public static String describe(Throwable t) {
        Throwable last = t;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                last = c;
            }
        }
        String m = String.valueOf(last.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

package org.jobmon.persistence;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says in one line why a connection could not be made, in the server's own words where it gave
 * some, and what to fix; drivers wrap that reason in layers of exceptions and stack traces.
 */
final class ConnectionFailures {
    /** H2 error codes seen while processes started together open one AUTO_SERVER file and hand it over. */
    private static final Set<Integer> H2_TRANSIENT = Set.of(
            90020, // DATABASE_ALREADY_OPEN_1: "Locked by another process" (the server is starting or leaving)
            8000, // ERROR_OPENING_DATABASE_1: "Lock file recently modified"
            90067, // CONNECTION_BROKEN_1: the serving process closed the database
            90121, // DATABASE_CALLED_AT_SHUTDOWN
            90098); // DATABASE_IS_CLOSED
    private static final Pattern CONN_PREFIX = Pattern.compile("^\\(conn=\\d+\\)\\s*");
    private static final Pattern MARIADB_HOST = Pattern.compile("^jdbc:(?:mariadb|mysql):(?:[a-z]+:)?//([^/?,]*)");

    private ConnectionFailures() {
    }

    /** True for the hand-over errors of H2's auto-server mode, which go away when tried again. */
    static boolean isTransientH2(Throwable t) {
        return sqlExceptions(t).stream().anyMatch(e -> H2_TRANSIENT.contains(e.getErrorCode()));
    }

    /** Why {@code t} kept us from connecting to {@code url}, and the fix; empty when it is no connection failure we know. */
    static Optional<String> reason(Throwable t, String url) {
        for (Throwable c : chain(t)) {
            if (c instanceof ConnectException) {
                return Optional.of("nothing listens on " + hostAndPort(url)
                        + ": start the database server, or fix the host and port in the URL");
            }
            if (c instanceof UnknownHostException) {
                return Optional.of("unknown host " + hostAndPort(url) + ": fix the host name in the URL");
            }
            if (c instanceof SocketTimeoutException) {
                return Optional.of("no answer from " + hostAndPort(url) + " within " + Database.CONNECTION_TIMEOUT.toSeconds()
                        + " s: check that the server runs and that no firewall is in the way");
            }
        }
        for (SQLException e : sqlExceptions(t)) {
            String server = serverMessage(e);
            switch (e.getErrorCode()) {
                case 1045, 1698:
                    // 1698: a user the server does not know, or one that may not log in with a password
                    return Optional.of(server + ": check the user and password in the URL");
                case 1044:
                    return Optional.of(server + ": grant the user access to that database, or name another in the URL");
                case 1049:
                    return Optional.of(server + ": create it (CREATE DATABASE ...), or fix the database name in the URL");
                default:
                    if ("28000".equals(e.getSQLState())) {
                        return Optional.of(server + ": check the user and password in the URL");
                    }
                    break;
            }
        }
        return Optional.empty();
    }

    /** The innermost message of {@code t}'s causes, as one line without the driver's connection prefix. */
    static String innermostMessage(Throwable t) {
        Throwable inner = t;
        for (Throwable c : chain(t)) {
            if (c.getMessage() != null) {
                inner = c;
            }
        }
        String m = inner.getMessage() == null ? inner.toString() : inner.getMessage();
        return CONN_PREFIX.matcher(m.lines().findFirst().orElse("").strip()).replaceFirst("");
    }

    private static String serverMessage(SQLException e) {
        String m = CONN_PREFIX.matcher(String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip()).replaceFirst("");
        return m.isEmpty() ? m : Character.toLowerCase(m.charAt(0)) + m.substring(1);
    }

    static String hostAndPort(String url) {
        Matcher m = MARIADB_HOST.matcher(url);
        if (!m.find()) {
            return "the server";
        }
        String host = m.group(1).replaceFirst("^.*@", "");
        if (host.isEmpty()) {
            host = "localhost";
        }
        return host.matches(".*:\\d+$") ? host : host + ":3306";
    }

    private static java.util.List<Throwable> chain(Throwable t) {
        java.util.List<Throwable> chain = new java.util.ArrayList<>();
        Set<Throwable> seen = new HashSet<>();
        for (Throwable c = t; c != null && seen.add(c); c = c.getCause()) {
            chain.add(c);
            if (c instanceof SQLException s && s.getNextException() != null && seen.add(s.getNextException())) {
                chain.add(s.getNextException());
            }
        }
        return chain;
    }

    private static java.util.List<SQLException> sqlExceptions(Throwable t) {
        return chain(t).stream().filter(SQLException.class::isInstance).map(SQLException.class::cast).toList();
    }
}

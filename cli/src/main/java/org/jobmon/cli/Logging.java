package org.jobmon.cli;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

/**
 * Log levels for one invocation: WARN by default, {@code -v} INFO, {@code -vv} DEBUG, all on
 * stderr (logback.xml), so stdout holds only the command's output. Libraries that log through
 * java.util.logging (Liquibase) are routed into the same place.
 */
final class Logging {
    private Logging() {
    }

    static void configure(int verbosity) {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(verbosity >= 2 ? Level.DEBUG : verbosity == 1 ? Level.INFO : Level.WARN);
        }
        // What these report at WARN and ERROR reaches the user anyway, as the exception Jobmon
        // turns into one line: the MariaDB driver logs every error the server sends (including
        // ones Jobmon expects and handles), the pool its failure to start, Liquibase what it meets
        // while processes hand the embedded database over. With -v they speak again.
        Level quiet = verbosity == 0 ? Level.OFF : null;
        for (String noisy : new String[] {"org.mariadb.jdbc", "com.zaxxer.hikari", "liquibase"}) {
            if (LoggerFactory.getLogger(noisy) instanceof Logger logger) {
                logger.setLevel(quiet);
            }
        }
    }
}

package org.jobmon.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.jobmon.api.executor.ExecutorFactory;

/**
 * What one engine is built from.
 *
 * @param databaseUrl the JDBC URL
 * @param executorFactories executors to use instead of discovering them
 * @param workRoot where runs keep instance records
 * @param config tunables
 * @param dataSourceWrapper wraps the pool every statement goes through (instrumentation, tests)
 */
record EngineSettings(String databaseUrl, Optional<List<ExecutorFactory>> executorFactories, Path workRoot, EngineConfig config,
        java.util.function.UnaryOperator<javax.sql.DataSource> dataSourceWrapper) {
}

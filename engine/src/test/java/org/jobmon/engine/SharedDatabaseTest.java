package org.jobmon.engine;

import org.jobmon.persistence.DatabaseUrls;

/** The shared-database contract on the embedded database, several engines in one JVM. */
class SharedDatabaseTest extends SharedDatabaseContract {
    @Override
    String freshUrl() {
        return DatabaseUrls.embedded(dir.resolve("db"));
    }
}

package org.jobmon.engine;

import org.jobmon.persistence.TestDatabases;

/** The shared-database contract on a real MariaDB. */
class SharedDatabaseMariaDbIT extends SharedDatabaseContract {
    private String url;

    @Override
    String freshUrl() {
        if (url == null) {
            url = TestDatabases.freshMariaDb();
        }
        return url;
    }
}

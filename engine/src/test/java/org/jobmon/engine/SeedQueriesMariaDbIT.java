package org.jobmon.engine;

import org.jobmon.persistence.TestDatabases;

class SeedQueriesMariaDbIT extends SeedQueriesContract {
    @Override
    String databaseUrl() {
        return TestDatabases.freshMariaDb();
    }

    @Override
    boolean doubleQuotedStrings() {
        return true;
    }
}

package org.jobmon.engine;

import org.jobmon.persistence.TestDatabases;

class SeedQueriesTest extends SeedQueriesContract {
    @Override
    String databaseUrl() {
        return TestDatabases.h2(dir);
    }

    @Override
    boolean doubleQuotedStrings() {
        return false;
    }
}

package org.jobmon.persistence;

import org.junit.jupiter.api.Test;

class SchemaMariaDbIT {
    @Test
    void createsEverySeedTableOnMariaDbAndReappliesAsNoOp() {
        String url = TestDatabases.freshMariaDb();
        try (Database db = Database.open(url)) {
            SchemaTest.assertSchema(db);
        }
        try (Database db = Database.open(url)) {
            SchemaTest.assertSchema(db);
        }
    }
}

package org.jobmon.persistence.dao;

import org.jobmon.persistence.Database;
import org.jobmon.persistence.TestDatabases;

class RunLeaseMariaDbIT extends RunLeaseContract {
    @Override
    Database open() {
        return Database.open(TestDatabases.freshMariaDb());
    }
}

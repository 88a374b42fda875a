package org.jobmon.persistence.dao;

import java.nio.file.Path;

import org.jobmon.persistence.Database;
import org.jobmon.persistence.TestDatabases;
import org.junit.jupiter.api.io.TempDir;

class RunLeaseTest extends RunLeaseContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return Database.open(TestDatabases.h2(dir));
    }
}

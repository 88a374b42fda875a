package org.jobmon.persistence;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

class SchemaUpgradeMariaDbIT extends SchemaUpgradeContract {
    @Override
    String loadedFixture() throws Exception {
        String url = TestDatabases.freshMariaDb();
        String dump;
        try (var in = SchemaUpgradeMariaDbIT.class.getResourceAsStream("/fixtures/schema-0011/mariadb.sql")) {
            dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "allowMultiQueries=true");
                Statement s = c.createStatement()) {
            s.execute(dump);
        }
        return url;
    }
}

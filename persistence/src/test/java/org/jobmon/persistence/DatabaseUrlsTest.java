package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.jobmon.api.JobmonException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The database URL a user passes is taken as meant: H2 URLs get the settings Jobmon needs. */
class DatabaseUrlsTest {
    @TempDir
    Path dir;

    @Test
    void aPlainH2FileUrlGetsTheSettingsJobmonNeeds() {
        assertThat(DatabaseUrls.normalize("jdbc:h2:file:/x/db"))
                .isEqualTo("jdbc:h2:file:/x/db;MODE=MariaDB;NON_KEYWORDS=USER;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE");
        assertThat(DatabaseUrls.normalize(DatabaseUrls.embedded(Path.of("/x/db")))).as("the embedded URL is already right")
                .isEqualTo(DatabaseUrls.embedded(Path.of("/x/db")));
        assertThat(DatabaseUrls.normalize("jdbc:h2:mem:t")).isEqualTo("jdbc:h2:mem:t;MODE=MariaDB;NON_KEYWORDS=USER;DB_CLOSE_DELAY=-1");
        assertThat(DatabaseUrls.normalize("jdbc:h2:tcp://host/db;mode=mariadb")).isEqualTo("jdbc:h2:tcp://host/db;mode=MariaDB;NON_KEYWORDS=USER");
    }

    @Test
    void theUsersOwnSettingsAreKeptWhereTheyDoNotConflict() {
        assertThat(DatabaseUrls.normalize("jdbc:h2:file:/x/db;AUTO_SERVER=FALSE;NON_KEYWORDS=VALUE;CACHE_SIZE=8192"))
                .isEqualTo("jdbc:h2:file:/x/db;AUTO_SERVER=FALSE;NON_KEYWORDS=VALUE,USER;CACHE_SIZE=8192;MODE=MariaDB");
        assertThat(DatabaseUrls.normalize("jdbc:mariadb://127.0.0.1:3306/jobmon?user=me")).isEqualTo("jdbc:mariadb://127.0.0.1:3306/jobmon?user=me");
    }

    @Test
    void aConflictingModeIsRefusedWithTheUrlToUseInstead() {
        assertThatThrownBy(() -> DatabaseUrls.normalize("jdbc:h2:file:/x/db;MODE=PostgreSQL;PASSWORD=secret"))
                .isInstanceOf(JobmonException.class)
                .hasMessageContaining("MODE=PostgreSQL")
                .hasMessageContaining("use jdbc:h2:file:/x/db;MODE=MariaDB;PASSWORD=***;NON_KEYWORDS=USER;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE")
                .hasMessageNotContaining("secret");
    }

    @Test
    void aPlainH2UrlOpensAndMigrates() {
        try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("plain"))) {
            int workflows = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM workflow").mapTo(Integer.class).one());
            assertThat(workflows).isZero();
        }
    }
}

package org.jobmon.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.jobmon.api.JobmonException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobmonHomeTest {
    @TempDir
    Path dir;
    final Map<String, String> env = new HashMap<>();

    @Test
    void jobmonHomeWins() {
        env.put("JOBMON_HOME", dir.resolve("jh").toString());
        env.put("HOME", "/somewhere/else");
        JobmonHome home = JobmonHome.of(env::get, "/user/home");
        assertThat(home.dir()).isEqualTo(dir.resolve("jh"));
        assertThat(home.runs()).isEqualTo(dir.resolve("jh").resolve("runs"));
        assertThat(home.configFile()).isEqualTo(dir.resolve("jh").resolve("config.properties"));
    }

    @Test
    void runFoldersMoveToJobmonRunRootForASharedFilesystem() {
        env.put("JOBMON_HOME", dir.resolve("jh").toString());
        JobmonHome home = JobmonHome.of(env::get, "/user/home");
        assertThat(home.runs(env::get)).isEqualTo(dir.resolve("jh").resolve("runs"));
        env.put(JobmonHome.RUN_ROOT_ENV, "/shared/scratch/runs");
        assertThat(home.runs(env::get)).isEqualTo(Path.of("/shared/scratch/runs"));
    }

    @Test
    void elseDotJobmonUnderHomeAsTheShellSeesIt() {
        env.put("HOME", "/home/alice");
        assertThat(JobmonHome.of(env::get, "/user/home").dir()).isEqualTo(Path.of("/home/alice/.jobmon"));
    }

    @Test
    void elseUnderTheJvmsUserHome() {
        assertThat(JobmonHome.of(env::get, "/user/home").dir()).isEqualTo(Path.of("/user/home/.jobmon"));
    }

    @Test
    void theEmbeddedDatabaseLivesInJobmonHome() {
        env.put("JOBMON_HOME", dir.toString());
        assertThat(DatabaseUrls.resolve(Optional.empty(), env::get, "/user/home"))
                .isEqualTo(DatabaseUrls.embedded(dir.resolve("jobmon")));
    }

    @Test
    void precedenceIsOptionThenEnvironmentThenConfigFileThenEmbedded() throws Exception {
        env.put("JOBMON_HOME", dir.toString());
        writeConfig("db.url=jdbc:mariadb://db-host:3306/jobmon?user=team&password=pw\n", "rw-------");
        env.put("JOBMON_DB_URL", "jdbc:mariadb://env-host/jobmon");
        assertThat(DatabaseUrls.resolve(Optional.of("jdbc:h2:mem:x"), env::get, "/h")).isEqualTo("jdbc:h2:mem:x");
        assertThat(DatabaseUrls.resolve(Optional.empty(), env::get, "/h")).isEqualTo("jdbc:mariadb://env-host/jobmon");
        env.remove("JOBMON_DB_URL");
        assertThat(DatabaseUrls.resolve(Optional.empty(), env::get, "/h"))
                .isEqualTo("jdbc:mariadb://db-host:3306/jobmon?user=team&password=pw");
        writeConfig("# nothing set\n", "rw-------");
        assertThat(DatabaseUrls.resolve(Optional.empty(), env::get, "/h")).isEqualTo(DatabaseUrls.embedded(dir.resolve("jobmon")));
    }

    @Test
    void aConfigFileOthersCanReadIsRefusedWithTheFix() throws Exception {
        env.put("JOBMON_HOME", dir.toString());
        Path file = writeConfig("db.url=jdbc:mariadb://db-host/jobmon?user=team&password=pw\n", "rw-r--r--");
        assertThatThrownBy(() -> DatabaseUrls.resolve(Optional.empty(), env::get, "/h"))
                .isInstanceOf(JobmonException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("chmod 600 " + file)
                .hasMessageNotContaining("pw");
        // an explicit URL does not need the file
        assertThat(DatabaseUrls.resolve(Optional.of("jdbc:h2:mem:x"), env::get, "/h")).isEqualTo("jdbc:h2:mem:x");
    }

    @Test
    void anUnknownKeyIsRefusedNamingTheKnownOne() throws Exception {
        env.put("JOBMON_HOME", dir.toString());
        writeConfig("db_url=jdbc:mariadb://db-host/jobmon\n", "rw-------");
        assertThatThrownBy(() -> DatabaseUrls.resolve(Optional.empty(), env::get, "/h"))
                .isInstanceOf(JobmonException.class).hasMessageContaining("db_url").hasMessageContaining("db.url");
    }

    private Path writeConfig(String text, String permissions) throws Exception {
        Path file = dir.resolve("config.properties");
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}

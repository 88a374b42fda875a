package org.jobmon.persistence;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which database to use: an explicit URL (the CLI's {@code --db}), else {@code JOBMON_DB_URL}, else
 * the config file in {@link JobmonHome}, else the embedded H2 file database there, opened so a
 * second process can join.
 */
public final class DatabaseUrls {
    public static final String ENV = "JOBMON_DB_URL";
    /** Settings every process must open the embedded database with. */
    public static final String H2_SETTINGS = ";MODE=MariaDB;NON_KEYWORDS=USER;AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE";

    private DatabaseUrls() {
    }

    /**
     * The database to use: {@code explicit} (the CLI's --db), else $JOBMON_DB_URL, else the
     * config file's {@code db.url}, else the embedded database in {@link JobmonHome}.
     */
    public static String resolve(Optional<String> explicit) {
        return resolve(explicit, System::getenv, System.getProperty("user.home"));
    }

    /** The same, with {@code env} for the environment (null when a variable is unset). */
    static String resolve(Optional<String> explicit, Function<String, String> env, String userHome) {
        Optional<String> chosen = explicit.filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(env.apply(ENV)).filter(s -> !s.isBlank()));
        if (chosen.isPresent()) {
            return chosen.get();
        }
        JobmonHome home = JobmonHome.of(env, userHome);
        return home.configuredDatabaseUrl().orElseGet(() -> embedded(home.embeddedDatabase()));
    }

    /** The embedded database in {@link JobmonHome}. */
    public static String embeddedDefault() {
        return embedded(JobmonHome.fromEnvironment().embeddedDatabase());
    }

    /** An embedded H2 file database at {@code file} (H2 adds ".mv.db"). */
    public static String embedded(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath() + H2_SETTINGS;
    }

    /**
     * The file behind an H2 URL, without H2's ".mv.db" (as the URL names it, with "~" meaning the
     * user's home as H2 reads it); empty for in-memory and remote H2 databases.
     */
    static Optional<Path> h2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return Optional.empty();
        }
        String rest = url.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        String name = semicolon < 0 ? rest : rest.substring(0, semicolon);
        if (name.startsWith("file:")) {
            name = name.substring("file:".length());
        } else if (name.matches("^[a-zA-Z0-9]+:.*") && !name.matches("^[a-zA-Z]:[\\\\/].*")) {
            return Optional.empty(); // mem:, tcp:, ssl:, zip:, ...
        }
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.equals("~") || name.startsWith("~/")) {
            name = System.getProperty("user.home") + name.substring(1);
        }
        return Optional.of(Path.of(name).toAbsolutePath());
    }

    /** The URL without credentials, for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***").replaceAll("//[^/@]*@", "//***@");
    }
}

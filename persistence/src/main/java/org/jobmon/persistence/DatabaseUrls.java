package org.jobmon.persistence;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import org.jobmon.api.JobmonException;
import org.jobmon.api.JobmonException.ErrorCode;

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

    /**
     * The URL as Jobmon opens it: an H2 URL gets the settings Jobmon's schema needs
     * ({@code MODE=MariaDB}, {@code USER} among {@code NON_KEYWORDS}) and, for a file database, the
     * ones that let several processes share it ({@code AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE}) unless
     * it says otherwise; an in-memory one is kept until the JVM exits ({@code DB_CLOSE_DELAY=-1}).
     * Other URLs are returned as they are.
     *
     * @throws JobmonException INVALID_ARGUMENT for an H2 URL whose settings conflict with Jobmon's,
     *     naming the URL to use instead
     */
    public static String normalize(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length())) {
            return url;
        }
        String[] parts = url.split(";", -1);
        java.util.LinkedHashMap<String, String> settings = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> spelled = new java.util.HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                continue;
            }
            int eq = parts[i].indexOf('=');
            String key = (eq < 0 ? parts[i] : parts[i].substring(0, eq)).trim();
            String upper = key.toUpperCase(java.util.Locale.ROOT);
            settings.put(upper, eq < 0 ? "" : parts[i].substring(eq + 1).trim());
            spelled.put(upper, key);
        }
        String name = parts[0].substring("jdbc:h2:".length());
        boolean memory = name.regionMatches(true, 0, "mem:", 0, 4);
        boolean remote = name.regionMatches(true, 0, "tcp:", 0, 4) || name.regionMatches(true, 0, "ssl:", 0, 4);
        java.util.LinkedHashMap<String, String> wanted = new java.util.LinkedHashMap<>(settings);
        String mode = settings.get("MODE");
        wanted.put("MODE", "MariaDB");
        String nonKeywords = settings.get("NON_KEYWORDS");
        if (nonKeywords == null || nonKeywords.isBlank()) {
            wanted.put("NON_KEYWORDS", "USER");
        } else if (java.util.Arrays.stream(nonKeywords.split(",")).noneMatch(k -> k.trim().equalsIgnoreCase("USER"))) {
            wanted.put("NON_KEYWORDS", nonKeywords + ",USER");
        }
        if (memory) {
            wanted.putIfAbsent("DB_CLOSE_DELAY", "-1");
        } else if (!remote && !settings.containsKey("AUTO_SERVER")) {
            wanted.put("AUTO_SERVER", "TRUE");
            wanted.putIfAbsent("AUTO_RECONNECT", "TRUE");
        }
        StringBuilder b = new StringBuilder(parts[0]);
        wanted.forEach((k, v) -> b.append(';').append(spelled.getOrDefault(k, k)).append('=').append(v));
        String fixed = b.toString();
        if (mode != null && !mode.equalsIgnoreCase("MariaDB")) {
            throw new JobmonException(ErrorCode.INVALID_ARGUMENT, "the H2 URL " + redact(url) + " sets MODE=" + mode
                    + ", but Jobmon's schema needs MODE=MariaDB: use " + redact(fixed));
        }
        return fixed;
    }

    /** The URL without credentials, for messages and logs. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***").replaceAll("//[^/@]*@", "//***@");
    }
}

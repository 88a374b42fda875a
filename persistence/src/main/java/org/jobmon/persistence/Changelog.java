package org.jobmon.persistence;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;

/**
 * Jobmon's changelog as Liquibase itself reads it: every changeset's id, author and file, so the
 * check that skips Liquibase agrees with Liquibase about what "applied" means. Parsed once per JVM.
 */
final class Changelog {
    static final String MASTER = "db/changelog/db.changelog-master.yaml";

    /** A changeset as DATABASECHANGELOG records it: Liquibase matches a row on all three. */
    record ChangesetId(String id, String author, String file) {
        ChangesetId {
            file = normalize(file);
        }
    }

    /** Parsed once per JVM; started early by {@link #prefetch()} so parsing overlaps opening the database. */
    private static volatile CompletableFuture<List<ChangesetId>> changesets;

    private Changelog() {
    }

    /** Starts parsing in the background, if no one has yet. */
    static void prefetch() {
        if (changesets == null) {
            synchronized (Changelog.class) {
                if (changesets == null) {
                    changesets = CompletableFuture.supplyAsync(Changelog::parse);
                }
            }
        }
    }

    static List<ChangesetId> changesets() {
        prefetch();
        try {
            return changesets.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private static volatile String fingerprint;

    /**
     * SHA-256 over the bytes of the master changelog and of every file it includes. Any new or
     * changed changeset changes it (a new one must be included by the master). Cheap: no Liquibase.
     */
    static String fingerprint() {
        String f = fingerprint;
        if (f == null) {
            f = computeFingerprint();
            fingerprint = f;
        }
        return f;
    }

    private static String computeFingerprint() {
        ClassLoader loader = Changelog.class.getClassLoader();
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            byte[] master = read(loader, MASTER);
            sha.update(master);
            java.util.regex.Matcher include = java.util.regex.Pattern.compile("file:\\s*([^,}\\s]+)")
                    .matcher(new String(master, java.nio.charset.StandardCharsets.UTF_8));
            while (include.find()) {
                String name = include.group(1);
                sha.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                sha.update(read(loader, "db/changelog/" + name));
            }
            return java.util.HexFormat.of().formatHex(sha.digest());
        } catch (java.security.NoSuchAlgorithmException | java.io.IOException e) {
            throw new IllegalStateException("cannot read Jobmon's own changelog " + MASTER + ": " + e.getMessage(), e);
        }
    }

    private static byte[] read(ClassLoader loader, String name) throws java.io.IOException {
        try (var in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new java.io.FileNotFoundException(name + " is not on the classpath");
            }
            return in.readAllBytes();
        }
    }

    /** Liquibase's scope settings for every use of it here. */
    static Map<String, Object> scope() {
        return Map.of(Scope.Attr.ui.name(), new liquibase.ui.LoggerUIService(),
                "liquibase.command.showSummary", "OFF", "liquibase.command.showSummaryOutput", "LOG",
                // the same jar twice on a classpath must not stop a workflow from starting
                "liquibase.duplicateFileMode", "WARN");
    }

    static ResourceAccessor resources() {
        return new ClassLoaderResourceAccessor(Changelog.class.getClassLoader());
    }

    private static List<ChangesetId> parse() {
        try {
            return Scope.child(scope(), () -> {
                ResourceAccessor resources = resources();
                DatabaseChangeLog log = ChangeLogParserFactory.getInstance().getParser(MASTER, resources)
                        .parse(MASTER, new ChangeLogParameters(), resources);
                return log.getChangeSets().stream().map(Changelog::idOf).toList();
            });
        } catch (Exception e) {
            throw new IllegalStateException("cannot read Jobmon's own changelog " + MASTER + ": " + e.getMessage(), e);
        }
    }

    private static ChangesetId idOf(ChangeSet cs) {
        return new ChangesetId(cs.getId(), cs.getAuthor(), cs.getFilePath());
    }

    /** Liquibase may record a classpath file with or without a "classpath:" prefix or a leading slash. */
    static String normalize(String file) {
        String f = file == null ? "" : file.replace('\\', '/');
        if (f.startsWith("classpath:")) {
            f = f.substring("classpath:".length());
        }
        while (f.startsWith("/")) {
            f = f.substring(1);
        }
        return f;
    }
}

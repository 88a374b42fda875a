package org.jobmon.persistence.dao;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/** Tools, their versions, task templates, template versions and args. */
public final class ToolDao {
    /** arg_type ids as seeded. */
    public static final long NODE_ARG = 1;
    public static final long TASK_ARG = 2;
    public static final long OP_ARG = 3;

    public long findOrCreateTool(Handle h, String name) {
        return Keys.findOrCreate(h,
                () -> h.createQuery("SELECT id FROM tool WHERE name = :name").bind("name", name).mapTo(Long.class).findOne(),
                () -> Keys.insert(h.createUpdate("INSERT INTO tool (name) VALUES (:name)").bind("name", name)));
    }

    /** Locks the tool's row until the transaction ends (so its versions are created one at a time). */
    public void lockTool(Handle h, long toolId) {
        h.createQuery("SELECT id FROM tool WHERE id = :t FOR UPDATE").bind("t", toolId).mapTo(Long.class).one();
    }

    public Optional<Long> latestToolVersion(Handle h, long toolId) {
        return h.createQuery("SELECT max(id) FROM tool_version WHERE tool_id = :t").bind("t", toolId)
                .mapTo(Long.class).findOne();
    }

    public long createToolVersion(Handle h, long toolId) {
        return Keys.insert(h.createUpdate("INSERT INTO tool_version (tool_id) VALUES (:t)").bind("t", toolId));
    }

    public boolean toolVersionExists(Handle h, long toolVersionId) {
        return h.createQuery("SELECT count(*) FROM tool_version WHERE id = :id").bind("id", toolVersionId)
                .mapTo(Integer.class).one() > 0;
    }

    public long findOrCreateTemplate(Handle h, long toolVersionId, String name) {
        return Keys.findOrCreate(h,
                () -> h.createQuery("SELECT id FROM task_template WHERE tool_version_id = :tv AND name = :name")
                        .bind("tv", toolVersionId).bind("name", name).mapTo(Long.class).findOne(),
                () -> Keys.insert(h.createUpdate("INSERT INTO task_template (tool_version_id, name) VALUES (:tv, :name)")
                        .bind("tv", toolVersionId).bind("name", name)));
    }

    /**
     * The template version with this definition hash, created with its arg mapping when new.
     *
     * @param argTypes arg name to arg_type id
     */
    public long findOrCreateTemplateVersion(Handle h, long templateId, String commandTemplate, String hash,
            Map<String, Long> argTypes) {
        Optional<Long> found = h.createQuery(
                "SELECT id FROM task_template_version WHERE task_template_id = :t AND arg_mapping_hash = :hash")
                .bind("t", templateId).bind("hash", hash).mapTo(Long.class).findOne();
        if (found.isPresent()) {
            return found.get();
        }
        Map<String, Long> argIds = argIds(h, argTypes.keySet());
        return h.inTransaction(tx -> {
            long id;
            try {
                id = Keys.insert(tx.createUpdate("INSERT INTO task_template_version (task_template_id, command_template, "
                        + "arg_mapping_hash) VALUES (:t, :c, :hash)").bind("t", templateId).bind("c", commandTemplate).bind("hash", hash));
            } catch (RuntimeException e) {
                if (Keys.isUniqueViolation(e)) {
                    return tx.createQuery("SELECT id FROM task_template_version WHERE task_template_id = :t AND arg_mapping_hash = :hash")
                            .bind("t", templateId).bind("hash", hash).mapTo(Long.class).one();
                }
                throw e;
            }
            var batch = tx.prepareBatch("INSERT INTO command_template_arg_type_mapping (task_template_version_id, arg_id, arg_type_id) "
                    + "VALUES (:v, :a, :t)");
            for (Map.Entry<String, Long> e : argTypes.entrySet()) {
                batch.bind("v", id).bind("a", argIds.get(e.getKey())).bind("t", e.getValue()).add();
            }
            if (!argTypes.isEmpty()) {
                batch.execute();
            }
            return id;
        });
    }

    /** Ids of these arg names, creating the missing ones. */
    public Map<String, Long> argIds(Handle h, Collection<String> names) {
        Map<String, Long> ids = new HashMap<>();
        if (names.isEmpty()) {
            return ids;
        }
        List<String> list = List.copyOf(names);
        h.createQuery("SELECT id, name FROM arg WHERE name IN (<names>)").bindList("names", list)
                .map((rs, ctx) -> Map.entry(rs.getString(2), rs.getLong(1))).forEach(e -> ids.put(e.getKey(), e.getValue()));
        for (String n : list) {
            if (!ids.containsKey(n)) {
                ids.put(n, Keys.findOrCreate(h,
                        () -> h.createQuery("SELECT id FROM arg WHERE name = :n").bind("n", n).mapTo(Long.class).findOne(),
                        () -> Keys.insert(h.createUpdate("INSERT INTO arg (name) VALUES (:n)").bind("n", n))));
            }
        }
        return ids;
    }

    /** Ids of attribute type names in {@code table} (task_attribute_type or workflow_attribute_type). */
    public Map<String, Long> attributeTypeIds(Handle h, String table, Collection<String> names) {
        if (!table.equals("task_attribute_type") && !table.equals("workflow_attribute_type")) {
            throw new IllegalArgumentException(table);
        }
        Map<String, Long> ids = new HashMap<>();
        for (String n : names) {
            ids.put(n, Keys.findOrCreate(h,
                    () -> h.createQuery("SELECT id FROM " + table + " WHERE name = :n").bind("n", n).mapTo(Long.class).findOne(),
                    () -> Keys.insert(h.createUpdate("INSERT INTO " + table + " (name) VALUES (:n)").bind("n", n))));
        }
        return ids;
    }
}

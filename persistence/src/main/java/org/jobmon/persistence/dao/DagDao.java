package org.jobmon.persistence.dao;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/** Nodes, their args, DAGs and edges. */
public final class DagDao {
    static final int CHUNK = 500;

    /** A node to insert, with its pre-allocated id. */
    public record NewNode(long id, long taskTemplateVersionId, String nodeArgsHash, Map<Long, String> args) {
    }

    /** Existing node ids by node args hash, for one template version. */
    public Map<String, Long> findNodes(Handle h, long taskTemplateVersionId, List<String> hashes) {
        Map<String, Long> found = new HashMap<>();
        // Hex digests written into the SQL: H2 scans the table for a long IN list of bound parameters
        // but uses the index for literals (100,000 nodes: minutes against a second). Plain JDBC: each of
        // these statements is new text, which JDBI would parse for named parameters first.
        try (java.sql.Statement st = h.getConnection().createStatement()) {
            for (int i = 0; i < hashes.size(); i += CHUNK) {
                List<String> chunk = hashes.subList(i, Math.min(hashes.size(), i + CHUNK));
                StringBuilder sql = new StringBuilder(100 + chunk.size() * 67).append("SELECT id, node_args_hash FROM node WHERE ")
                        .append("task_template_version_id = ").append(taskTemplateVersionId).append(" AND node_args_hash IN (");
                for (int k = 0; k < chunk.size(); k++) {
                    sql.append(k == 0 ? "" : ",").append(hexLiteral(chunk.get(k)));
                }
                try (java.sql.ResultSet rs = st.executeQuery(sql.append(')').toString())) {
                    while (rs.next()) {
                        found.put(rs.getString(2), rs.getLong(1));
                    }
                }
            }
        } catch (java.sql.SQLException e) {
            throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException("looking up nodes: " + e.getMessage(), e, null);
        }
        return found;
    }

    /** Whether any node of this template version exists (none for a version bound for the first time). */
    public boolean hasNodes(Handle h, long taskTemplateVersionId) {
        return h.createQuery("SELECT 1 FROM node WHERE task_template_version_id = :v LIMIT 1").bind("v", taskTemplateVersionId)
                .mapTo(Integer.class).findOne().isPresent();
    }

    private static String hexLiteral(String hash) {
        if (!hash.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + hash);
        }
        return "'" + hash + "'";
    }

    public void insertNodes(Handle h, List<NewNode> nodes) {
        if (nodes.isEmpty()) {
            return;
        }
        Batches.Rows nb = new Batches.Rows(h, "INSERT INTO node (id, task_template_version_id, node_args_hash) VALUES (?, ?, ?)");
        Batches.Rows ab = new Batches.Rows(h, "INSERT INTO node_arg (node_id, arg_id, val) VALUES (?, ?, ?)");
        // every node before any of its args: a chunk of args must not run ahead of its nodes
        for (NewNode n : nodes) {
            nb.add(n.id(), n.taskTemplateVersionId(), n.nodeArgsHash());
        }
        nb.finish();
        for (NewNode n : nodes) {
            for (Map.Entry<Long, String> a : n.args().entrySet()) {
                ab.add(n.id(), a.getKey(), a.getValue());
            }
        }
        ab.finish();
    }

    public Optional<Long> findDag(Handle h, String hash) {
        return h.createQuery("SELECT id FROM dag WHERE hash = :h").bind("h", hash).mapTo(Long.class).findOne();
    }

    /**
     * Inserts a DAG with its edges ({upstream node id, downstream node id}) and the pairs of template
     * versions those edges join ({upstream version id, downstream version id}, each pair once);
     * returns its id.
     */
    public long insertDag(Handle h, String hash, List<long[]> edges, Collection<long[]> templateEdges) {
        long id = Keys.insert(h.createUpdate("INSERT INTO dag (hash) VALUES (:h)").bind("h", hash));
        if (!edges.isEmpty()) {
            Batches.Rows b = new Batches.Rows(h, "INSERT INTO edge (dag_id, upstream_node_id, downstream_node_id) VALUES (?, ?, ?)");
            for (long[] e : edges) {
                b.add(id, e[0], e[1]);
            }
            b.finish();
        }
        if (!templateEdges.isEmpty()) {
            Batches.Rows b = new Batches.Rows(h, "INSERT INTO dag_template_edge (dag_id, upstream_version_id, downstream_version_id) "
                    + "VALUES (?, ?, ?)");
            for (long[] e : templateEdges) {
                b.add(id, e[0], e[1]);
            }
            b.finish();
        }
        return id;
    }

    public List<long[]> edges(Handle h, long dagId) {
        return new ArrayList<>(h.createQuery("SELECT upstream_node_id, downstream_node_id FROM edge WHERE dag_id = :d")
                .bind("d", dagId).map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).list());
    }
}

--liquibase formatted sql

-- The views of a workflow (jobmon gui, jobmon report) count its tasks by template and status. Joined
-- through node, that is one node lookup per task: about a second for 100,000 tasks, more cold. A
-- task's template version is its node's, which never changes, so the task row keeps a copy, and the
-- index the status counts read (0009) holds it too: the count by template is then an index-only scan
-- as well, and a task's status change still updates one index.
--
-- The column may be NULL: tasks written by an earlier Jobmon sharing the database have none, and
-- the views count those through their node. One statement per changeset, so an upgrade stopped
-- part-way goes on where it stopped. No foreign key: node's is the one that checks the value, and
-- MariaDB would add an index of its own for another.

--changeset jobmon:0015-task-template-version
ALTER TABLE task ADD COLUMN task_template_version_id BIGINT;

--changeset jobmon:0015-task-template-version-fill
-- once, for the tasks already there: about 30 s per million tasks on MariaDB
UPDATE task SET task_template_version_id = (SELECT n.task_template_version_id FROM node n WHERE n.id = task.node_id)
WHERE task_template_version_id IS NULL;

--changeset jobmon:0015-task-status-index-template
CREATE INDEX ix_task_workflow_status_attempts_template ON task (workflow_id, status, num_attempts, task_template_version_id);

--changeset jobmon:0015-drop-task-status-index
DROP INDEX ix_task_workflow_status_attempts ON task;

--changeset jobmon:0015-dag-template-edge
-- Which template versions' nodes a DAG's edges join, each pair once: the views draw the DAG at the
-- level of templates, and reading it from the edges is one DISTINCT over every edge. Written with
-- the DAG, which never changes. A DAG an earlier Jobmon wrote has none; the views then read its edges.
CREATE TABLE dag_template_edge (
  dag_id BIGINT NOT NULL,
  upstream_version_id BIGINT NOT NULL,
  downstream_version_id BIGINT NOT NULL,
  CONSTRAINT pk_dag_template_edge PRIMARY KEY (dag_id, upstream_version_id, downstream_version_id),
  CONSTRAINT fk_dag_template_edge_dag FOREIGN KEY (dag_id) REFERENCES dag (id)
);

--changeset jobmon:0015-dag-template-edge-fill
INSERT INTO dag_template_edge (dag_id, upstream_version_id, downstream_version_id)
SELECT DISTINCT e.dag_id, u.task_template_version_id, d.task_template_version_id FROM edge e
JOIN node u ON u.id = e.upstream_node_id JOIN node d ON d.id = e.downstream_node_id;

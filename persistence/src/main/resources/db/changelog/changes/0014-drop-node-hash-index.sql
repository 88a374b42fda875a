--liquibase formatted sql

--changeset jobmon:0014-drop-node-hash-index
-- No query looks nodes up by their args hash alone: a bind looks them up by template version and
-- hash, which the unique key (task_template_version_id, node_args_hash) serves. The index on the
-- hash alone was one more index of random keys for every node written, and random keys are what
-- make the embedded database rewrite its pages over and over while a large workflow binds.
DROP INDEX ix_node_hash ON node;

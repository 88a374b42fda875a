--liquibase formatted sql

--changeset jobmon:0008-id-sequence
-- Blocks of ids for the rows the engine writes in bulk and must know the ids of before it acts
-- (a batch insert then needs no generated keys). Gaps are normal.
CREATE TABLE id_sequence (
  name VARCHAR(64) NOT NULL,
  next_id BIGINT NOT NULL,
  CONSTRAINT pk_id_sequence PRIMARY KEY (name)
);
INSERT INTO id_sequence (name, next_id) VALUES
  ('node', 1), ('task', 1), ('task_instance', 1), ('executor_parameter_set', 1);

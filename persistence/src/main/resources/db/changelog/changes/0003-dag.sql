--liquibase formatted sql

--changeset jobmon:0003-dag
CREATE TABLE node (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_template_version_id BIGINT NOT NULL,
  node_args_hash CHAR(64) NOT NULL,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_node PRIMARY KEY (id),
  CONSTRAINT uq_node_version_hash UNIQUE (task_template_version_id, node_args_hash),
  CONSTRAINT fk_node_task_template_version FOREIGN KEY (task_template_version_id) REFERENCES task_template_version (id)
);
CREATE INDEX ix_node_hash ON node (node_args_hash);

CREATE TABLE node_arg (
  id BIGINT NOT NULL AUTO_INCREMENT,
  node_id BIGINT NOT NULL,
  arg_id BIGINT NOT NULL,
  val TEXT NOT NULL,
  CONSTRAINT pk_node_arg PRIMARY KEY (id),
  CONSTRAINT fk_node_arg_node FOREIGN KEY (node_id) REFERENCES node (id),
  CONSTRAINT fk_node_arg_arg FOREIGN KEY (arg_id) REFERENCES arg (id)
);
CREATE INDEX ix_node_arg_node ON node_arg (node_id);

CREATE TABLE dag (
  id BIGINT NOT NULL AUTO_INCREMENT,
  hash CHAR(64) NOT NULL,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_dag PRIMARY KEY (id),
  CONSTRAINT uq_dag_hash UNIQUE (hash)
);

-- One row per dependency: downstream_node_id waits for upstream_node_id.
CREATE TABLE edge (
  id BIGINT NOT NULL AUTO_INCREMENT,
  dag_id BIGINT NOT NULL,
  upstream_node_id BIGINT NOT NULL,
  downstream_node_id BIGINT NOT NULL,
  CONSTRAINT pk_edge PRIMARY KEY (id),
  CONSTRAINT fk_edge_dag FOREIGN KEY (dag_id) REFERENCES dag (id),
  CONSTRAINT fk_edge_upstream FOREIGN KEY (upstream_node_id) REFERENCES node (id),
  CONSTRAINT fk_edge_downstream FOREIGN KEY (downstream_node_id) REFERENCES node (id)
);
CREATE INDEX ix_edge_dag ON edge (dag_id);

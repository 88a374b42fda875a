--liquibase formatted sql

--changeset jobmon:0004-workflow
CREATE TABLE workflow (
  id BIGINT NOT NULL AUTO_INCREMENT,
  tool_version_id BIGINT NOT NULL,
  dag_id BIGINT NOT NULL,
  workflow_args_hash CHAR(64) NOT NULL,
  task_hash CHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  description TEXT,
  workflow_args TEXT NOT NULL,
  max_concurrently_running INT NOT NULL,
  status CHAR(1) NOT NULL,
  status_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_workflow PRIMARY KEY (id),
  CONSTRAINT uq_workflow_args UNIQUE (tool_version_id, workflow_args_hash),
  CONSTRAINT fk_workflow_tool_version FOREIGN KEY (tool_version_id) REFERENCES tool_version (id),
  CONSTRAINT fk_workflow_dag FOREIGN KEY (dag_id) REFERENCES dag (id),
  CONSTRAINT fk_workflow_status FOREIGN KEY (status) REFERENCES workflow_status (id)
);
CREATE INDEX ix_workflow_name ON workflow (name);
CREATE INDEX ix_workflow_created ON workflow (created_date);

CREATE TABLE workflow_attribute_type (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(255) NOT NULL,
  CONSTRAINT pk_workflow_attribute_type PRIMARY KEY (id),
  CONSTRAINT uq_workflow_attribute_type_name UNIQUE (name)
);

CREATE TABLE workflow_attribute (
  id BIGINT NOT NULL AUTO_INCREMENT,
  workflow_id BIGINT NOT NULL,
  workflow_attribute_type_id BIGINT NOT NULL,
  val TEXT,
  CONSTRAINT pk_workflow_attribute PRIMARY KEY (id),
  CONSTRAINT uq_workflow_attribute UNIQUE (workflow_id, workflow_attribute_type_id),
  CONSTRAINT fk_workflow_attribute_workflow FOREIGN KEY (workflow_id) REFERENCES workflow (id),
  CONSTRAINT fk_workflow_attribute_type FOREIGN KEY (workflow_attribute_type_id) REFERENCES workflow_attribute_type (id)
);

CREATE TABLE workflow_run (
  id BIGINT NOT NULL AUTO_INCREMENT,
  workflow_id BIGINT NOT NULL,
  user VARCHAR(255) NOT NULL,
  hostname VARCHAR(255) NOT NULL,
  pid BIGINT NOT NULL,
  jobmon_version VARCHAR(64) NOT NULL,
  status CHAR(1) NOT NULL,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  status_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  heartbeat_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_workflow_run PRIMARY KEY (id),
  CONSTRAINT fk_workflow_run_workflow FOREIGN KEY (workflow_id) REFERENCES workflow (id),
  CONSTRAINT fk_workflow_run_status FOREIGN KEY (status) REFERENCES workflow_run_status (id)
);
CREATE INDEX ix_workflow_run_workflow ON workflow_run (workflow_id);
CREATE INDEX ix_workflow_run_user ON workflow_run (user);

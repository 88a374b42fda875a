--liquibase formatted sql

--changeset jobmon:0005-task
CREATE TABLE task (
  id BIGINT NOT NULL AUTO_INCREMENT,
  workflow_id BIGINT NOT NULL,
  node_id BIGINT NOT NULL,
  task_args_hash CHAR(64) NOT NULL,
  name VARCHAR(255) NOT NULL,
  command TEXT NOT NULL,
  executor_parameter_set_id BIGINT,
  num_attempts INT NOT NULL DEFAULT 0,
  max_attempts INT NOT NULL,
  status CHAR(1) NOT NULL,
  submitted_date DATETIME(6),
  status_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_task PRIMARY KEY (id),
  CONSTRAINT uq_task_workflow_node UNIQUE (workflow_id, node_id),
  CONSTRAINT fk_task_workflow FOREIGN KEY (workflow_id) REFERENCES workflow (id),
  CONSTRAINT fk_task_node FOREIGN KEY (node_id) REFERENCES node (id),
  CONSTRAINT fk_task_status FOREIGN KEY (status) REFERENCES task_status (id)
);
CREATE INDEX ix_task_workflow_status ON task (workflow_id, status);

CREATE TABLE task_arg (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_id BIGINT NOT NULL,
  arg_id BIGINT NOT NULL,
  val TEXT NOT NULL,
  CONSTRAINT pk_task_arg PRIMARY KEY (id),
  CONSTRAINT fk_task_arg_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT fk_task_arg_arg FOREIGN KEY (arg_id) REFERENCES arg (id)
);
CREATE INDEX ix_task_arg_task ON task_arg (task_id);

CREATE TABLE task_attribute_type (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(255) NOT NULL,
  CONSTRAINT pk_task_attribute_type PRIMARY KEY (id),
  CONSTRAINT uq_task_attribute_type_name UNIQUE (name)
);

CREATE TABLE task_attribute (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_id BIGINT NOT NULL,
  task_attribute_type_id BIGINT NOT NULL,
  val TEXT,
  CONSTRAINT pk_task_attribute PRIMARY KEY (id),
  CONSTRAINT fk_task_attribute_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT fk_task_attribute_type FOREIGN KEY (task_attribute_type_id) REFERENCES task_attribute_type (id)
);
CREATE INDEX ix_task_attribute_task ON task_attribute (task_id);

-- Resources of a task: ORIGINAL (requested), VALIDATED (fitted to the queue), ADJUSTED (scaled
-- after a resource error). Rows are never updated; task.executor_parameter_set_id names the one in use.
CREATE TABLE executor_parameter_set (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_id BIGINT NOT NULL,
  parameter_set_type CHAR(1) NOT NULL,
  executor_class VARCHAR(64) NOT NULL,
  queue VARCHAR(255),
  num_cores INT NOT NULL,
  m_mem_free_mib BIGINT NOT NULL,
  max_runtime_seconds BIGINT NOT NULL,
  context_args TEXT,
  resource_scales TEXT,
  hard_limits BOOLEAN NOT NULL DEFAULT FALSE,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_executor_parameter_set PRIMARY KEY (id),
  CONSTRAINT fk_eps_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT fk_eps_type FOREIGN KEY (parameter_set_type) REFERENCES executor_parameter_set_type (id)
);
CREATE INDEX ix_eps_task ON executor_parameter_set (task_id);

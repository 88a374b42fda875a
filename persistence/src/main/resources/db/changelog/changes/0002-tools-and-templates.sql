--liquibase formatted sql

--changeset jobmon:0002-tools-and-templates
CREATE TABLE tool (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(255) NOT NULL,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_tool PRIMARY KEY (id),
  CONSTRAINT uq_tool_name UNIQUE (name)
);

CREATE TABLE tool_version (
  id BIGINT NOT NULL AUTO_INCREMENT,
  tool_id BIGINT NOT NULL,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_tool_version PRIMARY KEY (id),
  CONSTRAINT fk_tool_version_tool FOREIGN KEY (tool_id) REFERENCES tool (id)
);

CREATE TABLE task_template (
  id BIGINT NOT NULL AUTO_INCREMENT,
  tool_version_id BIGINT NOT NULL,
  name VARCHAR(255) NOT NULL,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_task_template PRIMARY KEY (id),
  CONSTRAINT uq_task_template_name UNIQUE (tool_version_id, name),
  CONSTRAINT fk_task_template_tool_version FOREIGN KEY (tool_version_id) REFERENCES tool_version (id)
);

CREATE TABLE task_template_version (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_template_id BIGINT NOT NULL,
  command_template TEXT NOT NULL,
  arg_mapping_hash CHAR(64) NOT NULL,
  created_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_task_template_version PRIMARY KEY (id),
  CONSTRAINT uq_task_template_version_hash UNIQUE (task_template_id, arg_mapping_hash),
  CONSTRAINT fk_task_template_version_template FOREIGN KEY (task_template_id) REFERENCES task_template (id)
);

CREATE TABLE arg (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(255) NOT NULL,
  CONSTRAINT pk_arg PRIMARY KEY (id),
  CONSTRAINT uq_arg_name UNIQUE (name)
);

CREATE TABLE command_template_arg_type_mapping (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_template_version_id BIGINT NOT NULL,
  arg_id BIGINT NOT NULL,
  arg_type_id BIGINT NOT NULL,
  CONSTRAINT pk_command_template_arg_type_mapping PRIMARY KEY (id),
  CONSTRAINT uq_ctatm_version_arg UNIQUE (task_template_version_id, arg_id),
  CONSTRAINT fk_ctatm_version FOREIGN KEY (task_template_version_id) REFERENCES task_template_version (id),
  CONSTRAINT fk_ctatm_arg FOREIGN KEY (arg_id) REFERENCES arg (id),
  CONSTRAINT fk_ctatm_arg_type FOREIGN KEY (arg_type_id) REFERENCES arg_type (id)
);

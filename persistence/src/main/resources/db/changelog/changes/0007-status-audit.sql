--liquibase formatted sql

--changeset jobmon:0007-status-audit
-- Every task and task instance transition, with its database time.
CREATE TABLE task_status_audit (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_id BIGINT NOT NULL,
  workflow_run_id BIGINT,
  previous_status CHAR(1),
  new_status CHAR(1) NOT NULL,
  status_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_task_status_audit PRIMARY KEY (id)
);
CREATE INDEX ix_task_status_audit_task ON task_status_audit (task_id);

CREATE TABLE task_instance_status_audit (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_instance_id BIGINT NOT NULL,
  previous_status CHAR(1),
  new_status CHAR(1) NOT NULL,
  status_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  CONSTRAINT pk_task_instance_status_audit PRIMARY KEY (id)
);
CREATE INDEX ix_tisa_task_instance ON task_instance_status_audit (task_instance_id);

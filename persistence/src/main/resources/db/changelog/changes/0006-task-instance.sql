--liquibase formatted sql

--changeset jobmon:0006-task-instance
CREATE TABLE task_instance (
  id BIGINT NOT NULL AUTO_INCREMENT,
  workflow_run_id BIGINT NOT NULL,
  task_id BIGINT NOT NULL,
  executor_type VARCHAR(64) NOT NULL,
  executor_id VARCHAR(255),
  executor_parameter_set_id BIGINT,
  status CHAR(1) NOT NULL,
  submitted_date DATETIME(6),
  start_date DATETIME(6),
  end_date DATETIME(6),
  status_date DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  report_by_date DATETIME(6),
  nodename VARCHAR(255),
  process_group_id BIGINT,
  exit_code INT,
  wallclock_s DOUBLE,
  maxrss_bytes BIGINT,
  stdout VARCHAR(1024),
  stderr VARCHAR(1024),
  CONSTRAINT pk_task_instance PRIMARY KEY (id),
  CONSTRAINT fk_task_instance_workflow_run FOREIGN KEY (workflow_run_id) REFERENCES workflow_run (id),
  CONSTRAINT fk_task_instance_task FOREIGN KEY (task_id) REFERENCES task (id),
  CONSTRAINT fk_task_instance_eps FOREIGN KEY (executor_parameter_set_id) REFERENCES executor_parameter_set (id),
  CONSTRAINT fk_task_instance_status FOREIGN KEY (status) REFERENCES task_instance_status (id)
);
CREATE INDEX ix_task_instance_task ON task_instance (task_id);
CREATE INDEX ix_task_instance_run_status ON task_instance (workflow_run_id, status);

CREATE TABLE task_instance_error_log (
  id BIGINT NOT NULL AUTO_INCREMENT,
  task_instance_id BIGINT NOT NULL,
  error_time DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  description TEXT NOT NULL,
  CONSTRAINT pk_task_instance_error_log PRIMARY KEY (id),
  CONSTRAINT fk_tiel_task_instance FOREIGN KEY (task_instance_id) REFERENCES task_instance (id)
);
CREATE INDEX ix_tiel_task_instance ON task_instance_error_log (task_instance_id);

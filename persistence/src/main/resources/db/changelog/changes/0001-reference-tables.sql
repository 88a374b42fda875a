--liquibase formatted sql

--changeset jobmon:0001-reference-tables
CREATE TABLE task_status (
  id CHAR(1) NOT NULL,
  label VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL,
  CONSTRAINT pk_task_status PRIMARY KEY (id)
);
INSERT INTO task_status (id, label, description) VALUES
  ('G', 'REGISTERED', 'Task has been bound to the database.'),
  ('Q', 'QUEUED_FOR_INSTANTIATION', 'Task''s dependencies have been met, task can be run when the scheduler is ready.'),
  ('I', 'INSTANTIATED', 'Task has had a Task Instance created that will be submitted to the Executor.'),
  ('R', 'RUNNING', 'Task is running on the specified Executor.'),
  ('D', 'DONE', 'Task ran to completion.'),
  ('E', 'ERROR_RECOVERABLE', 'Task has errored out but has more attempts so it will be retried.'),
  ('A', 'ADJUSTING_RESOURCES', 'Task has errored with a resource error, the resources will be adjusted before retrying.'),
  ('F', 'ERROR_FATAL', 'Task has errored out and has used all of the attempts. It cannot be retried.');

CREATE TABLE task_instance_status (
  id CHAR(1) NOT NULL,
  label VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL,
  CONSTRAINT pk_task_instance_status PRIMARY KEY (id)
);
INSERT INTO task_instance_status (id, label, description) VALUES
  ('I', 'INSTANTIATED', 'Task instance is created.'),
  ('B', 'SUBMITTED_TO_BATCH_EXECUTOR', 'Task instance submitted normally.'),
  ('R', 'RUNNING', 'Task instance starts running normally.'),
  ('D', 'DONE', 'Task instance finishes normally.'),
  ('E', 'ERROR', 'Task instance has hit an application error.'),
  ('U', 'UNKNOWN_ERROR', 'Task instance stops reporting that it''s alive and Jobmon can''t figure out why.'),
  ('W', 'NO_EXECUTOR_ID', 'Task instance submission has hit a bug and did not receive an executor_id.'),
  ('Z', 'RESOURCE_ERROR', 'Task instance died because of an insufficient resource request.'),
  ('K', 'KILL_SELF', 'Task instance has been ordered to kill itself if it is still alive.'),
  ('T', 'TRIAGING', 'Task instance stopped reporting that it is alive; the executor is asked why.'),
  ('X', 'NO_HEARTBEAT', 'Task instance was submitted but never reported that it started.'),
  ('F', 'ERROR_FATAL', 'Task instance was killed on order and will not report again.');

CREATE TABLE workflow_status (
  id CHAR(1) NOT NULL,
  label VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL,
  CONSTRAINT pk_workflow_status PRIMARY KEY (id)
);
INSERT INTO workflow_status (id, label, description) VALUES
  ('G', 'REGISTERED', 'Workflow created and validated.'),
  ('B', 'BOUND', 'Workflow bound to the database.'),
  ('A', 'ABORTED', 'Workflow encountered an error before a WorkflowRun was created.'),
  ('C', 'CREATED', 'Workflow created a WorkflowRun.'),
  ('D', 'DONE', 'Workflow finished successfully.'),
  ('F', 'FAILED', 'Workflow unsuccessful in one or more WorkflowRuns, none finished as Done.'),
  ('R', 'RUNNING', 'Workflow has a WorkflowRun that is running.'),
  ('S', 'SUSPENDED', 'Workflow paused if marked for resume, can be set to running again.');

CREATE TABLE workflow_run_status (
  id CHAR(1) NOT NULL,
  label VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL,
  CONSTRAINT pk_workflow_run_status PRIMARY KEY (id)
);
INSERT INTO workflow_run_status (id, label, description) VALUES
  ('G', 'REGISTERED', 'WorkflowRun has been validated.'),
  ('B', 'BOUND', 'WorkflowRun has been bound to the database.'),
  ('R', 'RUNNING', 'WorkflowRun is currently running.'),
  ('D', 'DONE', 'WorkflowRun has run to completion.'),
  ('A', 'ABORTED', 'WorkflowRun encountered problems while binding so it stopped.'),
  ('S', 'STOPPED', 'WorkflowRun has been stopped, probably due to keyboard interrupt from user.'),
  ('E', 'ERROR', 'WorkflowRun has not completed successfully, may have lost contact with services.'),
  ('C', 'COLD_RESUME', 'WorkflowRun was set to resume once all tasks were stopped.'),
  ('H', 'HOT_RESUME', 'WorkflowRun was set to resume while tasks are still running, they will continue running.'),
  ('T', 'TERMINATED', 'WorkflowRun was in resume, new WorkflowRun created to pick up remaining Tasks, so this one terminated.');

CREATE TABLE arg_type (
  id BIGINT NOT NULL,
  name VARCHAR(64) NOT NULL,
  CONSTRAINT pk_arg_type PRIMARY KEY (id)
);
INSERT INTO arg_type (id, name) VALUES (1, 'NODE_ARG'), (2, 'TASK_ARG'), (3, 'OP_ARG');

CREATE TABLE executor_parameter_set_type (
  id CHAR(1) NOT NULL,
  label VARCHAR(64) NOT NULL,
  description VARCHAR(255) NOT NULL,
  CONSTRAINT pk_executor_parameter_set_type PRIMARY KEY (id)
);
INSERT INTO executor_parameter_set_type (id, label, description) VALUES
  ('O', 'ORIGINAL', 'The parameters the user requested.'),
  ('V', 'VALIDATED', 'The parameters after checking them against the executor''s queue limits.'),
  ('A', 'ADJUSTED', 'The parameters after scaling them up following a resource error.');

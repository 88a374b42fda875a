--liquibase formatted sql

--changeset jobmon:0011-workflow-executor
-- The executor a workflow runs on and its workflow-level settings (stdout, stderr, project,
-- working_dir, extras as JSON), so that `jobmon workflow_resume` can run it without its controller.
ALTER TABLE workflow ADD executor_class VARCHAR(64);
ALTER TABLE workflow ADD executor_settings TEXT;

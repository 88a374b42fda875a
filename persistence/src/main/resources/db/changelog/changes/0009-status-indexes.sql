--liquibase formatted sql

--changeset jobmon:0009-status-indexes
-- jobmon workflow_status counts a workflow's tasks per status and sums their retries
-- (num_attempts - 1): with num_attempts in the index that is an index-only scan, and the planner
-- picks it over the foreign key's index on workflow_id. It serves every query the (workflow_id,
-- status) index served (the seed's "SELECT status, count(*) FROM task WHERE workflow_id=191 GROUP
-- BY status" among them), so it replaces that one: a task status change still updates one index.
CREATE INDEX ix_task_workflow_status_attempts ON task (workflow_id, status, num_attempts);
DROP INDEX ix_task_workflow_status ON task;

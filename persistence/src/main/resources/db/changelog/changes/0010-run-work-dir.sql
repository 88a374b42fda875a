--liquibase formatted sql

--changeset jobmon:0010-run-work-dir
-- Where a run keeps its instances' records (one folder per task_instance id), so that a later
-- process can read what instances wrote while no controller was watching.
ALTER TABLE workflow_run ADD work_dir VARCHAR(1024);

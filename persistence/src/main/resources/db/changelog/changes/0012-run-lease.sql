--liquibase formatted sql

--changeset jobmon:0012-run-lease
-- A run's lease on its workflow. The controller renews report_by_date (UTC, database time) in
-- every cycle's transaction; a run whose report_by_date has passed is dead, judged by the run's own
-- heartbeat interval whoever looks. lease_cycle numbers the cycles the controller committed, so a
-- cycle whose commit was acknowledged too late (a lost connection) is recognised, not written twice.
ALTER TABLE workflow_run ADD report_by_date DATETIME(6);
ALTER TABLE workflow_run ADD heartbeat_interval_ms BIGINT;
ALTER TABLE workflow_run ADD lease_cycle BIGINT NOT NULL DEFAULT 0;
-- Runs recorded before leases existed: judged by their last heartbeat and the default expiry (93 s).
UPDATE workflow_run SET report_by_date = TIMESTAMPADD(SECOND, 93, heartbeat_date);
CREATE INDEX ix_workflow_run_status ON workflow_run (status, report_by_date);

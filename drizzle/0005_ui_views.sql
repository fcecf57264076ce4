CREATE TABLE `sync_run_instances` (
	`sync_id` text NOT NULL,
	`instance_id` text NOT NULL,
	`instance_name` text NOT NULL,
	PRIMARY KEY(`sync_id`, `instance_id`),
	FOREIGN KEY (`sync_id`) REFERENCES `sync_runs`(`sync_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_run_instances_name_idx` ON `sync_run_instances` (`instance_name`,`sync_id`);--> statement-breakpoint
ALTER TABLE `instances` ADD `enabled` integer DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE `instances` ADD `project_keys` text;--> statement-breakpoint
CREATE INDEX `issues_live_browse_idx` ON `issues` (`updated_ms`,`instance_id`,`project_key`,`status`,`issue_type`,`assignee`,`deleted_at`) WHERE "issues"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `sync_runs_initiated_by_idx` ON `sync_runs` (`initiated_by`,`started_at`);
--> statement-breakpoint
-- Runs recorded before this table existed: the instances they reached a project of.
INSERT OR IGNORE INTO `sync_run_instances` (`sync_id`, `instance_id`, `instance_name`)
SELECT DISTINCT `sync_id`, `instance_id`, `instance_name` FROM `sync_project_details`;
--> statement-breakpoint
-- The full-text index holds live issues only, so a text search is counted and ranked on the index
-- alone. An issue marked deleted leaves it; one that comes back is indexed again by the writer.
CREATE TRIGGER `issues_fts_soft_delete` AFTER UPDATE OF `deleted_at` ON `issues`
WHEN new.deleted_at IS NOT NULL AND old.deleted_at IS NULL BEGIN
  DELETE FROM `issues_fts` WHERE rowid = old.rowid;
END;
--> statement-breakpoint
DELETE FROM `issues_fts` WHERE rowid IN (SELECT rowid FROM `issues` WHERE `deleted_at` IS NOT NULL);

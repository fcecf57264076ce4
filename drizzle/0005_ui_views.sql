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
CREATE INDEX `issues_updated_idx` ON `issues` (`updated_ms`);--> statement-breakpoint
CREATE INDEX `issues_status_idx` ON `issues` (`status`,`updated_ms`);--> statement-breakpoint
CREATE INDEX `issues_type_idx` ON `issues` (`issue_type`,`updated_ms`);--> statement-breakpoint
CREATE INDEX `issues_assignee_idx` ON `issues` (`assignee`,`updated_ms`);--> statement-breakpoint
CREATE INDEX `sync_runs_initiated_by_idx` ON `sync_runs` (`initiated_by`,`started_at`);--> statement-breakpoint
-- Runs recorded before this table existed: the instances they reached a project of.
INSERT OR IGNORE INTO `sync_run_instances` (`sync_id`, `instance_id`, `instance_name`)
SELECT DISTINCT `sync_id`, `instance_id`, `instance_name` FROM `sync_project_details`;

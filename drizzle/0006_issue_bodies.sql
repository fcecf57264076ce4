CREATE TABLE `issue_bodies` (
	`issue_seq` integer PRIMARY KEY NOT NULL,
	`raw_json` text NOT NULL
);
--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_issues` (
	`seq` integer PRIMARY KEY NOT NULL,
	`instance_id` text NOT NULL,
	`id` text NOT NULL,
	`key` text NOT NULL,
	`project_key` text NOT NULL,
	`summary` text NOT NULL,
	`status` text,
	`status_category` text,
	`issue_type` text,
	`priority` text,
	`assignee` text,
	`reporter` text,
	`created` text,
	`updated` text NOT NULL,
	`updated_ms` integer NOT NULL,
	`resolution` text,
	`labels` text DEFAULT '[]' NOT NULL,
	`content_hash` text NOT NULL,
	`deleted_at` text,
	`first_seen_run_id` text,
	`last_changed_run_id` text,
	FOREIGN KEY (`instance_id`) REFERENCES `instances`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- The old implicit rowid becomes the explicit key: the full-text index is addressed by it.
INSERT INTO `__new_issues`("seq", "instance_id", "id", "key", "project_key", "summary", "status", "status_category", "issue_type", "priority", "assignee", "reporter", "created", "updated", "updated_ms", "resolution", "labels", "content_hash", "deleted_at", "first_seen_run_id", "last_changed_run_id") SELECT rowid, "instance_id", "id", "key", "project_key", "summary", "status", "status_category", "issue_type", "priority", "assignee", "reporter", "created", "updated", "updated_ms", "resolution", "labels", "content_hash", "deleted_at", "first_seen_run_id", "last_changed_run_id" FROM `issues`;--> statement-breakpoint
INSERT INTO `issue_bodies` (`issue_seq`, `raw_json`) SELECT rowid, `raw_json` FROM `issues`;--> statement-breakpoint
DROP TABLE `issues`;--> statement-breakpoint
ALTER TABLE `__new_issues` RENAME TO `issues`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `issues_instance_issue_unique` ON `issues` (`instance_id`,`id`);--> statement-breakpoint
CREATE INDEX `issues_project_idx` ON `issues` (`instance_id`,`project_key`,`updated_ms`);--> statement-breakpoint
CREATE INDEX `issues_key_idx` ON `issues` (`instance_id`,`key`);--> statement-breakpoint
-- Dropping the old table dropped its triggers: the full-text index (and the bodies) follow the mirror again.
CREATE TRIGGER `issues_fts_delete` AFTER DELETE ON `issues` BEGIN
  DELETE FROM `issues_fts` WHERE rowid = old.seq;
  DELETE FROM `issue_bodies` WHERE issue_seq = old.seq;
END;--> statement-breakpoint
CREATE TRIGGER `issues_fts_soft_delete` AFTER UPDATE OF `deleted_at` ON `issues`
WHEN new.deleted_at IS NOT NULL AND old.deleted_at IS NULL BEGIN
  DELETE FROM `issues_fts` WHERE rowid = old.seq;
END;

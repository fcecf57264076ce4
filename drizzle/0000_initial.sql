CREATE TABLE `configuration_audit` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`config_type` text NOT NULL,
	`changed_at` text NOT NULL,
	`changed_by` text NOT NULL,
	`before` text,
	`after` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `configuration_audit_type_idx` ON `configuration_audit` (`config_type`,`changed_at`);--> statement-breakpoint
CREATE TABLE `configurations` (
	`config_type` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `instances` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`flavor` text NOT NULL,
	`email` text,
	`credential` text NOT NULL,
	`token_env` text,
	`demo_seed` integer,
	`demo_anchor` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `instances_name_unique` ON `instances` (`name`);--> statement-breakpoint
CREATE TABLE `issues` (
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
	`raw_json` text NOT NULL,
	`content_hash` text NOT NULL,
	`deleted_at` text,
	`first_seen_run_id` text,
	`last_changed_run_id` text,
	PRIMARY KEY(`instance_id`, `id`),
	FOREIGN KEY (`instance_id`) REFERENCES `instances`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `issues_project_idx` ON `issues` (`instance_id`,`project_key`,`updated_ms`);--> statement-breakpoint
CREATE INDEX `issues_key_idx` ON `issues` (`instance_id`,`key`);--> statement-breakpoint
CREATE TABLE `projects` (
	`instance_id` text NOT NULL,
	`key` text NOT NULL,
	`jira_id` text,
	`name` text,
	`cursor_updated_ms` integer,
	`last_synced_at` text,
	`sync_count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`instance_id`, `key`),
	FOREIGN KEY (`instance_id`) REFERENCES `instances`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `sync_performance_metrics` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sync_id` text NOT NULL,
	`project_key` text,
	`recorded_at` text NOT NULL,
	`metric` text NOT NULL,
	`value` real NOT NULL,
	FOREIGN KEY (`sync_id`) REFERENCES `sync_runs`(`sync_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_performance_metrics_run_idx` ON `sync_performance_metrics` (`sync_id`,`metric`,`recorded_at`);--> statement-breakpoint
CREATE TABLE `sync_project_details` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sync_id` text NOT NULL,
	`instance_id` text NOT NULL,
	`instance_name` text NOT NULL,
	`project_key` text NOT NULL,
	`started_at` text NOT NULL,
	`completed_at` text,
	`duration_ms` integer,
	`issues_processed` integer DEFAULT 0 NOT NULL,
	`issues_created` integer DEFAULT 0 NOT NULL,
	`issues_updated` integer DEFAULT 0 NOT NULL,
	`issues_unchanged` integer DEFAULT 0 NOT NULL,
	`issues_deleted` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`error_message` text,
	`error_category` text,
	`api_calls` integer DEFAULT 0 NOT NULL,
	`retries` integer DEFAULT 0 NOT NULL,
	`rate_limited` integer DEFAULT 0 NOT NULL,
	`pages` integer DEFAULT 0 NOT NULL,
	`latency_p50_ms` real,
	`latency_p95_ms` real,
	`latency_max_ms` real,
	FOREIGN KEY (`sync_id`) REFERENCES `sync_runs`(`sync_id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_project_details_run_idx` ON `sync_project_details` (`sync_id`);--> statement-breakpoint
CREATE INDEX `sync_project_details_project_idx` ON `sync_project_details` (`instance_id`,`project_key`,`started_at`);--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`sync_id` text PRIMARY KEY NOT NULL,
	`started_at` text NOT NULL,
	`completed_at` text,
	`status` text NOT NULL,
	`total_projects` integer DEFAULT 0 NOT NULL,
	`successful_projects` integer DEFAULT 0 NOT NULL,
	`failed_projects` integer DEFAULT 0 NOT NULL,
	`total_issues` integer DEFAULT 0 NOT NULL,
	`issues_created` integer DEFAULT 0 NOT NULL,
	`issues_updated` integer DEFAULT 0 NOT NULL,
	`issues_unchanged` integer DEFAULT 0 NOT NULL,
	`issues_deleted` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer,
	`error_message` text,
	`error_category` text,
	`initiated_by` text NOT NULL,
	`performance_config` text,
	`owner_pid` integer,
	`owner_host` text,
	`heartbeat_at` text
);
--> statement-breakpoint
CREATE INDEX `sync_runs_started_at_idx` ON `sync_runs` (`started_at`);--> statement-breakpoint
CREATE INDEX `sync_runs_status_idx` ON `sync_runs` (`status`,`started_at`);
CREATE TABLE `daily_duration_buckets` (
	`day_start` text NOT NULL,
	`le_ms` integer NOT NULL,
	`runs` integer NOT NULL,
	PRIMARY KEY(`day_start`, `le_ms`)
);
--> statement-breakpoint
CREATE TABLE `daily_failure_summaries` (
	`day_start` text NOT NULL,
	`level` text NOT NULL,
	`instance_id` text NOT NULL,
	`instance_name` text NOT NULL,
	`project_key` text NOT NULL,
	`category` text NOT NULL,
	`failures` integer NOT NULL,
	PRIMARY KEY(`day_start`, `level`, `instance_id`, `project_key`, `category`)
);
--> statement-breakpoint
CREATE TABLE `daily_project_summaries` (
	`day_start` text NOT NULL,
	`day` text NOT NULL,
	`day_end` text NOT NULL,
	`instance_id` text NOT NULL,
	`instance_name` text NOT NULL,
	`project_key` text NOT NULL,
	`runs` integer NOT NULL,
	`completed` integer NOT NULL,
	`failed` integer NOT NULL,
	`stopped` integer NOT NULL,
	`interrupted` integer NOT NULL,
	`issues_processed` integer NOT NULL,
	`issues_created` integer NOT NULL,
	`issues_updated` integer NOT NULL,
	`issues_unchanged` integer NOT NULL,
	`issues_deleted` integer NOT NULL,
	`duration_count` integer NOT NULL,
	`duration_total_ms` integer NOT NULL,
	`duration_p50_ms` integer,
	`duration_p95_ms` integer,
	`duration_max_ms` integer,
	`api_calls` integer NOT NULL,
	`retries` integer NOT NULL,
	`rate_limited` integer NOT NULL,
	`latency_p95_ms` real,
	`latency_max_ms` real,
	`pages` integer NOT NULL,
	`last_success_at` text,
	PRIMARY KEY(`day_start`, `instance_id`, `project_key`)
);
--> statement-breakpoint
CREATE INDEX `daily_project_summaries_project_idx` ON `daily_project_summaries` (`instance_id`,`project_key`,`day_start`);--> statement-breakpoint
CREATE TABLE `daily_run_summaries` (
	`day_start` text PRIMARY KEY NOT NULL,
	`day` text NOT NULL,
	`day_end` text NOT NULL,
	`runs` integer NOT NULL,
	`completed` integer NOT NULL,
	`partial` integer NOT NULL,
	`failed` integer NOT NULL,
	`stopped` integer NOT NULL,
	`interrupted` integer NOT NULL,
	`issues_processed` integer NOT NULL,
	`issues_created` integer NOT NULL,
	`issues_updated` integer NOT NULL,
	`issues_unchanged` integer NOT NULL,
	`issues_deleted` integer NOT NULL,
	`duration_count` integer NOT NULL,
	`duration_total_ms` integer NOT NULL,
	`duration_p50_ms` integer,
	`duration_p95_ms` integer,
	`duration_max_ms` integer,
	`api_calls` integer NOT NULL,
	`retries` integer NOT NULL,
	`rate_limited` integer NOT NULL,
	`latency_p95_ms` real,
	`latency_max_ms` real,
	`database_bytes` integer,
	`mirrored_issues` integer
);
--> statement-breakpoint
CREATE INDEX `daily_run_summaries_day_idx` ON `daily_run_summaries` (`day`);--> statement-breakpoint
CREATE TABLE `database_growth` (
	`sync_id` text PRIMARY KEY NOT NULL,
	`recorded_at` text NOT NULL,
	`file_bytes` integer NOT NULL,
	`wal_bytes` integer NOT NULL,
	`used_bytes` integer NOT NULL,
	`mirrored_issues` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `database_growth_recorded_idx` ON `database_growth` (`recorded_at`);--> statement-breakpoint
CREATE TABLE `retention_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`summarized_until` text,
	`time_zone` text NOT NULL,
	`last_applied_at` text
);
--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`attempted_at` text NOT NULL,
	`status_code` integer,
	`error` text,
	`duration_ms` integer NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery_idx` ON `webhook_attempts` (`delivery_id`,`attempt`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`event` text NOT NULL,
	`sync_id` text,
	`payload` text NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` text,
	`claimed_until` text,
	`created_at` text NOT NULL,
	`completed_at` text,
	`last_status_code` integer,
	`last_error` text,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhook_deliveries_event_unique` ON `webhook_deliveries` (`webhook_id`,`event`,`sync_id`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_due_idx` ON `webhook_deliveries` (`state`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `webhook_deliveries_hook_idx` ON `webhook_deliveries` (`webhook_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` text PRIMARY KEY NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL
);
--> statement-breakpoint
DROP INDEX `issues_project_idx`;--> statement-breakpoint
CREATE INDEX `issues_live_project_idx` ON `issues` (`instance_id`,`project_key`,`updated_ms`) WHERE "issues"."deleted_at" IS NULL;--> statement-breakpoint
CREATE INDEX `issues_live_updated_idx` ON `issues` (`updated_ms`) WHERE "issues"."deleted_at" IS NULL;--> statement-breakpoint
ALTER TABLE `configuration_audit` ADD `reason` text;--> statement-breakpoint
CREATE INDEX `sync_performance_metrics_recorded_idx` ON `sync_performance_metrics` (`recorded_at`);--> statement-breakpoint
CREATE INDEX `sync_project_details_started_idx` ON `sync_project_details` (`started_at`);
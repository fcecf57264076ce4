CREATE TABLE `analytics_cells` (
	`period` text NOT NULL,
	`period_start` text NOT NULL,
	`instance_id` text NOT NULL,
	`instance_name` text NOT NULL,
	`project_key` text NOT NULL,
	`slot` integer NOT NULL,
	`status` text NOT NULL,
	`error_category` text,
	`syncs` integer NOT NULL,
	`api_calls` integer NOT NULL,
	`retries` integer NOT NULL,
	`rate_limited` integer NOT NULL,
	`latency_weighted` real,
	`latency_pages` integer,
	`done_ms` integer,
	`done_issues` integer,
	`incremental_ms` integer,
	`incremental_issues` integer,
	`last_success_at` text
);
--> statement-breakpoint
CREATE INDEX `analytics_cells_period_idx` ON `analytics_cells` (`period`,`period_start`);--> statement-breakpoint
CREATE TABLE `analytics_cells_state` (
	`id` integer PRIMARY KEY NOT NULL,
	`cells_until` text NOT NULL
);
--> statement-breakpoint
DROP INDEX `sync_project_details_failed_idx`;--> statement-breakpoint
CREATE INDEX `sync_project_details_outcome_idx` ON `sync_project_details` (`instance_id`,`project_key`,`status`,`started_at`);--> statement-breakpoint
CREATE INDEX `sync_project_details_failed_idx` ON `sync_project_details` (`started_at`,`instance_id`,`instance_name`,`project_key`,`error_category`,`error_message`) WHERE "sync_project_details"."status" = 'failed';
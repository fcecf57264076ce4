CREATE TABLE `anomalies` (
	`id` text PRIMARY KEY NOT NULL,
	`instance_name` text NOT NULL,
	`project_key` text NOT NULL,
	`kind` text NOT NULL,
	`metric` text NOT NULL,
	`status` text NOT NULL,
	`opened_at` text NOT NULL,
	`opened_run_id` text NOT NULL,
	`resolved_at` text,
	`resolved_run_id` text,
	`value` real NOT NULL,
	`last_value` real NOT NULL,
	`baseline_median` real NOT NULL,
	`baseline_mad` real NOT NULL,
	`baseline_runs` integer NOT NULL,
	`threshold` real NOT NULL,
	`rule` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `anomalies_status_idx` ON `anomalies` (`status`,`opened_at`);--> statement-breakpoint
CREATE INDEX `anomalies_opened_idx` ON `anomalies` (`opened_at`);--> statement-breakpoint
CREATE TABLE `anomaly_series` (
	`instance_name` text NOT NULL,
	`project_key` text NOT NULL,
	`kind` text NOT NULL,
	`metric` text NOT NULL,
	`breaches` integer DEFAULT 0 NOT NULL,
	`normals` integer DEFAULT 0 NOT NULL,
	`open_anomaly_id` text,
	`last_run_id` text NOT NULL,
	PRIMARY KEY(`instance_name`, `project_key`, `kind`, `metric`)
);
--> statement-breakpoint
CREATE INDEX `sync_project_details_failed_idx` ON `sync_project_details` (`started_at`) WHERE "sync_project_details"."status" = 'failed';
ALTER TABLE `projects` ADD `repair_reason` text;--> statement-breakpoint
ALTER TABLE `sync_project_details` ADD `verification_result` text;--> statement-breakpoint
ALTER TABLE `sync_project_details` ADD `verification_method` text;--> statement-breakpoint
ALTER TABLE `sync_project_details` ADD `verification_jira_count` integer;--> statement-breakpoint
ALTER TABLE `sync_project_details` ADD `verification_mirror_count` integer;--> statement-breakpoint
ALTER TABLE `sync_project_details` ADD `verification_before` text;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `notices` text DEFAULT '[]' NOT NULL;
ALTER TABLE `sync_project_details` ADD `wait_ms` integer;--> statement-breakpoint
ALTER TABLE `sync_project_details` ADD `parse_ms` integer;--> statement-breakpoint
ALTER TABLE `sync_project_details` ADD `write_ms` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `peak_rss_bytes` integer;--> statement-breakpoint
ALTER TABLE `sync_runs` ADD `peak_heap_bytes` integer;
CREATE TABLE `sync_slices` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`instance_id` text NOT NULL,
	`project_key` text NOT NULL,
	`from_ms` integer,
	`to_ms` integer,
	`committed_ms` integer,
	`done` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`instance_id`) REFERENCES `instances`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `sync_slices_project_idx` ON `sync_slices` (`instance_id`,`project_key`);
CREATE TABLE `issue_text_changes` (
	`id` integer PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL
);
--> statement-breakpoint
-- Issues leaving the full-text index are changes to it too (the writer records the ones it indexes).
DROP TRIGGER `issues_fts_delete`;--> statement-breakpoint
CREATE TRIGGER `issues_fts_delete` AFTER DELETE ON `issues` BEGIN
  DELETE FROM `issues_fts` WHERE rowid = old.seq;
  DELETE FROM `issue_bodies` WHERE issue_seq = old.seq;
  INSERT INTO `issue_text_changes` (`seq`) VALUES (old.seq);
END;--> statement-breakpoint
DROP TRIGGER `issues_fts_soft_delete`;--> statement-breakpoint
CREATE TRIGGER `issues_fts_soft_delete` AFTER UPDATE OF `deleted_at` ON `issues`
WHEN new.deleted_at IS NOT NULL AND old.deleted_at IS NULL BEGIN
  DELETE FROM `issues_fts` WHERE rowid = old.seq;
  INSERT INTO `issue_text_changes` (`seq`) VALUES (old.seq);
END;

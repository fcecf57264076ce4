-- Full-text search over the mirror (key, summary, description as plain text), kept in step with
-- `issues` by the writer in the same transaction as each page. Contentless: the text lives in
-- `issues`; rows are addressed by the issue's rowid.
CREATE VIRTUAL TABLE `issues_fts` USING fts5(key, summary, description, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
INSERT INTO `issues_fts` (rowid, key, summary, description)
SELECT rowid, key, summary,
  CASE json_type(raw_json, '$.fields.description')
    WHEN 'text' THEN json_extract(raw_json, '$.fields.description')
    WHEN 'object' THEN (SELECT group_concat(value, ' ') FROM json_tree(raw_json, '$.fields.description') WHERE key = 'text' AND type = 'text')
  END
FROM `issues`;
--> statement-breakpoint
-- Rows leaving `issues` (an instance removed with its mirror) leave the index too: a contentless
-- index cannot notice by itself, and a reused rowid would otherwise match another issue's old text.
CREATE TRIGGER `issues_fts_delete` AFTER DELETE ON `issues` BEGIN
  DELETE FROM `issues_fts` WHERE rowid = old.rowid;
END;

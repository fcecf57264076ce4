-- The words of the full-text index in order (FTS5's vocabulary view over `issues_fts`: no data of
-- its own). The search looks up the completions of the word being typed: when only one word of
-- the index starts with it, the prefix is searched as that word, which FTS5 answers without
-- merging the entries of every completion first.
CREATE VIRTUAL TABLE `issues_fts_terms` USING fts5vocab(`issues_fts`, 'instance');

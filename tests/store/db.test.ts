import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_FOLDER, openStore } from '../../src/store/db.ts';
import { searchIssues } from '../../src/store/issueSearch.ts';
import { onlyCompletion } from '../../src/store/issueText.ts';
import { tempDir } from '../helpers/tempDb.ts';

let cleanup = () => {};
afterEach(() => cleanup());

/** A copy of the migrations folder holding only the first `count` migrations: an older app version. */
function olderMigrations(dir: string, count: number): string {
  const folder = join(dir, 'migrations');
  mkdirSync(join(folder, 'meta'), { recursive: true });
  const journal = JSON.parse(readFileSync(join(DEFAULT_MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
    entries: Array<{ tag: string }>;
  };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  for (const entry of journal.entries) copyFileSync(join(DEFAULT_MIGRATIONS_FOLDER, `${entry.tag}.sql`), join(folder, `${entry.tag}.sql`));
  return folder;
}

describe('opening the store', () => {
  it('upgrades a database written by the first version without losing a row', () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    const old = openStore({ file: temp.dbFile, migrationsFolder: olderMigrations(temp.dir, 1) });
    old.sqlite.exec(`
      INSERT INTO instances (id, name, url, flavor, credential, created_at) VALUES ('i1', 'acme', 'https://acme.example', 'cloud', 'env', '2026-01-01T00:00:00Z');
      INSERT INTO projects (instance_id, key, cursor_updated_ms, sync_count) VALUES ('i1', 'P', 1700000000000, 3);
      INSERT INTO sync_runs (sync_id, started_at, status, initiated_by, total_issues) VALUES ('r1', '2026-01-01T00:00:00Z', 'completed', 'cli', 2);
      INSERT INTO sync_project_details (sync_id, instance_id, instance_name, project_key, started_at, status, issues_processed)
        VALUES ('r1', 'i1', 'acme', 'P', '2026-01-01T00:00:00Z', 'completed', 2);
      INSERT INTO issues (instance_id, id, key, project_key, summary, updated, updated_ms, raw_json, content_hash)
        VALUES ('i1', '10001', 'P-1', 'P', 'one', '2026-01-01T00:00:00Z', 1, '{"one":1}', 'h1'), ('i1', '10002', 'P-2', 'P', 'two', '2026-01-01T00:00:00Z', 2, '{"two":2}', 'h2');
    `);
    old.close();

    const store = openStore({ file: temp.dbFile });
    try {
      const count = (table: string) => (store.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(['instances', 'projects', 'sync_runs', 'sync_project_details', 'issues'].map(count)).toEqual([1, 1, 1, 1, 2]);
      expect(store.sqlite.prepare('SELECT cursor_updated_ms AS c, sync_count AS s FROM projects').get()).toEqual({
        c: 1700000000000,
        s: 3,
      });
      // The newer columns and tables exist.
      expect(store.sqlite.prepare('SELECT wait_ms, parse_ms, write_ms FROM sync_project_details').get()).toEqual({
        wait_ms: null,
        parse_ms: null,
        write_ms: null,
      });
      expect(count('sync_slices')).toBe(0);
      // Raw JSON moved to its own table, keyed by the issue's (now explicit) row number.
      expect(
        store.sqlite
          .prepare('SELECT i.key, b.raw_json AS raw FROM issues i JOIN issue_bodies b ON b.issue_seq = i.seq ORDER BY i.seq')
          .all(),
      ).toEqual([
        { key: 'P-1', raw: '{"one":1}' },
        { key: 'P-2', raw: '{"two":2}' },
      ]);
      // The full-text index was built from the rows, and its vocabulary answers the typed word's completion.
      expect(onlyCompletion(store, 'tw')).toBe('two');
      expect(searchIssues(store, { text: 'tw' })).toMatchObject({ total: 1, rows: [{ key: 'P-2' }] });
      expect(store.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      store.close();
    }
  });
});

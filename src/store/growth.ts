/** The database's growth over time: one sample when each run ends, and a point per summarized day after. */
import type { DatabaseGrowthPoint } from '../shared/operations.ts';
import { nowIso, type Store } from './db.ts';
import { databaseFileSizes } from './retention.ts';

/** Records the database's size and the mirror's after a run; a second call for the same run changes nothing. */
export function recordDatabaseGrowth(store: Store, runId: string, atMs: number = Date.now()): void {
  const pageSize = store.sqlite.pragma('page_size', { simple: true }) as number;
  const pages = store.sqlite.pragma('page_count', { simple: true }) as number;
  const free = store.sqlite.pragma('freelist_count', { simple: true }) as number;
  const { n } = store.statement(`SELECT COUNT(*) AS n FROM issues WHERE deleted_at IS NULL`).get() as { n: number };
  const { main, wal } = databaseFileSizes(store);
  store
    .statement(
      `INSERT INTO database_growth (sync_id, recorded_at, file_bytes, wal_bytes, used_bytes, mirrored_issues)
       VALUES (@runId, @at, @fileBytes, @walBytes, @usedBytes, @issues) ON CONFLICT (sync_id) DO NOTHING`,
    )
    .run({
      runId,
      at: nowIso(atMs),
      fileBytes: main + wal,
      walBytes: wal,
      usedBytes: (pages - free) * pageSize,
      issues: n,
    });
}

/**
 * The samples recorded within `[from, to]`, oldest first; before the oldest sample still held, the
 * summarized days' end-of-day sizes carry the line back.
 */
export function listDatabaseGrowth(store: Store, from: string, to: string): DatabaseGrowthPoint[] {
  return store
    .statement(
      `SELECT day_end AS recordedAt, NULL AS runId, database_bytes AS fileBytes, NULL AS usedBytes, mirrored_issues AS mirroredIssues
       FROM daily_run_summaries
       WHERE database_bytes IS NOT NULL AND day_end >= @from AND day_start <= @to
         AND day_end <= COALESCE((SELECT MIN(recorded_at) FROM database_growth), @to)
       UNION ALL
       SELECT recorded_at, sync_id, file_bytes, used_bytes, mirrored_issues FROM database_growth
       WHERE recorded_at >= @from AND recorded_at <= @to
       ORDER BY 1`,
    )
    .all({ from, to }) as DatabaseGrowthPoint[];
}

/**
 * What the recorded runs say about the performance settings, beyond the dry run's basis
 * (history.ts): how the share of rate-limited requests moved, and how many projects hit their
 * timeout. Aggregated in SQL over the recent finished runs; the recommendations read it.
 */
import type { Store } from './db.ts';

export interface RateLimitWindow {
  runs: number;
  apiCalls: number;
  rateLimited: number;
}

export interface PerformanceEvidence {
  /** The newest half of the considered runs, and the older half before it. */
  recent: RateLimitWindow;
  earlier: RateLimitWindow;
  /**
   * Projects of the considered runs stopped by project_timeout under a value at least the current
   * one: a timeout under a lower value, raised since, says nothing about the current setting (and
   * request_timeout's timeouts are request_timeout's business).
   */
  timeoutFailures: number;
  /** The most projects a considered run synced. */
  maxProjectsPerRun: number;
}

export function getPerformanceEvidence(store: Store, projectTimeoutS: number, recentRuns = 10): PerformanceEvidence {
  const half = Math.max(1, Math.floor(recentRuns / 2));
  const windows = store
    .statement(
      `WITH ranked AS (
         -- Only the considered runs are ranked (the newest first through the status index), not the whole history.
         SELECT sync_id, ROW_NUMBER() OVER (ORDER BY started_at DESC) AS rn FROM (
           SELECT sync_id, started_at FROM sync_runs WHERE status IN ('completed', 'partial', 'failed')
           ORDER BY started_at DESC LIMIT @all))
       SELECT CASE WHEN r.rn <= @half THEN 'recent' ELSE 'earlier' END AS window, COUNT(DISTINCT r.sync_id) AS runs,
              COALESCE(SUM(d.api_calls), 0) AS apiCalls, COALESCE(SUM(d.rate_limited), 0) AS rateLimited
       FROM ranked r LEFT JOIN sync_project_details d ON d.sync_id = r.sync_id
       WHERE r.rn <= @all GROUP BY window`,
    )
    .all({ half, all: half * 2 }) as Array<RateLimitWindow & { window: 'recent' | 'earlier' }>;
  const empty: RateLimitWindow = { runs: 0, apiCalls: 0, rateLimited: 0 };
  const pick = (name: 'recent' | 'earlier'): RateLimitWindow => {
    const row = windows.find((w) => w.window === name);
    return row ? { runs: row.runs, apiCalls: row.apiCalls, rateLimited: row.rateLimited } : empty;
  };
  const considered = `SELECT sync_id FROM sync_runs WHERE status IN ('completed', 'partial', 'failed')
                      ORDER BY started_at DESC LIMIT @all`;
  const { maxProjectsPerRun } = store
    .statement(`SELECT COALESCE(MAX(total_projects), 0) AS maxProjectsPerRun FROM sync_runs WHERE sync_id IN (${considered})`)
    .get({ all: half * 2 }) as { maxProjectsPerRun: number };
  // At most the considered runs' timed-out projects (a handful): each run's own project_timeout is
  // in its config snapshot.
  const timedOut = store
    .statement(
      `SELECT r.performance_config AS config FROM sync_project_details d JOIN sync_runs r ON r.sync_id = d.sync_id
       WHERE d.sync_id IN (${considered}) AND d.error_category = 'Timeout' AND d.error_message LIKE '%longer than project_timeout%'`,
    )
    .all({ all: half * 2 }) as Array<{ config: string | null }>;
  const timeoutFailures = timedOut.filter(({ config }) => snapshotTimeout(config) >= projectTimeoutS).length;
  return { recent: pick('recent'), earlier: pick('earlier'), timeoutFailures, maxProjectsPerRun };
}

/** The project_timeout a run was started with (an unreadable snapshot counts as the current one's peer). */
function snapshotTimeout(config: string | null): number {
  try {
    const value = (JSON.parse(config ?? 'null') as { projectTimeout?: unknown } | null)?.projectTimeout;
    return typeof value === 'number' ? value : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

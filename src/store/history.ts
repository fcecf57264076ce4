/**
 * What recorded runs say about the cost of a sync: the input of the dry-run estimate. All of it is
 * aggregated in SQL over the recent finished runs.
 */
import type { Flavor } from '../shared/model.ts';
import { firstSync } from './analyticsScope.ts';
import type { Store } from './db.ts';

export interface ProjectHistory {
  instanceName: string;
  projectKey: string;
  flavor: Flavor;
  issues: number;
  pages: number;
  /**
   * Whether that record was a first (full) read: every issue it processed was new, and it asked
   * for more than the one completeness count (a first sync counts to plan as well).
   */
  firstSync: boolean;
  durationMs: number;
}

export interface SyncHistoryBasis {
  runsConsidered: number;
  projects: ProjectHistory[];
  /** Page round-trip time, weighted by pages; null without history. */
  latencyMs: number | null;
  latencyMaxMs: number | null;
  /** Share of requests answered 429. */
  rateLimitedShare: number;
  /** Engine time per issue (parsing, validating, hashing, writing), from the recorded phase timings. */
  cpuMsPerIssue: number;
  /** From a run's start to its first project starting: worker start, /myself, project list. */
  setupMs: number;
  slowestProject: { key: string; durationMs: number } | null;
}

export function getSyncHistoryBasis(store: Store, recentRuns = 10): SyncHistoryBasis {
  const recent = `SELECT sync_id FROM sync_runs WHERE status IN ('completed', 'partial') ORDER BY started_at DESC LIMIT ${Math.floor(recentRuns)}`;
  const { runs } = store.statement(`SELECT COUNT(*) AS runs FROM (${recent})`).get() as { runs: number };
  // The latest completed record of each project among the recent runs.
  const projects = store
    .statement(
      `WITH ranked AS (
         SELECT d.*, ROW_NUMBER() OVER (PARTITION BY d.instance_id, d.project_key ORDER BY d.started_at DESC) AS rn
         FROM sync_project_details d WHERE d.sync_id IN (${recent}) AND d.status = 'completed')
       SELECT r.instance_name AS instanceName, r.project_key AS projectKey, COALESCE(i.flavor, 'cloud') AS flavor,
              r.issues_processed AS issues, r.pages,
              ${firstSync('r')} AS firstSync,
              COALESCE(r.duration_ms, 0) AS durationMs
       FROM ranked r LEFT JOIN instances i ON i.id = r.instance_id WHERE r.rn = 1 ORDER BY r.instance_name, r.project_key`,
    )
    .all()
    .map((row) => ({ ...(row as ProjectHistory), firstSync: Boolean((row as { firstSync: number }).firstSync) }));
  const totals = store
    .statement(
      `SELECT SUM(latency_p50_ms * pages) / NULLIF(SUM(CASE WHEN latency_p50_ms IS NOT NULL THEN pages END), 0) AS latency,
              MAX(latency_max_ms) AS latencyMax,
              CAST(SUM(rate_limited) AS REAL) / NULLIF(SUM(api_calls), 0) AS limited,
              SUM(COALESCE(parse_ms, 0) + COALESCE(write_ms, 0)) AS busyMs,
              SUM(issues_processed) AS issues
       FROM sync_project_details WHERE sync_id IN (${recent}) AND status = 'completed'`,
    )
    .get() as { latency: number | null; latencyMax: number | null; limited: number | null; busyMs: number | null; issues: number | null };
  const slowest = store
    .statement(
      `SELECT project_key AS key, duration_ms AS durationMs FROM sync_project_details
       WHERE sync_id IN (${recent}) AND duration_ms IS NOT NULL ORDER BY duration_ms DESC LIMIT 1`,
    )
    .get() as { key: string; durationMs: number } | undefined;
  return {
    runsConsidered: runs,
    projects,
    latencyMs: totals.latency,
    latencyMaxMs: totals.latencyMax,
    rateLimitedShare: totals.limited ?? 0,
    cpuMsPerIssue: totals.issues ? (totals.busyMs ?? 0) / totals.issues : 0,
    setupMs: recentSetupMs(store, recentRuns),
    slowestProject: slowest ?? null,
  };
}

/**
 * From a run's start to its first project's start (worker start, /myself, the project list), over
 * the latest finished runs: each run's first project is found through the run index.
 */
export function recentSetupMs(store: Store, recentRuns = 10): number {
  const row = store
    .statement(
      `SELECT AVG((julianday((SELECT MIN(d.started_at) FROM sync_project_details d WHERE d.sync_id = r.sync_id))
                   - julianday(r.started_at)) * 86400000.0) AS setupMs
       FROM (SELECT sync_id, started_at FROM sync_runs WHERE status IN ('completed', 'partial') ORDER BY started_at DESC LIMIT ?) r`,
    )
    .get(Math.floor(recentRuns)) as { setupMs: number | null };
  return row.setupMs ?? 0;
}

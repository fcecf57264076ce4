/**
 * The SQL behind the health scores, per project, per instance and overall, over the scope's
 * project syncs: the success rate weighted toward the last syncs, the last success (for a group,
 * its stalest project's), duration per issue of the latest syncs against the ones before, and the
 * shares of retried and rate-limited requests. Also the usual gap between runs.
 */
import { DETAIL_SCOPE, firstSync, type ScopeParams } from './analyticsScope.ts';
import type { Store } from './db.ts';

/** The success rate weighs the last this many syncs of a group, the newest most (linearly: N, N-1, … 1). */
export const WEIGHTED_SYNCS = 20;
/** Duration per issue of the latest this many successful syncs is compared with the ones before. */
export const RECENT_SYNCS = 5;

export interface HealthAggregate {
  instance: string | null;
  project: string | null;
  syncs: number;
  weightedSuccess: number | null;
  /** The syncs the weighted rate rests on, and how many of them succeeded. */
  weightedSyncs: number;
  weightedSucceeded: number;
  apiCalls: number;
  retries: number;
  rateLimited: number;
  recentMsPerIssue: number | null;
  baselineMsPerIssue: number | null;
  /** The stalest last success among the group's projects; null when one never succeeded in the period. */
  lastSuccessAt: string | null;
  neverSucceeded: number;
}

export type HealthLevel = 'project' | 'instance' | 'overall';

const GROUP: Record<HealthLevel, string[]> = {
  project: ['instance_name', 'project_key'],
  instance: ['instance_name'],
  overall: [],
};

export function healthAggregates(store: Store, p: ScopeParams, level: HealthLevel): HealthAggregate[] {
  const cols = GROUP[level];
  const partition = cols.length ? `PARTITION BY ${cols.join(', ')}` : '';
  const groupBy = cols.length ? `GROUP BY ${cols.join(', ')}` : '';
  const join = cols.length ? cols.map((c) => `l.${c} = w.${c}`).join(' AND ') : '1';
  const instance = cols.includes('instance_name') ? 'instance_name' : 'NULL';
  const project = cols.includes('project_key') ? 'project_key' : 'NULL';
  const rows = store
    .statement(
      `WITH base AS (
         SELECT d.instance_name, d.project_key, d.status, d.api_calls, d.retries, d.rate_limited, d.completed_at,
                d.duration_ms, d.issues_processed, d.started_at, d.id,
                -- A successful incremental sync with a duration: what duration per issue is measured on.
                (d.status = 'completed' AND NOT ${firstSync()} AND d.duration_ms IS NOT NULL AND d.issues_processed > 0) AS ok
         FROM sync_project_details d WHERE ${DETAIL_SCOPE}),
       w AS (
         SELECT base.*, ROW_NUMBER() OVER (${partition} ORDER BY started_at DESC, id DESC) AS rn,
                ROW_NUMBER() OVER (PARTITION BY instance_name, project_key, ok ORDER BY started_at DESC, id DESC) AS okRn
         FROM base),
       last AS (SELECT instance_name, project_key, MAX(CASE WHEN status = 'completed' THEN completed_at END) AS lastSuccess
                FROM w GROUP BY instance_name, project_key)
       SELECT ${instance} AS instance, ${project} AS project, COUNT(*) AS syncs,
              SUM(CASE WHEN rn <= ${WEIGHTED_SYNCS} AND status = 'completed' THEN ${WEIGHTED_SYNCS + 1} - rn ELSE 0 END) * 1.0
                / SUM(CASE WHEN rn <= ${WEIGHTED_SYNCS} THEN ${WEIGHTED_SYNCS + 1} - rn END) AS weightedSuccess,
              SUM(rn <= ${WEIGHTED_SYNCS}) AS weightedSyncs,
              SUM(rn <= ${WEIGHTED_SYNCS} AND status = 'completed') AS weightedSucceeded,
              SUM(api_calls) AS apiCalls, SUM(retries) AS retries, SUM(rate_limited) AS rateLimited,
              SUM(CASE WHEN ok AND okRn <= ${RECENT_SYNCS} THEN duration_ms END) * 1.0
                / NULLIF(SUM(CASE WHEN ok AND okRn <= ${RECENT_SYNCS} THEN issues_processed END), 0) AS recentMsPerIssue,
              SUM(CASE WHEN ok AND okRn > ${RECENT_SYNCS} THEN duration_ms END) * 1.0
                / NULLIF(SUM(CASE WHEN ok AND okRn > ${RECENT_SYNCS} THEN issues_processed END), 0) AS baselineMsPerIssue,
              (SELECT MIN(l.lastSuccess) FROM last l WHERE ${join}) AS lastSuccessAt,
              (SELECT COUNT(*) FROM last l WHERE ${join} AND l.lastSuccess IS NULL) AS neverSucceeded
       FROM w
       ${groupBy} ORDER BY 1, 2`,
    )
    .all(p) as HealthAggregate[];
  return rows.filter((row) => row.syncs > 0);
}

/** The mean gap between the starts of the last runs (any outcome): how often syncs usually come. */
export function usualIntervalMs(store: Store, runs = 50): number | null {
  const row = store
    .statement(
      `SELECT (julianday(MAX(started_at)) - julianday(MIN(started_at))) * 86400000.0 / NULLIF(COUNT(*) - 1, 0) AS gap
       FROM (SELECT started_at FROM sync_runs WHERE status != 'running' ORDER BY started_at DESC LIMIT ?)`,
    )
    .get(runs) as { gap: number | null };
  return row.gap === null ? null : Math.round(row.gap);
}

/**
 * The SQL behind the best time to sync and the duration prediction: the scope's project syncs
 * grouped by local hour of the week (or of the day), and per project the sums a least-squares fit
 * of duration on issues needs, over its latest successful incremental syncs, plus the same model
 * replayed over history (each sync predicted from the ones before it, by window frames).
 */
import { cellScope, LOCAL_HOUR_OF_WEEK, scopeCells } from './analyticsCells.ts';
import { DETAIL_SCOPE, firstSync, type ScopeParams } from './analyticsScope.ts';
import type { Store } from './db.ts';

export interface TimeAggregate {
  weekday: number | null;
  hour: number | null;
  syncs: number;
  failureRate: number;
  rateLimitShare: number;
  latencyMs: number | null;
  msPerIssue: number | null;
}

export type TimeGranularity = 'hour-of-week' | 'hour-of-day' | 'all';

/**
 * Per hour of the week, per hour of the day, and the whole scope (the reference each bucket is
 * compared with), in one statement: the period's cells summed per local hour of the week, the
 * coarser groupings added up from those sums, every rate divided out last.
 */
export function timeAggregates(store: Store, p: ScopeParams): Record<TimeGranularity, TimeAggregate[]> {
  const sums = `SUM(syncs) AS syncs, SUM(failed) AS failed, SUM(limited) AS limited, SUM(calls) AS calls,
                SUM(lw) AS lw, SUM(lp) AS lp, SUM(dm) AS dm, SUM(di) AS di`;
  const rows = store
    .statement(
      `WITH w AS MATERIALIZED (
         SELECT ${LOCAL_HOUR_OF_WEEK} AS wh, SUM(syncs) AS syncs, SUM(CASE WHEN status = 'failed' THEN syncs ELSE 0 END) AS failed,
                SUM(rate_limited) AS limited, SUM(api_calls) AS calls, SUM(latency_weighted) AS lw, SUM(latency_pages) AS lp,
                SUM(done_ms) AS dm, SUM(done_issues) AS di
         FROM (${scopeCells(['slot', 'status', 'syncs', 'rate_limited', 'api_calls', 'latency_weighted', 'latency_pages', 'done_ms', 'done_issues'])})
         GROUP BY 1),
       buckets AS (
         SELECT 'hour-of-week' AS granularity, wh / 24 AS weekday, wh % 24 AS hour, syncs, failed, limited, calls, lw, lp, dm, di FROM w
         UNION ALL SELECT 'hour-of-day', NULL, wh % 24, ${sums} FROM w GROUP BY wh % 24
         UNION ALL SELECT 'all', NULL, NULL, ${sums} FROM w)
       SELECT granularity, weekday, hour, syncs, failed * 1.0 / syncs AS failureRate,
              COALESCE(limited * 1.0 / NULLIF(calls, 0), 0) AS rateLimitShare, lw / NULLIF(lp, 0) AS latencyMs,
              dm * 1.0 / NULLIF(di, 0) AS msPerIssue
       FROM buckets WHERE syncs > 0 ORDER BY granularity, weekday, hour`,
    )
    .all(cellScope(store, p)) as Array<TimeAggregate & { granularity: TimeGranularity }>;
  const of = (granularity: TimeGranularity) =>
    rows.filter((row) => row.granularity === granularity).map(({ granularity: _granularity, ...row }) => row);
  return { 'hour-of-week': of('hour-of-week'), 'hour-of-day': of('hour-of-day'), all: of('all') };
}

/** How many of a project's latest successful incremental syncs the prediction fits. */
export const PREDICTION_SYNCS = 10;
/** The accuracy replays the model over this many latest project syncs. */
export const ACCURACY_SYNCS = 200;

export interface FitSums {
  instance: string;
  project: string;
  n: number;
  sx: number;
  sy: number;
  sxx: number;
  sxy: number;
  syy: number;
}

const FIT = (t: string) =>
  `${DETAIL_SCOPE.replaceAll('d.', `${t}.`)} AND ${t}.status = 'completed' AND ${t}.duration_ms IS NOT NULL AND NOT ${firstSync(t)}`;

/** Each project's latest `n` syncs the model uses, read through the project index (newest first). */
const latestFitRows = (
  n: number,
) => `WITH g AS (SELECT DISTINCT instance_id, instance_name, project_key FROM (${scopeCells(['instance_id', 'instance_name', 'project_key'])}))
  SELECT g.instance_id, g.instance_name, g.project_key, x.id, x.started_at, x.issues_processed * 1.0 AS x, x.duration_ms * 1.0 AS y
  FROM g JOIN sync_project_details x ON x.id IN (
    SELECT y.id FROM sync_project_details y WHERE y.instance_id = g.instance_id AND y.project_key = g.project_key AND ${FIT('y')}
    ORDER BY y.started_at DESC, y.id DESC LIMIT ${n})`;

export function predictionSums(store: Store, p: ScopeParams): FitSums[] {
  return store
    .statement(
      `SELECT instance_name AS instance, project_key AS project, COUNT(*) AS n, SUM(x) AS sx, SUM(y) AS sy,
              SUM(x * x) AS sxx, SUM(x * y) AS sxy, SUM(y * y) AS syy
       FROM (${latestFitRows(PREDICTION_SYNCS)}) GROUP BY instance_id, instance_name, project_key ORDER BY 1, 2`,
    )
    .all(cellScope(store, p)) as FitSums[];
}

/**
 * The mean absolute percentage error of the prediction over the latest project syncs: each sync's
 * duration against the mean of the ${PREDICTION_SYNCS} before it (what the model predicts for the
 * next sync, whose issue count is not known in advance). Syncs with fewer than 3 before them are
 * left out. The latest ACCURACY_SYNCS of all projects are among each project's latest
 * ACCURACY_SYNCS + PREDICTION_SYNCS, so only those are read.
 */
export function predictionAccuracy(store: Store, p: ScopeParams): { syncs: number; mape: number | null } {
  return store
    .statement(
      `WITH r AS (
         SELECT y, started_at, id,
                AVG(y) OVER (PARTITION BY instance_id, project_key ORDER BY started_at, id
                             ROWS BETWEEN ${PREDICTION_SYNCS} PRECEDING AND 1 PRECEDING) AS predicted,
                COUNT(*) OVER (PARTITION BY instance_id, project_key ORDER BY started_at, id
                               ROWS BETWEEN ${PREDICTION_SYNCS} PRECEDING AND 1 PRECEDING) AS before
         FROM (${latestFitRows(ACCURACY_SYNCS + PREDICTION_SYNCS)})),
       judged AS (SELECT * FROM r WHERE before >= 3 AND y > 0 ORDER BY started_at DESC, id DESC LIMIT ${ACCURACY_SYNCS})
       SELECT COUNT(*) AS syncs, AVG(ABS(y - predicted) / y) AS mape FROM judged`,
    )
    .get(cellScope(store, p)) as { syncs: number; mape: number | null };
}

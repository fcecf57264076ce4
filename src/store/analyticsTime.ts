/**
 * The SQL behind the best time to sync and the duration prediction: the scope's project syncs
 * grouped by local hour of the week (or of the day), and per project the sums a least-squares fit
 * of duration on issues needs, over its latest successful incremental syncs, plus the same model
 * replayed over history (each sync predicted from the ones before it, by window frames).
 */
import { DETAIL_SCOPE, firstSync, LOCAL_HOUR_OF_WEEK, type ScopeParams } from './analyticsScope.ts';
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

/** Per hour of the week, per hour of the day, or the whole scope (the reference each bucket is compared with). */
export function timeAggregates(store: Store, p: ScopeParams, by: 'hour-of-week' | 'hour-of-day' | 'all'): TimeAggregate[] {
  const keys = by === 'hour-of-week' ? ['wh / 100', 'wh % 100'] : by === 'hour-of-day' ? ['NULL', 'wh % 100'] : ['NULL', 'NULL'];
  const groupBy = by === 'all' ? '' : `GROUP BY 1, 2 ORDER BY 1, 2`;
  return store
    .statement(
      `SELECT ${keys[0]} AS weekday, ${keys[1]} AS hour, COUNT(*) AS syncs, AVG(status = 'failed') AS failureRate,
              COALESCE(SUM(rate_limited) * 1.0 / NULLIF(SUM(api_calls), 0), 0) AS rateLimitShare,
              SUM(latency_p50_ms * pages) / NULLIF(SUM(CASE WHEN latency_p50_ms IS NOT NULL THEN pages END), 0) AS latencyMs,
              SUM(CASE WHEN status = 'completed' AND issues_processed > 0 THEN duration_ms END) * 1.0
                / NULLIF(SUM(CASE WHEN status = 'completed' AND issues_processed > 0 AND duration_ms IS NOT NULL
                                  THEN issues_processed END), 0) AS msPerIssue
       FROM (SELECT d.status, d.rate_limited, d.api_calls, d.latency_p50_ms, d.pages, d.issues_processed, d.duration_ms,
                    ${by === 'all' ? '0' : LOCAL_HOUR_OF_WEEK} AS wh
             FROM sync_project_details d WHERE ${DETAIL_SCOPE}) ${groupBy}`,
    )
    .all(p)
    .filter((row) => (row as TimeAggregate).syncs > 0) as TimeAggregate[];
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
) => `WITH g AS (SELECT DISTINCT d.instance_id, d.instance_name, d.project_key FROM sync_project_details d WHERE ${DETAIL_SCOPE})
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
    .all(p) as FitSums[];
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
    .get(p) as { syncs: number; mape: number | null };
}

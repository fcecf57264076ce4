/**
 * The SELECTs that roll a set of local days of the history up into the columns of the daily summary
 * tables, one per table. `summaries.ts` runs them twice: into the tables once a day is over, and
 * live over the days not summarized yet, so both read the very same figures.
 *
 * Standard SQL: window functions for nearest-rank percentiles, `COUNT(*) FILTER`, a temporary table
 * of day windows joined by range (no dialect date functions: the windows come from `timeZone.ts`).
 * CROSS JOIN fixes the join order (SQLite keeps it as written): days, then their runs by the
 * started_at index, then those runs' details by sync_id — never a scan of every detail.
 */
import { RUN_STATUSES } from '../shared/model.ts';
import type { DayWindow } from '../shared/timeZone.ts';
import type { Store } from './db.ts';

/** Upper bounds (ms) of the sync duration histogram's buckets; `+Inf` is implied. */
export const DURATION_BUCKETS_MS = [1_000, 5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 1_800_000, 3_600_000, 7_200_000];

/** The histogram bucket (upper bound in ms) of a duration `column`; NULL past the last, i.e. `+Inf`. */
export function durationBucket(column: string): string {
  return `CASE ${DURATION_BUCKETS_MS.map((le) => `WHEN ${column} <= ${le} THEN ${le}`).join(' ')} END`;
}

/** Fills the temporary table of day windows that every SELECT here reads. */
export function fillDays(store: Store, windows: DayWindow[]): void {
  store.sqlite.exec(`CREATE TEMP TABLE IF NOT EXISTS summary_days (day_start TEXT PRIMARY KEY, day TEXT NOT NULL, day_end TEXT NOT NULL)`);
  store.sqlite.exec(`DELETE FROM temp.summary_days`);
  const insert = store.statement(`INSERT INTO temp.summary_days (day_start, day, day_end) VALUES (?, ?, ?)`);
  for (const w of windows) insert.run(w.startsAt, w.day, w.endsAt);
}

/** Nearest-rank p50 and p95, and the maximum, of `column` over the rows of `source`, per `partition`. */
function percentileColumns(source: string, partition: string, column: string, alias: string): string {
  return `${alias} AS MATERIALIZED (
    SELECT ${partition}, MIN(CASE WHEN rn >= 0.5 * n THEN ${column} END) AS p50, MIN(CASE WHEN rn >= 0.95 * n THEN ${column} END) AS p95,
           MAX(${column}) AS pmax
    FROM (SELECT ${partition}, ${column}, ROW_NUMBER() OVER (PARTITION BY ${partition} ORDER BY ${column}) AS rn,
                 COUNT(*) OVER (PARTITION BY ${partition}) AS n
          FROM ${source} WHERE ${column} IS NOT NULL) ranked
    GROUP BY ${partition})`;
}

export const RUN_DAY_COLUMNS = `day_start, day, day_end, runs, completed, partial, failed, stopped, interrupted, issues_processed,
  issues_created, issues_updated, issues_unchanged, issues_deleted, duration_count, duration_total_ms, duration_p50_ms,
  duration_p95_ms, duration_max_ms, api_calls, retries, rate_limited, latency_p95_ms, latency_max_ms, database_bytes,
  mirrored_issues`;

/** One row per day window with runs: the columns of `daily_run_summaries`, in order. */
export const RUN_DAY_SELECT = `
  WITH r AS MATERIALIZED (
    SELECT d.day_start, s.sync_id, s.status, s.total_issues, s.issues_created, s.issues_updated, s.issues_unchanged,
           s.issues_deleted, CASE WHEN s.status <> 'running' THEN s.duration_ms END AS duration_ms
    FROM temp.summary_days d CROSS JOIN sync_runs s WHERE s.started_at >= d.day_start AND s.started_at < d.day_end),
  p AS MATERIALIZED (SELECT r.day_start, x.api_calls, x.retries, x.rate_limited, x.latency_p95_ms, x.latency_max_ms
        FROM r CROSS JOIN sync_project_details x WHERE x.sync_id = r.sync_id),
  ${percentileColumns('r', 'day_start', 'duration_ms', 'durations')},
  ${percentileColumns('p', 'day_start', 'latency_p95_ms', 'latencies')},
  requests AS MATERIALIZED (SELECT day_start, SUM(api_calls) AS calls, SUM(retries) AS retries, SUM(rate_limited) AS limited,
                      MAX(latency_max_ms) AS latency_max FROM p GROUP BY day_start),
  growth AS MATERIALIZED (SELECT day_start, file_bytes, mirrored_issues FROM (
               SELECT d.day_start, g.file_bytes, g.mirrored_issues, ROW_NUMBER() OVER (PARTITION BY d.day_start ORDER BY g.recorded_at DESC) AS rn
               FROM temp.summary_days d CROSS JOIN database_growth g WHERE g.recorded_at >= d.day_start AND g.recorded_at < d.day_end) last
             WHERE rn = 1),
  runs AS MATERIALIZED (SELECT day_start, COUNT(*) AS runs,
                  ${RUN_STATUSES.filter((s) => s !== 'running')
                    .map((s) => `COUNT(*) FILTER (WHERE status = '${s}') AS ${s}`)
                    .join(', ')},
                  SUM(total_issues) AS processed, SUM(issues_created) AS created, SUM(issues_updated) AS updated,
                  SUM(issues_unchanged) AS unchanged, SUM(issues_deleted) AS deleted,
                  COUNT(duration_ms) AS duration_count, COALESCE(SUM(duration_ms), 0) AS duration_total
           FROM r GROUP BY day_start)
  SELECT d.day_start, d.day, d.day_end, runs.runs, runs.completed, runs.partial, runs.failed, runs.stopped, runs.interrupted,
         runs.processed AS issues_processed, runs.created AS issues_created, runs.updated AS issues_updated,
         runs.unchanged AS issues_unchanged, runs.deleted AS issues_deleted, runs.duration_count,
         runs.duration_total AS duration_total_ms, durations.p50 AS duration_p50_ms, durations.p95 AS duration_p95_ms,
         durations.pmax AS duration_max_ms, COALESCE(requests.calls, 0) AS api_calls, COALESCE(requests.retries, 0) AS retries,
         COALESCE(requests.limited, 0) AS rate_limited, latencies.p95 AS latency_p95_ms, requests.latency_max AS latency_max_ms,
         growth.file_bytes AS database_bytes, growth.mirrored_issues
  FROM temp.summary_days d JOIN runs ON runs.day_start = d.day_start
  LEFT JOIN durations ON durations.day_start = d.day_start LEFT JOIN latencies ON latencies.day_start = d.day_start
  LEFT JOIN requests ON requests.day_start = d.day_start LEFT JOIN growth ON growth.day_start = d.day_start`;

export const PROJECT_DAY_COLUMNS = `day_start, day, day_end, instance_id, instance_name, project_key, runs, completed, failed, stopped,
  interrupted, issues_processed, issues_created, issues_updated, issues_unchanged, issues_deleted, duration_count,
  duration_total_ms, duration_p50_ms, duration_p95_ms, duration_max_ms, api_calls, retries, rate_limited, latency_p95_ms,
  latency_max_ms, pages, last_success_at`;

const PROJECT_KEY = `day_start, instance_id, project_key`;
export const PROJECT_DAY_SELECT = `
  WITH p AS MATERIALIZED (
    SELECT d.day_start, d.day, d.day_end, x.*
    FROM temp.summary_days d CROSS JOIN sync_runs s CROSS JOIN sync_project_details x
    WHERE s.started_at >= d.day_start AND s.started_at < d.day_end AND x.sync_id = s.sync_id),
  ${percentileColumns('p', PROJECT_KEY, 'duration_ms', 'durations')},
  ${percentileColumns('p', PROJECT_KEY, 'latency_p95_ms', 'latencies')},
  totals AS MATERIALIZED (
    SELECT ${PROJECT_KEY}, MIN(day) AS day, MIN(day_end) AS day_end, MAX(instance_name) AS instance_name, COUNT(*) AS runs,
           COUNT(*) FILTER (WHERE status = 'completed') AS completed, COUNT(*) FILTER (WHERE status = 'failed') AS failed,
           COUNT(*) FILTER (WHERE status = 'stopped') AS stopped, COUNT(*) FILTER (WHERE status = 'interrupted') AS interrupted,
           SUM(issues_processed) AS processed, SUM(issues_created) AS created, SUM(issues_updated) AS updated,
           SUM(issues_unchanged) AS unchanged, SUM(issues_deleted) AS deleted, COUNT(duration_ms) AS duration_count,
           COALESCE(SUM(duration_ms), 0) AS duration_total, SUM(api_calls) AS calls, SUM(retries) AS retries,
           SUM(rate_limited) AS limited, MAX(latency_max_ms) AS latency_max, SUM(pages) AS pages,
           MAX(CASE WHEN status = 'completed' THEN completed_at END) AS last_success
    FROM p GROUP BY ${PROJECT_KEY})
  SELECT t.day_start, t.day, t.day_end, t.instance_id, t.instance_name, t.project_key, t.runs, t.completed, t.failed, t.stopped,
         t.interrupted, t.processed AS issues_processed, t.created AS issues_created, t.updated AS issues_updated,
         t.unchanged AS issues_unchanged, t.deleted AS issues_deleted, t.duration_count, t.duration_total AS duration_total_ms,
         durations.p50 AS duration_p50_ms, durations.p95 AS duration_p95_ms, durations.pmax AS duration_max_ms,
         t.calls AS api_calls, t.retries, t.limited AS rate_limited, latencies.p95 AS latency_p95_ms,
         t.latency_max AS latency_max_ms, t.pages, t.last_success AS last_success_at
  FROM totals t
  LEFT JOIN durations USING (${PROJECT_KEY}) LEFT JOIN latencies USING (${PROJECT_KEY})`;

export const FAILURE_COLUMNS = `day_start, level, instance_id, instance_name, project_key, category, failures`;
export const FAILURE_SELECT = `
  SELECT d.day_start, 'run' AS level, '' AS instance_id, '' AS instance_name, '' AS project_key, s.error_category AS category,
         COUNT(*) AS failures
  FROM temp.summary_days d CROSS JOIN sync_runs s
  WHERE s.started_at >= d.day_start AND s.started_at < d.day_end AND s.status IN ('failed', 'partial') AND s.error_category IS NOT NULL
  GROUP BY d.day_start, s.error_category
  UNION ALL
  SELECT d.day_start, 'project', x.instance_id, MAX(x.instance_name), x.project_key, x.error_category, COUNT(*)
  FROM temp.summary_days d CROSS JOIN sync_runs s CROSS JOIN sync_project_details x
  WHERE s.started_at >= d.day_start AND s.started_at < d.day_end AND x.sync_id = s.sync_id
    AND x.status = 'failed' AND x.error_category IS NOT NULL
  GROUP BY d.day_start, x.instance_id, x.project_key, x.error_category`;

export const BUCKET_SELECT = `
  SELECT day_start, le_ms, COUNT(*) FROM (
    SELECT d.day_start, ${durationBucket('s.duration_ms')} AS le_ms
    FROM temp.summary_days d CROSS JOIN sync_runs s
    WHERE s.started_at >= d.day_start AND s.started_at < d.day_end AND s.status <> 'running' AND s.duration_ms IS NOT NULL) b
  WHERE le_ms IS NOT NULL GROUP BY day_start, le_ms`;

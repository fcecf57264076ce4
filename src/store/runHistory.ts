/**
 * Reads over the recorded runs: the history page (filtered, sorted), its CSV rows, the statistics
 * summary, daily trends and the latest failures. Every count, rate and percentile is computed by
 * SQL over all matching rows (standard SQL with window functions; day arithmetic is SQLite's
 * `date()`, the one dialect-specific piece a PostgreSQL store would swap).
 */
import type {
  Dashboard,
  HistoryPage,
  HistoryQuery,
  Run,
  RunFilter,
  RunSortKey,
  RunStatus,
  SortOrder,
  StatsSummary,
  TrendPoint,
} from '../shared/model.ts';
import { RUN_STATUSES } from '../shared/model.ts';
import { nowIso, type Store } from './db.ts';
import { summarizedRunDays } from './summaries.ts';

/** A run row selected straight into the contract's shape. */
const RUN_COLUMNS = `r.sync_id AS id, r.status, r.initiated_by AS initiatedBy, r.started_at AS startedAt,
  r.completed_at AS completedAt, r.duration_ms AS durationMs, r.total_projects AS totalProjects,
  r.successful_projects AS successfulProjects, r.failed_projects AS failedProjects, r.total_issues AS totalIssues,
  r.issues_created AS issuesCreated, r.issues_updated AS issuesUpdated, r.issues_unchanged AS issuesUnchanged,
  r.issues_deleted AS issuesDeleted, r.error_message AS errorMessage, r.error_category AS errorCategory`;

const SORT_COLUMNS: Record<RunSortKey, string> = {
  startedAt: 'r.started_at',
  status: 'r.status',
  durationMs: 'r.duration_ms',
  totalIssues: 'r.total_issues',
  totalProjects: 'r.total_projects',
};

interface Where {
  sql: string;
  params: Record<string, unknown>;
}

/** The WHERE clause for a run filter over `sync_runs r`. */
export function runFilterWhere(filter: RunFilter): Where {
  const conditions: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.status) {
    conditions.push('r.status = @status');
    params.status = filter.status;
  }
  if (filter.from) {
    conditions.push('r.started_at >= @from');
    params.from = new Date(filter.from).toISOString();
  }
  if (filter.to) {
    conditions.push('r.started_at <= @to');
    params.to = new Date(filter.to).toISOString();
  }
  if (filter.instance) {
    conditions.push('EXISTS (SELECT 1 FROM sync_run_instances ri WHERE ri.sync_id = r.sync_id AND ri.instance_name = @instance)');
    params.instance = filter.instance;
  }
  if (filter.initiatedBy) {
    conditions.push('r.initiated_by = @initiatedBy');
    params.initiatedBy = filter.initiatedBy;
  }
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

function orderBy(sort: RunSortKey = 'startedAt', order: SortOrder = 'desc'): string {
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  // Runs without a duration yet (running) sort last whichever way; ties fall back to newest first.
  const nullsLast = sort === 'durationMs' ? `${SORT_COLUMNS[sort]} IS NULL, ` : '';
  return `ORDER BY ${nullsLast}${SORT_COLUMNS[sort]} ${direction}, r.started_at DESC, r.sync_id DESC`;
}

/** One page of runs; `total` counts every matching run, whatever the page size. */
export function getSyncHistory(store: Store, query: HistoryQuery = {}): HistoryPage {
  const where = runFilterWhere(query);
  const rows = store
    .statement(`SELECT ${RUN_COLUMNS} FROM sync_runs r ${where.sql} ${orderBy(query.sort, query.order)} LIMIT @limit OFFSET @offset`)
    .all({ ...where.params, limit: query.limit ?? 50, offset: query.offset ?? 0 }) as Run[];
  const { n } = store.statement(`SELECT COUNT(*) AS n FROM sync_runs r ${where.sql}`).get(where.params) as { n: number };
  return { rows, total: n };
}

/** Every matching run, one at a time (constant memory for any history size): the CSV export. */
export function iterateRuns(store: Store, query: RunFilter & { sort?: RunSortKey; order?: SortOrder }): IterableIterator<Run> {
  const where = runFilterWhere(query);
  return store
    .statement(`SELECT ${RUN_COLUMNS} FROM sync_runs r ${where.sql} ${orderBy(query.sort, query.order)}`)
    .iterate(where.params) as IterableIterator<Run>;
}

function emptyByStatus(): Record<RunStatus, number> {
  return Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
}

/** Exact over any number of runs: all aggregation happens in SQL. The window is the last `days` × 24 h. */
export function getStatsSummary(store: Store, days: number, nowMs: number = Date.now()): StatsSummary {
  return getStatsSince(store, nowIso(nowMs - days * 86_400_000), days);
}

/** The same summary over the runs started at or after `since` (the dashboard passes a midnight of the user's). */
export function getStatsSince(store: Store, since: string, days: number): StatsSummary {
  const byStatus = emptyByStatus();
  for (const row of store
    .statement(`SELECT status, COUNT(*) AS n FROM sync_runs WHERE started_at >= ? GROUP BY status`)
    .all(since) as Array<{ status: RunStatus; n: number }>) {
    byStatus[row.status] = row.n;
  }
  const totals = store
    .statement(
      `SELECT COUNT(*) AS runs, AVG(duration_ms) AS avgDuration,
              COALESCE(SUM(total_issues), 0) AS issues, COALESCE(SUM(issues_created), 0) AS created,
              COALESCE(SUM(issues_updated), 0) AS updated
       FROM sync_runs WHERE started_at >= ?`,
    )
    .get(since) as { runs: number; avgDuration: number | null; issues: number; created: number; updated: number };
  // Nearest-rank percentiles over finished runs, computed with window functions.
  const percentiles = store
    .statement(
      `WITH d AS (SELECT duration_ms, ROW_NUMBER() OVER (ORDER BY duration_ms) AS rn, COUNT(*) OVER () AS n
                  FROM sync_runs WHERE started_at >= ? AND duration_ms IS NOT NULL)
       SELECT MIN(CASE WHEN rn >= 0.5 * n THEN duration_ms END) AS p50,
              MIN(CASE WHEN rn >= 0.95 * n THEN duration_ms END) AS p95 FROM d`,
    )
    .get(since) as { p50: number | null; p95: number | null };
  const finished = totals.runs - byStatus.running;
  return {
    days,
    totalRuns: totals.runs,
    byStatus,
    successRate: finished > 0 ? byStatus.completed / finished : null,
    avgDurationMs: totals.avgDuration === null ? null : Math.round(totals.avgDuration),
    p50DurationMs: percentiles.p50,
    p95DurationMs: percentiles.p95,
    totalIssues: totals.issues,
    issuesCreated: totals.created,
    issuesUpdated: totals.updated,
    lastRun: latestRun(store, since),
  };
}

/** The newest run (started at or after `since`, when given). */
export function latestRun(store: Store, since?: string): Run | null {
  const row = store
    .statement(`SELECT ${RUN_COLUMNS} FROM sync_runs r WHERE r.started_at >= @since ORDER BY r.started_at DESC LIMIT 1`)
    .get({ since: since ?? '' }) as Run | undefined;
  return row ?? null;
}

/** The newest runs that failed, partly failed or were interrupted. */
export function getRecentFailures(store: Store, limit: number): Run[] {
  return store
    .statement(
      `SELECT ${RUN_COLUMNS} FROM sync_runs r WHERE r.status IN ('failed', 'partial', 'interrupted')
       ORDER BY r.started_at DESC LIMIT @limit`,
    )
    .all({ limit }) as Run[];
}

export interface TrendQuery extends RunFilter {
  from: string;
  to: string;
  /** The user's offset from UTC in minutes (east positive): runs are grouped by the user's days. */
  utcOffsetMinutes: number;
}

const STATUS_COUNTS = RUN_STATUSES.map((s) => `COUNT(*) FILTER (WHERE status = '${s}') AS "${s}"`).join(', ');

/**
 * One row per day from `from` to `to` (days without runs included, with zero runs), in SQL: counts
 * by status, success rate, average duration, issues, and the nearest-rank p95 of the day's
 * per-project API latency p95s.
 */
export function getRunTrends(store: Store, query: TrendQuery): TrendPoint[] {
  const where = runFilterWhere(query);
  const shift = `${query.utcOffsetMinutes >= 0 ? '+' : ''}${query.utcOffsetMinutes} minutes`;
  const rows = store
    .statement(
      `WITH RECURSIVE days(day) AS (
         SELECT date(@rangeFrom, @shift) UNION ALL SELECT date(day, '+1 day') FROM days WHERE day < date(@rangeTo, @shift)),
       selected AS (
         SELECT r.sync_id, date(r.started_at, @shift) AS day, r.status, r.duration_ms, r.total_issues
         FROM sync_runs r ${where.sql ? `${where.sql} AND` : 'WHERE'} r.started_at >= @rangeFrom AND r.started_at <= @rangeTo),
       per_day AS (
         SELECT day, COUNT(*) AS runs, ${STATUS_COUNTS}, AVG(duration_ms) AS avgDurationMs, SUM(total_issues) AS issues
         FROM selected GROUP BY day),
       latencies AS (
         SELECT s.day, d.latency_p95_ms AS value,
                ROW_NUMBER() OVER (PARTITION BY s.day ORDER BY d.latency_p95_ms) AS rn, COUNT(*) OVER (PARTITION BY s.day) AS n
         FROM selected s JOIN sync_project_details d ON d.sync_id = s.sync_id WHERE d.latency_p95_ms IS NOT NULL),
       latency AS (SELECT day, MIN(CASE WHEN rn >= 0.95 * n THEN value END) AS p95 FROM latencies GROUP BY day)
       SELECT days.day, COALESCE(p.runs, 0) AS runs, ${RUN_STATUSES.map((s) => `COALESCE(p."${s}", 0) AS "${s}"`).join(', ')},
              p.avgDurationMs, COALESCE(p.issues, 0) AS issues, latency.p95 AS apiLatencyP95Ms
       FROM days LEFT JOIN per_day p ON p.day = days.day LEFT JOIN latency ON latency.day = days.day
       ORDER BY days.day`,
    )
    .all({
      ...where.params,
      rangeFrom: new Date(query.from).toISOString(),
      rangeTo: new Date(query.to).toISOString(),
      shift,
    }) as Array<
    Record<RunStatus, number> & { day: string; runs: number; avgDurationMs: number | null; issues: number; apiLatencyP95Ms: number | null }
  >;
  return rows.map((row) => {
    const byStatus = emptyByStatus();
    for (const status of RUN_STATUSES) byStatus[status] = row[status];
    const finished = row.runs - byStatus.running;
    return {
      day: row.day,
      runs: row.runs,
      byStatus,
      successRate: finished > 0 ? byStatus.completed / finished : null,
      avgDurationMs: row.avgDurationMs === null ? null : Math.round(row.avgDurationMs),
      issues: row.issues,
      avgIssuesPerRun: row.runs > 0 ? row.issues / row.runs : null,
      apiLatencyP95Ms: row.apiLatencyP95Ms,
    };
  });
}

const DAY_MS = 86_400_000;
const DASHBOARD_FAILURES = 5;

/** The first instant of the user's day `days - 1` days before today (so "7 days" is today and the 6 before). */
export function localDaysStart(nowMs: number, days: number, utcOffsetMinutes: number): string {
  const offsetMs = utcOffsetMinutes * 60_000;
  const localMidnight = Math.floor((nowMs + offsetMs) / DAY_MS) * DAY_MS;
  return new Date(localMidnight - (days - 1) * DAY_MS - offsetMs).toISOString();
}

/** The dashboard: the summary over the user's last `days` days, its daily trends, the newest run and failures. */
export function getDashboard(store: Store, query: { days: number; utcOffsetMinutes: number; nowMs?: number }): Dashboard {
  const nowMs = query.nowMs ?? Date.now();
  const since = localDaysStart(nowMs, query.days, query.utcOffsetMinutes);
  return {
    summary: getStatsSince(store, since, query.days),
    lastRun: latestRun(store),
    trends: withSummarizedDays(
      store,
      getRunTrends(store, { from: since, to: new Date(nowMs).toISOString(), utcOffsetMinutes: query.utcOffsetMinutes }),
      query.utcOffsetMinutes,
    ),
    failures: getRecentFailures(store, DASHBOARD_FAILURES),
  };
}

/**
 * The dashboard's days that the daily summaries hold, read from them: retention prunes the details
 * (API latency) and later the runs of older days, and the summaries keep those days exact. A summary
 * is used only where its day is exactly the user's day (the same start and end instants: its zone's
 * offset was the user's that day); any other day stays as the rows say. Summaries and rows are the
 * same figures for a day nothing was pruned from, so the switch never shows.
 */
function withSummarizedDays(store: Store, trends: TrendPoint[], utcOffsetMinutes: number): TrendPoint[] {
  if (trends.length === 0) return trends;
  const startOf = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) - utcOffsetMinutes * 60_000).toISOString();
  const days = new Map(summarizedRunDays(store, startOf(trends[0]!.day), startOf(trends.at(-1)!.day)).map((d) => [d.dayStart, d]));
  return trends.map((point) => {
    const start = startOf(point.day);
    const summary = days.get(start);
    if (!summary || Date.parse(summary.dayEnd) - Date.parse(start) !== DAY_MS) return point;
    // A day is summarized only once no run started in it is still running.
    const byStatus = { ...summary.byStatus, running: 0 };
    return {
      day: point.day,
      runs: summary.runs,
      byStatus,
      successRate: summary.runs > 0 ? byStatus.completed / summary.runs : null,
      avgDurationMs: summary.durationCount > 0 ? Math.round(summary.durationTotalMs / summary.durationCount) : null,
      issues: summary.issuesProcessed,
      avgIssuesPerRun: summary.runs > 0 ? summary.issuesProcessed / summary.runs : null,
      apiLatencyP95Ms: summary.latencyP95Ms,
    };
  });
}

/**
 * Daily summaries: each finished local day of the history rolled up, in SQL, into one row for the
 * runs, one per project, failures by category and the duration histogram. Every day is summarized
 * as soon as it is over and no run started in it is still running — long before retention prunes
 * its rows — so a trend reads the same figures before and after pruning: summarized days from the
 * summaries, the days since from the rows themselves, through the very same SELECTs (`summarySelects.ts`).
 */
import type { ErrorCategory, RunStatus } from '../shared/model.ts';
import { RUN_STATUSES } from '../shared/model.ts';
import type { DailySummary, ProjectDay } from '../shared/operations.ts';
import { dayWindows, resolveTimeZone, startOfLocalDay, type DayWindow } from '../shared/timeZone.ts';
import type { Store } from './db.ts';
import {
  BUCKET_SELECT,
  FAILURE_COLUMNS,
  FAILURE_SELECT,
  fillDays,
  PROJECT_DAY_COLUMNS,
  PROJECT_DAY_SELECT,
  RUN_DAY_COLUMNS,
  RUN_DAY_SELECT,
} from './summarySelects.ts';

export interface RetentionState {
  summarizedUntil: string | null;
  timeZone: string;
  lastAppliedAt: string | null;
}

export function getRetentionState(store: Store): RetentionState | null {
  return (
    (store
      .statement(
        `SELECT summarized_until AS summarizedUntil, time_zone AS timeZone, last_applied_at AS lastAppliedAt FROM retention_state WHERE id = 1`,
      )
      .get() as RetentionState | undefined) ?? null
  );
}

/** The zone of the summaries: the one they were started in, unless the policy names another. */
export function summaryTimeZone(store: Store, policyZone: string): string {
  if (policyZone !== 'system') return policyZone;
  return getRetentionState(store)?.timeZone ?? resolveTimeZone('system');
}

export interface SummarizePlan {
  timeZone: string;
  windows: DayWindow[];
  /** The new `summarized_until` (unchanged when there is nothing to summarize). */
  until: string | null;
}

/**
 * The days that can be summarized now: from the current watermark (or the first run's day) to
 * today's start, stopping at the day of the oldest run still running (its day is not over yet).
 */
export function planSummaries(store: Store, policyZone: string, nowMs: number): SummarizePlan {
  const zone = summaryTimeZone(store, policyZone);
  const state = getRetentionState(store);
  const bounds = store
    .statement(
      `SELECT MIN(started_at) AS first, (SELECT MIN(started_at) FROM sync_runs WHERE status = 'running') AS oldestRunning FROM sync_runs`,
    )
    .get() as { first: string | null; oldestRunning: string | null };
  const from = state?.summarizedUntil
    ? Date.parse(state.summarizedUntil)
    : bounds.first
      ? startOfLocalDay(Date.parse(bounds.first), zone)
      : null;
  if (from === null) return { timeZone: zone, windows: [], until: state?.summarizedUntil ?? null };
  let limit = startOfLocalDay(nowMs, zone);
  if (bounds.oldestRunning) limit = Math.min(limit, startOfLocalDay(Date.parse(bounds.oldestRunning), zone));
  const windows = limit > from ? dayWindows(from, limit, zone, { alignStart: false, endExclusive: true }) : [];
  return { timeZone: zone, windows, until: windows.length > 0 ? windows.at(-1)!.endsAt : (state?.summarizedUntil ?? null) };
}

/**
 * Writes the summaries of the next `maxDays` plannable days and moves the watermark, in one
 * immediate transaction (a first pass over a long history goes a month at a time).
 */
export function writeSummaries(store: Store, policyZone: string, nowMs: number, maxDays = 31): SummarizePlan {
  return store.sqlite
    .transaction(() => {
      // Planned inside the write lock: two processes applying at once summarize each day once.
      const planned = planSummaries(store, policyZone, nowMs);
      const windows = planned.windows.slice(0, maxDays);
      const plan = { ...planned, windows, until: windows.length > 0 ? windows.at(-1)!.endsAt : planned.until };
      if (plan.windows.length > 0) {
        fillDays(store, plan.windows);
        store.sqlite.exec(`INSERT INTO daily_run_summaries (${RUN_DAY_COLUMNS}) ${RUN_DAY_SELECT}`);
        store.sqlite.exec(`INSERT INTO daily_project_summaries (${PROJECT_DAY_COLUMNS}) ${PROJECT_DAY_SELECT}`);
        store.sqlite.exec(`INSERT INTO daily_failure_summaries (${FAILURE_COLUMNS}) ${FAILURE_SELECT}`);
        store.sqlite.exec(`INSERT INTO daily_duration_buckets (day_start, le_ms, runs) ${BUCKET_SELECT}`);
      }
      store
        .statement(
          `INSERT INTO retention_state (id, summarized_until, time_zone, last_applied_at) VALUES (1, @until, @zone, @now)
         ON CONFLICT (id) DO UPDATE SET summarized_until = excluded.summarized_until, time_zone = excluded.time_zone,
           last_applied_at = excluded.last_applied_at`,
        )
        .run({ until: plan.until, zone: plan.timeZone, now: new Date(nowMs).toISOString() });
      return plan;
    })
    .immediate();
}

type RunDayRow = {
  day_start: string;
  day: string;
  day_end: string;
  runs: number;
  completed: number;
  partial: number;
  failed: number;
  stopped: number;
  interrupted: number;
  issues_processed: number;
  issues_created: number;
  issues_updated: number;
  issues_unchanged: number;
  issues_deleted: number;
  duration_count: number;
  duration_total_ms: number;
  duration_p50_ms: number | null;
  duration_p95_ms: number | null;
  duration_max_ms: number | null;
  api_calls: number;
  retries: number;
  rate_limited: number;
  latency_p95_ms: number | null;
  latency_max_ms: number | null;
  database_bytes: number | null;
  mirrored_issues: number | null;
};

/** Rows of a day SELECT over the given windows (the days not summarized yet). */
function liveRows<T>(store: Store, select: string, windows: DayWindow[]): T[] {
  if (windows.length === 0) return [];
  fillDays(store, windows);
  return store.sqlite.prepare(select).all() as T[];
}

/** Stored summary rows of `table` whose day lies within the windows (consecutive). */
function storedRows<T>(store: Store, table: string, columns: string, windows: DayWindow[], where = ''): T[] {
  if (windows.length === 0) return [];
  return store
    .statement(`SELECT ${columns} FROM ${table} WHERE ${where} day_start >= ? AND day_start < ?`)
    .all(windows[0]!.startsAt, windows.at(-1)!.endsAt) as T[];
}

function failuresOf(store: Store, level: 'run' | 'project', summarized: DayWindow[], live: DayWindow[]): FailureRow[] {
  return [
    ...storedRows<FailureRow>(store, 'daily_failure_summaries', FAILURE_COLUMNS, summarized, `level = '${level}' AND`),
    ...liveRows<FailureRow & { level: string }>(store, FAILURE_SELECT, live).filter((row) => row.level === level),
  ];
}

interface FailureRow {
  day_start: string;
  instance_id: string;
  project_key: string;
  category: ErrorCategory;
  failures: number;
}

/** Splits the local days covering `[fromMs, toMs]` into those the summaries hold and those read from rows. */
function splitWindows(store: Store, policyZone: string, fromMs: number, toMs: number) {
  const zone = summaryTimeZone(store, policyZone);
  const until = getRetentionState(store)?.summarizedUntil ?? null;
  const windows = dayWindows(fromMs, toMs, zone);
  const summarized = until === null ? [] : windows.filter((w) => w.endsAt <= until);
  const live = until === null ? windows : windows.filter((w) => w.endsAt > until);
  return { zone, windows, summarized, live };
}

/** A stored day of `daily_run_summaries` with what the dashboard's trend points need. */
export interface SummarizedRunDay {
  dayStart: string;
  dayEnd: string;
  runs: number;
  byStatus: Record<Exclude<RunStatus, 'running'>, number>;
  issuesProcessed: number;
  durationCount: number;
  durationTotalMs: number;
  latencyP95Ms: number | null;
}

/** The summarized days starting within `[fromStart, toStart]` (instants), by their start. */
export function summarizedRunDays(store: Store, fromStart: string, toStart: string): SummarizedRunDay[] {
  const rows = store
    .statement(
      `SELECT day_start, day_end, runs, completed, partial, failed, stopped, interrupted, issues_processed, duration_count,
              duration_total_ms, latency_p95_ms
       FROM daily_run_summaries WHERE day_start >= ? AND day_start <= ? ORDER BY day_start`,
    )
    .all(fromStart, toStart) as RunDayRow[];
  return rows.map((row) => ({
    dayStart: row.day_start,
    dayEnd: row.day_end,
    runs: row.runs,
    byStatus: { completed: row.completed, partial: row.partial, failed: row.failed, stopped: row.stopped, interrupted: row.interrupted },
    issuesProcessed: row.issues_processed,
    durationCount: row.duration_count,
    durationTotalMs: row.duration_total_ms,
    latencyP95Ms: row.latency_p95_ms,
  }));
}

/**
 * One entry per local day covering `[from, to]` (days without runs included, with zero runs), exact
 * whether the day's rows were pruned or not.
 */
export function getDailySummaries(store: Store, policyZone: string, from: string, to: string): DailySummary[] {
  const { windows, summarized, live } = splitWindows(store, policyZone, Date.parse(from), Date.parse(to));
  const rows = new Map(
    [
      ...storedRows<RunDayRow>(store, 'daily_run_summaries', RUN_DAY_COLUMNS, summarized),
      ...liveRows<RunDayRow>(store, RUN_DAY_SELECT, live),
    ].map((row) => [row.day_start, row]),
  );
  const failures = new Map<string, Partial<Record<ErrorCategory, number>>>();
  for (const f of failuresOf(store, 'run', summarized, live)) {
    failures.set(f.day_start, { ...failures.get(f.day_start), [f.category]: f.failures });
  }
  const summarizedStarts = new Set(summarized.map((w) => w.startsAt));
  return windows.map((w) => toDailySummary(w, rows.get(w.startsAt), failures.get(w.startsAt) ?? {}, summarizedStarts.has(w.startsAt)));
}

function toDailySummary(
  w: DayWindow,
  row: RunDayRow | undefined,
  failures: Partial<Record<ErrorCategory, number>>,
  summarized: boolean,
): DailySummary {
  const byStatus = Object.fromEntries(RUN_STATUSES.map((s) => [s, 0])) as Record<RunStatus, number>;
  const finishedStatuses = ['completed', 'partial', 'failed', 'stopped', 'interrupted'] as const;
  for (const status of finishedStatuses) byStatus[status] = row?.[status] ?? 0;
  const runs = row?.runs ?? 0;
  const finished = finishedStatuses.reduce((n, status) => n + byStatus[status], 0);
  byStatus.running = runs - finished;
  return {
    day: w.day,
    startsAt: w.startsAt,
    endsAt: w.endsAt,
    source: summarized ? 'summary' : 'rows',
    runs,
    byStatus,
    successRate: finished > 0 ? byStatus.completed / finished : null,
    issuesProcessed: row?.issues_processed ?? 0,
    issuesCreated: row?.issues_created ?? 0,
    issuesUpdated: row?.issues_updated ?? 0,
    issuesUnchanged: row?.issues_unchanged ?? 0,
    issuesDeleted: row?.issues_deleted ?? 0,
    avgDurationMs: row && row.duration_count > 0 ? Math.round(row.duration_total_ms / row.duration_count) : null,
    p50DurationMs: row?.duration_p50_ms ?? null,
    p95DurationMs: row?.duration_p95_ms ?? null,
    maxDurationMs: row?.duration_max_ms ?? null,
    apiCalls: row?.api_calls ?? 0,
    retries: row?.retries ?? 0,
    rateLimited: row?.rate_limited ?? 0,
    apiLatencyP95Ms: row?.latency_p95_ms ?? null,
    failuresByCategory: failures,
    databaseBytes: row?.database_bytes ?? null,
    mirroredIssues: row?.mirrored_issues ?? null,
  };
}

interface ProjectDayRow {
  day_start: string;
  day: string;
  instance_id: string;
  instance_name: string;
  project_key: string;
  runs: number;
  completed: number;
  failed: number;
  issues_processed: number;
  issues_created: number;
  issues_updated: number;
  issues_deleted: number;
  retries: number;
  rate_limited: number;
  duration_p95_ms: number | null;
  latency_p95_ms: number | null;
  last_success_at: string | null;
}

/** Every project's days covering `[from, to]` that have runs, summarized or live, by day, instance and project. */
export function getProjectDays(store: Store, policyZone: string, from: string, to: string): ProjectDay[] {
  const { summarized, live } = splitWindows(store, policyZone, Date.parse(from), Date.parse(to));
  const rows = [
    ...storedRows<ProjectDayRow>(store, 'daily_project_summaries', PROJECT_DAY_COLUMNS, summarized),
    ...liveRows<ProjectDayRow>(store, PROJECT_DAY_SELECT, live),
  ];
  const failures = new Map<string, Partial<Record<ErrorCategory, number>>>();
  const keyOf = (row: { day_start: string; instance_id: string; project_key: string }) =>
    `${row.day_start}|${row.instance_id}|${row.project_key}`;
  for (const f of failuresOf(store, 'project', summarized, live))
    failures.set(keyOf(f), { ...failures.get(keyOf(f)), [f.category]: f.failures });
  return rows
    .sort(
      (a, b) =>
        a.day_start.localeCompare(b.day_start) ||
        a.instance_name.localeCompare(b.instance_name) ||
        a.project_key.localeCompare(b.project_key),
    )
    .map((row) => ({
      day: row.day,
      instance: row.instance_name,
      projectKey: row.project_key,
      runs: row.runs,
      completed: row.completed,
      failed: row.failed,
      issuesProcessed: row.issues_processed,
      issuesCreated: row.issues_created,
      issuesUpdated: row.issues_updated,
      issuesDeleted: row.issues_deleted,
      retries: row.retries,
      rateLimited: row.rate_limited,
      p95DurationMs: row.duration_p95_ms,
      apiLatencyP95Ms: row.latency_p95_ms,
      lastSuccessAt: row.last_success_at,
      failuresByCategory: failures.get(keyOf(row)) ?? {},
    }));
}

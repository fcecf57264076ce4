/**
 * The cells behind the analytics over long periods. A period of ten years holds hundreds of
 * thousands of project syncs; reading each one for every answer costs seconds. So each UTC month,
 * once over and no sync started in it runs any more, is summed into cells — per instance, project,
 * UTC quarter hour of the week and outcome — and each year's months, once its December is written,
 * into year cells. An answer reads the whole years of its period from year cells, the other whole
 * months from month cells and only the partial months at its ends from the syncs, through the very
 * same column list (`scopeCells`): sums of integers, so every road gives the same figures.
 *
 * A quarter hour of the week (not an hour) keeps the user's hours exact for every UTC offset, all
 * of which are whole quarter hours. The cells follow retention: a period is clamped to the oldest
 * project sync still held, so a month retention pruned (even in part) is never read from its cells.
 */
import { measuredIncremental, SLOTS_PER_WEEK, type ScopeParams } from './analyticsScope.ts';
import type { Store } from './db.ts';

/** 1970-01-01 00:00 UTC, a Thursday, in quarter hours from Sunday 00:00. */
const EPOCH_SLOT = 4 * 96;
/** A month is written once it ended this long ago (and no run that started before its end still runs). */
const SEAL_MARGIN_MS = 86_400_000;
/** Months with syncs written per call, so catching up on a long history spreads over a few runs. */
export const MONTHS_PER_CALL = 12;

const COMPLETED_WITH_ISSUES = `d.status = 'completed' AND d.issues_processed > 0`;

/** What one project sync puts into its cell, summed (or, for the last success, maximized) over the cell's syncs. */
const CELL_COLUMNS = {
  instance_id: { row: 'd.instance_id', key: true },
  instance_name: { row: 'd.instance_name', key: true },
  project_key: { row: 'd.project_key', key: true },
  // Whole seconds since the epoch, in quarter hours, from the epoch's slot.
  slot: { row: `(CAST(strftime('%s', d.started_at) AS INTEGER) / 900 + ${EPOCH_SLOT}) % ${SLOTS_PER_WEEK}`, key: true },
  status: { row: 'd.status', key: true },
  error_category: { row: 'd.error_category', key: true },
  syncs: { row: '1', sum: 'SUM' },
  api_calls: { row: 'd.api_calls', sum: 'SUM' },
  retries: { row: 'd.retries', sum: 'SUM' },
  rate_limited: { row: 'd.rate_limited', sum: 'SUM' },
  latency_weighted: { row: 'd.latency_p50_ms * d.pages', sum: 'SUM' },
  latency_pages: { row: 'CASE WHEN d.latency_p50_ms IS NOT NULL THEN d.pages END', sum: 'SUM' },
  done_ms: { row: `CASE WHEN ${COMPLETED_WITH_ISSUES} THEN d.duration_ms END`, sum: 'SUM' },
  done_issues: { row: `CASE WHEN ${COMPLETED_WITH_ISSUES} AND d.duration_ms IS NOT NULL THEN d.issues_processed END`, sum: 'SUM' },
  incremental_ms: { row: `CASE WHEN ${measuredIncremental('d')} THEN d.duration_ms END`, sum: 'SUM' },
  incremental_issues: { row: `CASE WHEN ${measuredIncremental('d')} THEN d.issues_processed END`, sum: 'SUM' },
  last_success_at: { row: `CASE WHEN d.status = 'completed' THEN d.completed_at END`, sum: 'MAX' },
} as const satisfies Record<string, { row: string; key?: true; sum?: 'SUM' | 'MAX' }>;

/** A cell's hour of the week in the user's offset: weekday (0 = Sunday) × 24 + hour (a bound number is a REAL: cast for integer division). */
export const LOCAL_HOUR_OF_WEEK = `(((slot + CAST(@slotShift AS INTEGER)) % ${SLOTS_PER_WEEK}) / 4)`;

export type CellColumn = keyof typeof CELL_COLUMNS;
const NAMES = Object.keys(CELL_COLUMNS) as CellColumn[];
const KEYS = NAMES.filter((name) => 'key' in CELL_COLUMNS[name]);

const OUTCOME = `d.status IN ('completed', 'failed')`;
const FILTER = (t: string) => `(@instance IS NULL OR ${t}.instance_name = @instance) AND (@project IS NULL OR ${t}.project_key = @project)`;

/** The period's parameters plus its whole months read from cells, `[cellsFrom, cellsTo)`, the whole years among them `[yearsFrom, yearsTo)`. */
export interface CellScope extends ScopeParams {
  cellsFrom: string;
  cellsTo: string;
  yearsFrom: string;
  yearsTo: string;
}

/**
 * The period's cells with `columns`: one row per stored cell of its whole years and months, one
 * per project sync of the rest. Callers aggregate them (SUM, or MAX for `last_success_at`);
 * parameters from `cellScope`.
 */
export function scopeCells(columns: CellColumn[]): string {
  const stored = (period: 'month' | 'year', from: string, to: string) =>
    `SELECT ${columns.map((c) => `c.${c}`).join(', ')} FROM analytics_cells c
     WHERE c.period = '${period}' AND c.period_start >= @${from} AND c.period_start < @${to} AND ${FILTER('c')}`;
  const raw = (from: string, to: string) =>
    `SELECT ${columns.map((c) => `${CELL_COLUMNS[c].row} AS ${c}`).join(', ')} FROM sync_project_details d
     WHERE d.started_at >= @${from} AND d.started_at < @${to} AND ${FILTER('d')} AND ${OUTCOME}`;
  return [
    stored('year', 'yearsFrom', 'yearsTo'),
    stored('month', 'cellsFrom', 'yearsFrom'),
    stored('month', 'yearsTo', 'cellsTo'),
    raw('from', 'cellsFrom'),
    raw('cellsTo', 'to'),
  ].join('\n   UNION ALL ');
}

export const monthStart = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};
const yearStart = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);
const nextYear = (ms: number) => Date.UTC(new Date(ms).getUTCFullYear() + 1, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

interface CellBounds {
  oldest: string | null;
  until: string | null;
}

const bounds = (store: Store) =>
  store
    .statement(
      `SELECT (SELECT MIN(started_at) FROM sync_project_details) AS oldest,
              (SELECT cells_until FROM analytics_cells_state WHERE id = 1) AS until`,
    )
    .get() as CellBounds;

/** The whole months (and years) of the period that cells hold in full: after the oldest sync still held, before the cells' end. */
export function cellScope(store: Store, p: ScopeParams): CellScope {
  const { oldest, until } = bounds(store);
  const none = { ...p, cellsFrom: p.to, cellsTo: p.to, yearsFrom: p.to, yearsTo: p.to };
  if (oldest === null || until === null) return none;
  const lower = Math.max(Date.parse(p.from), Date.parse(oldest));
  const from = monthStart(lower) === lower ? lower : nextMonth(lower);
  const to = Math.min(monthStart(Date.parse(p.to)), Date.parse(until));
  if (from >= to) return none;
  const yearsFrom = yearStart(from) === from ? from : nextYear(from);
  const yearsTo = yearStart(to);
  return yearsFrom < yearsTo
    ? { ...p, cellsFrom: iso(from), cellsTo: iso(to), yearsFrom: iso(yearsFrom), yearsTo: iso(yearsTo) }
    : { ...p, cellsFrom: iso(from), cellsTo: iso(to), yearsFrom: iso(to), yearsTo: iso(to) };
}

/**
 * Writes the cells of the months that are over (by SEAL_MARGIN_MS) and have no sync running, from
 * where the cells end (or the oldest project sync), at most `maxMonths` months with syncs, and a
 * year's cells with its December. Called in each run's finalize transaction; returns the months written.
 */
export function writeCells(store: Store, nowMs: number, maxMonths = MONTHS_PER_CALL): number {
  const { oldest, until } = bounds(store);
  if (until === null && oldest === null) return 0;
  const { running } = store.statement(`SELECT MIN(started_at) AS running FROM sync_runs WHERE status = 'running'`).get() as {
    running: string | null;
  };
  // A project sync starts no earlier than its run: months before the oldest running run are final.
  const limit = Math.min(nowMs - SEAL_MARGIN_MS, running === null ? Infinity : Date.parse(running));
  const aggregates = (of: (c: CellColumn) => string) =>
    NAMES.map((c) => {
      const column: { row: string; sum?: string } = CELL_COLUMNS[c];
      return column.sum ? `${column.sum}(${of(c)})` : of(c);
    }).join(', ');
  const insertMonth = store.statement(
    `INSERT INTO analytics_cells (period, period_start, ${NAMES.join(', ')})
     SELECT 'month', @month, ${aggregates((c) => CELL_COLUMNS[c].row)}
     FROM sync_project_details d WHERE d.started_at >= @month AND d.started_at < @end AND ${OUTCOME}
     GROUP BY ${KEYS.map((c) => CELL_COLUMNS[c].row).join(', ')}`,
  );
  const insertYear = store.statement(
    `INSERT INTO analytics_cells (period, period_start, ${NAMES.join(', ')})
     SELECT 'year', @year, ${aggregates((c) => c)}
     FROM analytics_cells WHERE period = 'month' AND period_start >= @year AND period_start < @end GROUP BY ${KEYS.join(', ')}`,
  );
  let month = until !== null ? Date.parse(until) : monthStart(Date.parse(oldest!));
  let written = 0;
  while (written < maxMonths && nextMonth(month) <= limit) {
    const end = nextMonth(month);
    if (insertMonth.run({ month: iso(month), end: iso(end) }).changes > 0) written += 1;
    if (yearStart(end) === end) insertYear.run({ year: iso(yearStart(month)), end: iso(end) });
    month = end;
  }
  if (until === null || Date.parse(until) !== month)
    store
      .statement(
        `INSERT INTO analytics_cells_state (id, cells_until) VALUES (1, @until) ON CONFLICT (id) DO UPDATE SET cells_until = excluded.cells_until`,
      )
      .run({ until: iso(month) });
  return written;
}

/** Drops the cells that start before the oldest project sync still held (retention pruned them, in part or whole: they are never read). */
export function pruneCells(store: Store): number {
  const { oldest } = bounds(store);
  if (oldest === null) return store.statement(`DELETE FROM analytics_cells`).run().changes;
  return store.statement(`DELETE FROM analytics_cells WHERE period_start < ?`).run(oldest).changes;
}

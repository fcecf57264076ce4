/**
 * The cells give the same answers as the syncs themselves: a generated history of 15 months (a
 * whole year 2025 in year cells, months around it in month cells, partial months from the rows)
 * is read once with its cells written and once without, for whole-history and shorter periods and
 * for offsets of whole, half and three-quarter hours; a whole-history answer is also checked
 * against a straightforward query of the syncs; retention's pruning keeps both equal; and the
 * cells follow what a run's finalize may seal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBestTime } from '../../src/analytics/bestTime.ts';
import { getFailurePatterns } from '../../src/analytics/failurePatterns.ts';
import { getHealth } from '../../src/analytics/health.ts';
import { predictDuration } from '../../src/analytics/prediction.ts';
import { DEFAULT_RETENTION_POLICY } from '../../src/shared/operations.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { cellScope, writeCells } from '../../src/store/analyticsCells.ts';
import { scopeParams } from '../../src/store/analyticsScope.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { applyRetention } from '../../src/store/retention.ts';
import { createRun, finalizeRun } from '../../src/store/runs.ts';
import { HOUR_MS, seedAnalyticsHistory } from '../helpers/analyticsHistory.ts';
import { tempDir } from '../helpers/tempDb.ts';

const START_MS = Date.UTC(2024, 11, 1);
const RUNS = 455 * 24;
const NOW_MS = START_MS + RUNS * HOUR_MS;
let temp: ReturnType<typeof tempDir>;
let withCells: Store;
let rowsOnly: Store;

const cellCounts = (store: Store) =>
  store.sqlite.prepare(`SELECT period, COUNT(DISTINCT period_start) AS periods FROM analytics_cells GROUP BY period ORDER BY period`).all();

function answers(store: Store, scope: { days: number; utcOffsetMinutes: number; project?: string }) {
  return {
    health: getHealth(store, scope, NOW_MS),
    failures: getFailurePatterns(store, scope, NOW_MS),
    bestTime: getBestTime(store, scope, NOW_MS),
    prediction: predictDuration(store, scope, NOW_MS, DEFAULT_PERFORMANCE_CONFIG),
  };
}

beforeAll(() => {
  temp = tempDir();
  withCells = openStore({ file: `${temp.dir}/cells.db` });
  rowsOnly = openStore({ file: `${temp.dir}/rows.db` });
  for (const store of [withCells, rowsOnly]) seedAnalyticsHistory(store, { runs: RUNS, startMs: START_MS });
  // 2024-12 … 2026-01 are over by more than a day; 2026-02 ends at NOW_MS and stays open.
  expect(writeCells(withCells, NOW_MS, Infinity)).toBe(14);
}, 60_000);

afterAll(() => {
  withCells.close();
  rowsOnly.close();
  temp.cleanup();
});

describe('cells', () => {
  it('hold each month once, and the year 2025 once its December is written', () => {
    expect(cellCounts(withCells)).toEqual([
      { period: 'month', periods: 14 },
      { period: 'year', periods: 2 },
    ]);
    expect(writeCells(withCells, NOW_MS, Infinity)).toBe(0);
    // The whole history: 2025 from its year cells, December 2024 and January 2026 from month cells, February from the syncs.
    expect(cellScope(withCells, scopeParams({ days: 3650, utcOffsetMinutes: 0 }, NOW_MS))).toMatchObject({
      yearsFrom: '2025-01-01T00:00:00.000Z',
      yearsTo: '2026-01-01T00:00:00.000Z',
      cellsFrom: '2024-12-01T00:00:00.000Z',
      cellsTo: '2026-02-01T00:00:00.000Z',
    });
  });

  it('give the same answers as the syncs, over the whole history and shorter periods, in any quarter-hour offset', () => {
    for (const scope of [
      { days: 3650, utcOffsetMinutes: 0 },
      { days: 3650, utcOffsetMinutes: 330 },
      { days: 400, utcOffsetMinutes: -345 },
      { days: 100, utcOffsetMinutes: 60, project: 'ALPHA' },
      { days: 30, utcOffsetMinutes: 0 },
    ]) {
      expect(answers(withCells, scope)).toEqual(answers(rowsOnly, scope));
    }
  });

  it('count the whole history as a plain query of the syncs does', () => {
    const reference = withCells.sqlite
      .prepare(
        `SELECT CAST(strftime('%w', started_at, '+330 minutes') AS INTEGER) AS weekday,
                CAST(strftime('%H', started_at, '+330 minutes') AS INTEGER) AS hour,
                COUNT(*) AS syncs, AVG(status = 'failed') AS failureRate,
                SUM(rate_limited) * 1.0 / SUM(api_calls) AS rateLimitShare,
                SUM(latency_p50_ms * pages) / SUM(pages) AS latencyMs
         FROM sync_project_details WHERE status IN ('completed', 'failed') GROUP BY 1, 2 ORDER BY 1, 2`,
      )
      .all();
    const best = getBestTime(withCells, { days: 3650, utcOffsetMinutes: 330 }, NOW_MS);
    expect(best.syncs).toBe(RUNS * 3);
    expect(
      best.buckets.map(({ weekday, hour, syncs, failureRate, rateLimitShare, latencyMs }) => ({
        weekday,
        hour,
        syncs,
        failureRate,
        rateLimitShare,
        latencyMs,
      })),
    ).toEqual(reference);
    const failures = getFailurePatterns(withCells, { days: 3650, utcOffsetMinutes: 0 }, NOW_MS);
    const { failed } = withCells.sqlite.prepare(`SELECT COUNT(*) AS failed FROM sync_project_details WHERE status = 'failed'`).get() as {
      failed: number;
    };
    expect(failures.projectFailures).toBe(failed);
    expect(failures.byHour.reduce((n, h) => n + h.failures, 0)).toBe(failed);
  });

  it('stay exact after retention prunes the syncs up to the middle of a month', async () => {
    // details_days 200 cuts at 2025-08-13: the cells of August 2025 and before, and of the year 2025, are dropped (never read again).
    const policy = { ...DEFAULT_RETENTION_POLICY, detailsDays: 200, runsDays: 3650, metricsDays: 200, timeZone: 'UTC' };
    await applyRetention(withCells, policy, { dryRun: false, nowMs: NOW_MS });
    await applyRetention(rowsOnly, policy, { dryRun: false, nowMs: NOW_MS });
    expect(cellCounts(withCells)).toEqual([{ period: 'month', periods: 5 }]);
    for (const scope of [
      { days: 3650, utcOffsetMinutes: 0 },
      { days: 200, utcOffsetMinutes: 90 },
    ]) {
      expect(answers(withCells, scope)).toEqual(answers(rowsOnly, scope));
    }
  });

  it('wait for a run started in a month to finish before writing the month; each finalize writes what is due', () => {
    const store = openStore({ file: `${temp.dir}/finalize.db` });
    seedAnalyticsHistory(store, { runs: 24 * 40, startMs: Date.UTC(2026, 0, 1) });
    // A run left running since January 31st holds January back, however late it is.
    const running = createRun(store, {
      id: 'run-left-running',
      initiatedBy: 'cli',
      performanceConfig: DEFAULT_PERFORMANCE_CONFIG,
      ownerPid: process.pid,
      ownerHost: 'test',
      startedAtMs: Date.UTC(2026, 0, 31, 12),
    });
    expect(writeCells(store, Date.UTC(2026, 2, 1))).toBe(0);
    expect(cellCounts(store)).toEqual([]);
    finalizeRun(store, running.id, { status: 'completed', completedAtMs: Date.UTC(2026, 2, 2) });
    // January and February: both over by a day, and nothing started in them runs.
    expect(cellCounts(store)).toEqual([{ period: 'month', periods: 2 }]);
    store.close();
  });
});

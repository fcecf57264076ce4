import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from '../../src/shared/operations.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { applyRetention, autoVacuumMode } from '../../src/store/retention.ts';
import { getDashboard, getRunTrends } from '../../src/store/runHistory.ts';
import { getDailySummaries, getProjectDays, getRetentionState } from '../../src/store/summaries.ts';
import { seedHistory } from '../helpers/seedHistory.ts';
import { tempDir } from '../helpers/tempDb.ts';

const HOUR = 3_600_000;
const POLICY: RetentionPolicy = { ...DEFAULT_RETENTION_POLICY, detailsDays: 30, metricsDays: 30, runsDays: 60, timeZone: 'Europe/Berlin' };
const NOW = Date.parse('2026-10-30T12:00:00Z');
const FROM = '2026-08-01T00:00:00Z';
const TO = new Date(NOW).toISOString();

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
  cleanups = [];
});

/** 90 days of runs every 4 hours (540 runs, 3 projects each), from 2026-08-01T01:00Z. */
function seededStore(): Store {
  const temp = tempDir();
  const store = openStore({ file: temp.dbFile });
  cleanups.push(temp.cleanup, () => store.close());
  seedHistory(store, { startMs: Date.parse('2026-08-01T01:00:00Z'), runs: 540, intervalMs: 4 * HOUR });
  return store;
}

const count = (store: Store, table: string) => (store.sqlite.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
const withoutSource = <T extends { source?: string }>(rows: T[]) => rows.map(({ source: _source, ...rest }) => rest);

describe('retention', () => {
  it("keeps the dashboard's daily trends exact after pruning, where the summaries' days are the user's", async () => {
    const store = seededStore();
    const policy: RetentionPolicy = { ...POLICY, timeZone: 'UTC' };
    const query = { days: 91, utcOffsetMinutes: 0, nowMs: NOW };
    const before = getDashboard(store, query).trends;
    expect(before).toHaveLength(91);
    expect(before.reduce((n, p) => n + p.runs, 0)).toBe(540);
    expect(before.filter((p) => p.apiLatencyP95Ms !== null)).toHaveLength(90);

    await applyRetention(store, policy, { dryRun: false, nowMs: NOW });
    // The rows alone have lost the older days: runs after 60 days, latency (details) after 30.
    const rowsOnly = getRunTrends(store, { from: '2026-07-31T00:00:00.000Z', to: TO, utcOffsetMinutes: 0 });
    expect(rowsOnly.reduce((n, p) => n + p.runs, 0)).toBeLessThan(400);
    expect(rowsOnly.filter((p) => p.apiLatencyP95Ms !== null).length).toBeLessThan(32);
    expect(getDashboard(store, query).trends).toEqual(before);
  });

  it('keeps every daily and per-project trend exact after pruning runs and details', async () => {
    const store = seededStore();
    const trendsBefore = getDailySummaries(store, POLICY.timeZone, FROM, TO);
    const projectsBefore = getProjectDays(store, POLICY.timeZone, FROM, TO);
    expect(trendsBefore.every((day) => day.source === 'rows')).toBe(true);

    // Berlin's 2026-08-02 (UTC+2) holds the runs started 01:00Z to 21:00Z that day: indexes 6 to 11.
    const day = trendsBefore.find((d) => d.day === '2026-08-02')!;
    expect(day).toMatchObject({
      startsAt: '2026-08-01T22:00:00.000Z',
      endsAt: '2026-08-02T22:00:00.000Z',
      runs: 6,
      byStatus: { completed: 3, partial: 1, failed: 1, stopped: 1, interrupted: 0, running: 0 },
      successRate: 0.5,
      p50DurationMs: 76_000,
      p95DurationMs: 97_000,
      maxDurationMs: 97_000,
      avgDurationMs: 79_500,
      failuresByCategory: { Timeout: 1, Authentication: 1 },
    });
    // The day DST ends lasts 25 hours.
    expect(trendsBefore.find((d) => d.day === '2026-10-25')).toMatchObject({
      startsAt: '2026-10-24T22:00:00.000Z',
      endsAt: '2026-10-25T23:00:00.000Z',
    });
    expect(trendsBefore.reduce((n, d) => n + d.runs, 0)).toBe(540);

    const detailsBefore = count(store, 'sync_project_details');
    const dryRun = await applyRetention(store, POLICY, { dryRun: true, nowMs: NOW });
    expect(count(store, 'sync_project_details')).toBe(detailsBefore);
    expect(count(store, 'daily_run_summaries')).toBe(0);
    expect(getRetentionState(store)).toBeNull();

    const applied = await applyRetention(store, POLICY, { dryRun: false, nowMs: NOW });
    expect(applied.removed).toEqual(dryRun.removed);
    expect(applied.daysSummarized).toBe(dryRun.daysSummarized);
    // Runs started before the 60-day cutoff go with their growth samples; details and samples of runs before the 30-day cutoff.
    const startOf = (i: number) => Date.parse('2026-08-01T01:00:00Z') + i * 4 * HOUR;
    const indexes = [...Array(540).keys()];
    const olderThan = (days: number) => indexes.filter((i) => startOf(i) < NOW - days * 24 * HOUR);
    expect(applied.removed.runs).toBe(olderThan(60).length);
    expect(applied.removed.runs).toBe(183);
    expect(applied.removed.growthSamples).toBe(183);
    expect(count(store, 'sync_runs')).toBe(540 - 183);
    expect(applied.removed.projectDetails).toBe(olderThan(30).filter((i) => i % 7 !== 3).length * 3);
    expect(applied.removed.metricSamples).toBe(olderThan(30).length * 2);
    expect(store.sqlite.prepare(`SELECT MIN(started_at) AS first FROM sync_project_details`).get()).toEqual({
      first: new Date(startOf(olderThan(30).length)).toISOString(),
    });

    const trendsAfter = getDailySummaries(store, POLICY.timeZone, FROM, TO);
    expect(withoutSource(trendsAfter)).toEqual(withoutSource(trendsBefore));
    expect(getProjectDays(store, POLICY.timeZone, FROM, TO)).toEqual(projectsBefore);
    // Whole finished days come from the summaries now, today from its rows.
    expect(trendsAfter.find((d) => d.day === '2026-08-02')!.source).toBe('summary');
    expect(trendsAfter.at(-1)).toMatchObject({ day: '2026-10-30', source: 'rows' });

    const again = await applyRetention(store, POLICY, { dryRun: false, nowMs: NOW });
    expect(again.daysSummarized).toBe(0);
    expect(Object.values(again.removed).every((n) => n === 0)).toBe(true);
  });

  it('never prunes a day that a running run keeps open, and reports what it kept', async () => {
    const store = seededStore();
    const runningStart = '2026-09-01T09:00:00.000Z';
    store.sqlite
      .prepare(
        `INSERT INTO sync_runs (sync_id, started_at, status, initiated_by, notices) VALUES ('11111111-1111-4111-8111-111111111111', ?, 'running', 'app', '[]')`,
      )
      .run(runningStart);
    const report = await applyRetention(store, POLICY, { dryRun: false, nowMs: NOW });
    // Summaries stop at the running run's local day (Berlin: 2026-09-01 starts at 2026-08-31T22:00Z).
    expect(report.summarizedUntil).toBe('2026-08-31T22:00:00.000Z');
    expect(count(store, 'sync_project_details')).toBe(
      (
        store.sqlite
          .prepare(`SELECT COUNT(*) AS n FROM sync_project_details d JOIN sync_runs r USING (sync_id) WHERE r.started_at >= ?`)
          .get('2026-08-31T22:00:00.000Z') as { n: number }
      ).n,
    );
    // Runs from 2026-08-31T22:00Z until the 30-day cutoff are older than details_days but unsummarized.
    expect(report.keptUnsummarized).toBeGreaterThan(150);
  });

  it('gives freed pages back to the file system', async () => {
    const store = seededStore();
    expect(autoVacuumMode(store)).toBe('incremental');
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const sizeBefore = statSync(store.file).size;
    const report = await applyRetention(store, POLICY, { dryRun: false, nowMs: NOW });
    expect(report.database.pagesReleased).toBeGreaterThan(0);
    expect(store.sqlite.pragma('freelist_count', { simple: true })).toBe(0);
    expect(statSync(store.file).size).toBeLessThan(sizeBefore);
  });
});

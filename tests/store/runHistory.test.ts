import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { createRun } from '../../src/store/runs.ts';
import { getRecentFailures, getRunTrends, getSyncHistory, iterateRuns, latestRun } from '../../src/store/runHistory.ts';
import { seedRun } from '../helpers/seedRuns.ts';
import { tempDir } from '../helpers/tempDb.ts';

let store: Store;
let cleanup: () => void;
beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  store = openStore({ file: temp.dbFile });
});
afterEach(() => {
  store.close();
  cleanup();
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-28T12:00:00Z');
const ACME = { id: 'i-acme', name: 'acme' };
const BETA = { id: 'i-beta', name: 'beta' };

describe('history filters and sorting', () => {
  beforeEach(() => {
    store.sqlite.transaction(() => {
      // 600 runs, one every 2 h: every third on beta (via the app), the rest on acme (via cli); every fifth failed.
      for (let i = 0; i < 600; i++) {
        const onBeta = i % 3 === 0;
        seedRun(store, {
          startedAtMs: NOW - i * 2 * HOUR,
          status: i % 5 === 0 ? 'failed' : 'completed',
          durationMs: 1000 + ((i * 7919) % 5000),
          initiatedBy: onBeta ? 'app' : 'cli',
          instances: [onBeta ? BETA : ACME],
        });
      }
      // A run that failed before reaching any project still belongs to its instance.
      seedRun(store, { startedAtMs: NOW + HOUR, status: 'failed', durationMs: 50, instances: [BETA], errorCategory: 'Authentication' });
    })();
  });

  it('filters by instance and initiator exactly, over every run', () => {
    expect(getSyncHistory(store, { instance: 'beta', limit: 1 }).total).toBe(201);
    expect(getSyncHistory(store, { instance: 'acme', limit: 1 }).total).toBe(400);
    expect(getSyncHistory(store, { initiatedBy: 'app', limit: 1 }).total).toBe(200);
    expect(getSyncHistory(store, { instance: 'beta', status: 'failed', limit: 1 }).total).toBe(41);
    expect(getSyncHistory(store, { instance: 'nobody', limit: 1 }).total).toBe(0);
    const top = getSyncHistory(store, { instance: 'beta', limit: 1 }).rows[0]!;
    expect(top).toMatchObject({ status: 'failed', errorCategory: 'Authentication', totalProjects: 0 });
  });

  it('sorts by any column, ties newest first, runs without a duration last', () => {
    createRun(store, { id: randomUUID(), initiatedBy: 'app', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid: 1, ownerHost: 'h' });
    const durations = [50, ...Array.from({ length: 600 }, (_, i) => 1000 + ((i * 7919) % 5000))];
    const byDuration = getSyncHistory(store, { sort: 'durationMs', order: 'desc', limit: 500 }).rows.map((r) => r.durationMs);
    expect(byDuration).toEqual([...durations].sort((a, b) => b - a).slice(0, 500));
    const ascending = getSyncHistory(store, { sort: 'durationMs', order: 'asc', limit: 602 }).rows;
    expect(ascending.slice(0, 3).map((r) => r.durationMs)).toEqual([...durations].sort((a, b) => a - b).slice(0, 3));
    expect(ascending.at(-1)).toMatchObject({ status: 'running', durationMs: null });
    const byStatus = getSyncHistory(store, { sort: 'status', order: 'asc', limit: 500, offset: 100 });
    expect(byStatus.rows.map((r) => r.status)).toEqual([...byStatus.rows.map((r) => r.status)].sort());
    expect(byStatus.total).toBe(602);
  });

  it('iterates every matching run for the export, in the page order', () => {
    const all = [...iterateRuns(store, { instance: 'acme', sort: 'startedAt', order: 'asc' })];
    expect(all).toHaveLength(400);
    expect(all[0]!.startedAt < all[399]!.startedAt).toBe(true);
    expect(latestRun(store)?.errorCategory).toBe('Authentication');
    expect(getRecentFailures(store, 3).map((r) => r.status)).toEqual(['failed', 'failed', 'failed']);
  });
});

describe('trends per day', () => {
  it('counts, rates, averages and latency p95 per day in the user time zone, empty days included', () => {
    const seeds = [
      // Day 1 (UTC 2026-11-25): two completed, one failed.
      { at: Date.parse('2026-11-25T01:00:00Z'), status: 'completed' as const, durationMs: 1000, issues: 10, p95: [100, 300] },
      { at: Date.parse('2026-11-25T10:00:00Z'), status: 'completed' as const, durationMs: 3000, issues: 30, p95: [200] },
      { at: Date.parse('2026-11-25T20:00:00Z'), status: 'failed' as const, durationMs: 2000, issues: 0, p95: [] },
      // Day 3: one partial.
      { at: Date.parse('2026-11-27T12:00:00Z'), status: 'partial' as const, durationMs: 5000, issues: 7, p95: [900] },
    ];
    for (const seed of seeds) {
      seedRun(store, {
        startedAtMs: seed.at,
        status: seed.status,
        durationMs: seed.durationMs,
        projects: seed.p95.length
          ? seed.p95.map((p95, i) => ({ key: `P${i}`, issues: i === 0 ? seed.issues : 0, latencyP95Ms: p95 }))
          : [{ key: 'P0', status: 'failed' as const, latencyP95Ms: null, errorCategory: 'Network' as const }],
      });
    }
    const utc = getRunTrends(store, { from: '2026-11-25T00:00:00Z', to: '2026-11-27T23:59:59Z', utcOffsetMinutes: 0 });
    expect(utc.map((p) => p.day)).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    expect(utc[0]).toMatchObject({ runs: 3, successRate: 2 / 3, avgDurationMs: 2000, issues: 40, apiLatencyP95Ms: 300 });
    expect(utc[0]!.byStatus).toMatchObject({ completed: 2, failed: 1 });
    expect(utc[0]!.avgIssuesPerRun).toBeCloseTo(40 / 3);
    expect(utc[1]).toMatchObject({
      runs: 0,
      successRate: null,
      avgDurationMs: null,
      issues: 0,
      apiLatencyP95Ms: null,
      avgIssuesPerRun: null,
    });
    expect(utc[2]).toMatchObject({ runs: 1, successRate: 0, avgDurationMs: 5000, issues: 7, apiLatencyP95Ms: 900 });
    // Five hours east, the 20:00 UTC run falls on the next local day.
    const east = getRunTrends(store, { from: '2026-11-24T19:00:00Z', to: '2026-11-27T18:59:59Z', utcOffsetMinutes: 300 });
    expect(east.map((p) => [p.day, p.runs])).toEqual([
      ['2026-11-25', 2],
      ['2026-11-26', 1],
      ['2026-11-27', 1],
    ]);
    // Filters apply to trends too.
    const failedOnly = getRunTrends(store, {
      from: '2026-11-25T00:00:00Z',
      to: '2026-11-27T23:59:59Z',
      utcOffsetMinutes: 0,
      status: 'failed',
    });
    expect(failedOnly.map((p) => p.runs)).toEqual([1, 0, 0]);
  });

  it('stays exact over thousands of runs', () => {
    store.sqlite.transaction(() => {
      for (let i = 0; i < 1200; i++) {
        seedRun(store, { startedAtMs: NOW - (i % 30) * DAY - 1000, status: i % 4 === 0 ? 'failed' : 'completed', durationMs: 100 + i });
      }
    })();
    const points = getRunTrends(store, {
      from: new Date(NOW - 30 * DAY).toISOString(),
      to: new Date(NOW).toISOString(),
      utcOffsetMinutes: 0,
    });
    expect(points.reduce((n, p) => n + p.runs, 0)).toBe(1200);
    expect(points.reduce((n, p) => n + p.byStatus.failed, 0)).toBe(300);
  });
});

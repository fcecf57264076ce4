import { request } from 'node:http';
import parsePrometheus from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetricsRegistry, metricsText } from '../../src/ops/metrics.ts';
import { startMetricsServer } from '../../src/ops/metricsServer.ts';
import { DEFAULT_RETENTION_POLICY } from '../../src/shared/operations.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { applyRetention } from '../../src/store/retention.ts';
import { seededStatus, seedHistory } from '../helpers/seedHistory.ts';
import { tempDir } from '../helpers/tempDb.ts';

interface Family {
  name: string;
  type: string;
  metrics: Array<{ value?: string; labels?: Record<string, string>; buckets?: Record<string, string>; count?: string; sum?: string }>;
}

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const RUNS = 540;
const START = Date.parse('2026-08-01T01:00:00Z');

function seeded(): Store {
  const temp = tempDir();
  const store = openStore({ file: temp.dbFile });
  cleanups.push(temp.cleanup, () => store.close());
  seedHistory(store, { startMs: START, runs: RUNS, intervalMs: 4 * 3_600_000 });
  return store;
}

async function scrape(store: Store): Promise<Map<string, Family>> {
  const families = parsePrometheus(await metricsText(store)) as Family[];
  return new Map(families.map((f) => [f.name, f]));
}

const indexes = [...Array(RUNS).keys()];
const values = (family: Family | undefined) =>
  Object.fromEntries((family?.metrics ?? []).map((m) => [Object.values(m.labels ?? {}).join('/'), Number(m.value)]));

describe('Prometheus metrics', () => {
  it('counts runs, durations, issues, failures, retries and 429s exactly, in the text format', async () => {
    const store = seeded();
    const metrics = await scrape(store);
    const statuses = indexes.map(seededStatus);
    const countOf = (status: string) => statuses.filter((s) => s === status).length;
    expect(values(metrics.get('jira_mirror_sync_runs_total'))).toEqual({
      completed: countOf('completed'),
      failed: countOf('failed'),
      partial: countOf('partial'),
      stopped: countOf('stopped'),
      interrupted: 0,
    });
    expect(metrics.get('jira_mirror_sync_runs_total')!.type).toBe('COUNTER');
    expect(values(metrics.get('jira_mirror_sync_failures_total'))).toEqual({
      Authentication: countOf('failed'),
      Timeout: countOf('partial'),
    });
    expect(values(metrics.get('jira_mirror_project_failures_total'))).toEqual({ 'seed/GAMMA/Timeout': countOf('partial') });

    // Durations 20 s + (i mod 13) × 7 s: 20..104 s.
    const durations = indexes.map((i) => 20 + (i % 13) * 7);
    const [histogram] = metrics.get('jira_mirror_sync_duration_seconds')!.metrics;
    expect(metrics.get('jira_mirror_sync_duration_seconds')!.type).toBe('HISTOGRAM');
    expect(Number(histogram!.count)).toBe(RUNS);
    expect(Number(histogram!.sum)).toBe(durations.reduce((a, b) => a + b, 0));
    expect(Object.fromEntries(Object.entries(histogram!.buckets!).map(([le, n]) => [le, Number(n)]))).toEqual({
      '1': 0,
      '5': 0,
      '10': 0,
      '30': durations.filter((d) => d <= 30).length,
      '60': durations.filter((d) => d <= 60).length,
      '120': RUNS,
      '300': RUNS,
      '600': RUNS,
      '1800': RUNS,
      '3600': RUNS,
      '7200': RUNS,
      '+Inf': RUNS,
    });

    // Per project: the seeded formulas, over every run that got that far (failed runs have no projects).
    const synced = indexes.filter((i) => seededStatus(i) !== 'failed');
    const perProject = (f: (i: number, p: number) => number) =>
      Object.fromEntries(['ALPHA', 'BETA', 'GAMMA'].map((key, p) => [`seed/${key}`, synced.reduce((n, i) => n + f(i, p), 0)]));
    expect(values(metrics.get('jira_mirror_issues_processed_total'))).toEqual(perProject((i, p) => 10 + ((i + p) % 9) * 5));
    expect(values(metrics.get('jira_mirror_issues_created_total'))).toEqual(perProject((i, p) => (i + p) % 4));
    expect(values(metrics.get('jira_mirror_issues_deleted_total'))).toEqual(perProject((i, p) => ((i + p) % 11 === 0 ? 1 : 0)));
    expect(values(metrics.get('jira_mirror_api_retries_total'))).toEqual(perProject((i, p) => (i + p) % 3));
    expect(values(metrics.get('jira_mirror_api_rate_limited_total'))).toEqual(perProject((i, p) => ((i + p) % 5 === 0 ? 1 : 0)));
    // The latest run (539, completed) set the latency gauges.
    expect(values(metrics.get('jira_mirror_api_latency_seconds'))['seed/ALPHA/0.95']).toBeCloseTo((200 + ((539 * 7) % 17) * 15) / 1000, 6);
    expect(Number(metrics.get('jira_mirror_database_size_bytes')!.metrics[0]!.value)).toBeGreaterThan(0);
    // The last run (539) completed every project: each project's last success is its end.
    const lastEnd = (START + 539 * 4 * 3_600_000 + (20 + (539 % 13) * 7) * 1000) / 1000;
    expect(values(metrics.get('jira_mirror_last_success_timestamp_seconds'))).toEqual({
      'seed/ALPHA': lastEnd,
      'seed/BETA': lastEnd,
      'seed/GAMMA': lastEnd,
    });
    expect(values(metrics.get('jira_mirror_instance_last_success_timestamp_seconds'))).toEqual({ seed: lastEnd });
  });

  it('never lets a counter go down when retention prunes the rows it counted', async () => {
    const store = seeded();
    const counters = async () =>
      [...(await scrape(store)).values()].filter((f) => f.type === 'COUNTER' || f.type === 'HISTOGRAM').map((f) => [f.name, f.metrics]);
    const before = await counters();
    const report = await applyRetention(
      store,
      { ...DEFAULT_RETENTION_POLICY, detailsDays: 7, metricsDays: 7, runsDays: 14, timeZone: 'UTC' },
      { dryRun: false, nowMs: START + RUNS * 4 * 3_600_000 },
    );
    expect(report.removed.runs).toBeGreaterThan(400);
    expect(await counters()).toEqual(before);
  });

  it('serves /metrics on loopback only to loopback host names', async () => {
    const store = seeded();
    const server = await startMetricsServer(createMetricsRegistry(store), 0);
    cleanups.push(() => server.close());
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect((parsePrometheus(await response.text()) as Family[]).map((f) => f.name)).toContain('jira_mirror_sync_runs_total');
    expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    // A page that rebinds its own host name to 127.0.0.1 sends its name as the Host header.
    const rebound = await new Promise<number>((resolve, reject) => {
      request(server.url, { headers: { host: `attacker.example:${server.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      })
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(403);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { estimateSync, makespan } from '../../src/engine/estimate.ts';
import type { PerformanceConfig, SyncEstimate } from '../../src/shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import type { SyncHistoryBasis } from '../../src/store/history.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../../src/store/config.ts';
import { mirrorFixture, type MirrorFixture } from '../helpers/mirror.ts';

const fixtures: MirrorFixture[] = [];
afterEach(async () => {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
});

const emptyBasis: SyncHistoryBasis = {
  runsConsidered: 0,
  projects: [],
  latencyMs: null,
  latencyMaxMs: null,
  rateLimitedShare: 0,
  cpuMsPerIssue: 0,
  setupMs: 0,
  slowestProject: null,
};

async function estimate(backend: Backend, config: PerformanceConfig, probe = false): Promise<SyncEstimate> {
  const result = await backend.dispatch('estimateSync', { config, probe });
  if (!result.ok) throw new Error(result.error.message);
  return result.data as SyncEstimate;
}

describe('estimate model', () => {
  it('schedules the longest jobs first onto the workers', () => {
    expect(makespan([5, 4, 3, 3, 3], 2)).toBe(10);
    expect(makespan([10, 1, 1], 8)).toBe(10);
  });

  it('warns about settings that contradict what was observed', () => {
    const basis: SyncHistoryBasis = {
      ...emptyBasis,
      runsConsidered: 3,
      projects: [{ instanceName: 'a', projectKey: 'P', flavor: 'cloud', issues: 1000, pages: 10, firstSync: false, durationMs: 90_000 }],
      latencyMs: 200,
      latencyMaxMs: 12_000,
      rateLimitedShare: 0.05,
      slowestProject: { key: 'P', durationMs: 90_000 },
    };
    const config = {
      ...DEFAULT_PERFORMANCE_CONFIG,
      maxWorkers: 12,
      connectionPoolSize: 4,
      batchSize: 500,
      projectTimeout: 60,
      requestTimeout: 10,
    };
    const result = estimateSync(config, basis);
    expect(result.warnings.map((w) => w.code)).toEqual([
      'workers-above-pool',
      'batch-above-server-cap',
      'pause-below-rate-limit',
      'timeout-below-history',
      'request-timeout-below-latency',
    ]);
    expect(result.warnings[0]!.message).toBe('max_workers (12) is above connection_pool_size (4): 8 workers will wait for a connection.');
    expect(result.warnings[3]!.message).toBe("project_timeout (60 s) is shorter than P's recorded 90 s: it would fail with Timeout.");
    // 1000 issues at the Cloud cap of 100 → 10 pages, 5 % retried, the completeness count; three setup calls.
    expect(result.apiCalls).toBe(3 + 10 + 1 + 1);
    expect(result.peakConcurrency).toBe(1);
  });

  it('says when there is nothing to learn from yet', () => {
    expect(estimateSync(DEFAULT_PERFORMANCE_CONFIG, emptyBasis)).toMatchObject({
      basis: 'none',
      projects: 0,
      expectedIssues: 0,
      warnings: [],
    });
  });
});

describe('dry run against a recorded history', () => {
  it('predicts the duration of a sync with new settings within 25 %, and nothing is written', async () => {
    const projects = [
      { key: 'A', issues: 600 },
      { key: 'B', issues: 450 },
      { key: 'C', issues: 300 },
      { key: 'D', issues: 300 },
      { key: 'E', issues: 150 },
    ];
    const recorded = await mirrorFixture({ projects, latencyMs: 500 });
    fixtures.push(recorded);
    const before: PerformanceConfig = { ...getPerformanceConfig(recorded.backend.store), batchSize: 50, maxWorkers: 2 };
    savePerformanceConfig(recorded.backend.store, before, 'test');
    expect((await recorded.sync()).status).toBe('completed');

    const proposed: PerformanceConfig = { ...before, batchSize: 100, maxWorkers: 4 };
    const runsBefore = recorded.backend.store.sqlite.prepare('SELECT COUNT(*) AS n FROM sync_runs').get();
    const predicted = await estimate(recorded.backend, proposed);
    expect(predicted).toMatchObject({ basis: 'history', runsConsidered: 1, projects: 5, expectedIssues: 1800, peakConcurrency: 4 });
    expect(recorded.backend.store.sqlite.prepare('SELECT COUNT(*) AS n FROM sync_runs').get()).toEqual(runsBefore);

    // The same data synced from scratch with the proposed settings.
    const actualFixture = await mirrorFixture({ projects, latencyMs: 500 });
    fixtures.push(actualFixture);
    savePerformanceConfig(actualFixture.backend.store, proposed, 'test');
    const probed = await estimate(actualFixture.backend, proposed, true);
    const actual = await actualFixture.sync();
    expect(actual.status).toBe('completed');
    const error = Math.abs(predicted.durationMs - actual.durationMs!) / actual.durationMs!;
    console.log(
      `dry run: predicted ${predicted.durationMs} ms, probe ${probed.durationMs} ms, actual ${actual.durationMs} ms (${(error * 100).toFixed(1)} % off)`,
    );
    expect(error).toBeLessThanOrEqual(0.25);
    expect(probed).toMatchObject({ basis: 'probe', projects: 5, expectedIssues: 1800 });
    // /myself, project list and serverInfo, then per project its pages of 100 and one count beside the first (the
    // completeness check's, which also sizes the first sync).
    expect(predicted.apiCalls).toBe(3 + (1 + 6) + (1 + 5) + (1 + 3) + (1 + 3) + (1 + 2));
    const recordedCalls = actualFixture.backend.store.sqlite
      .prepare('SELECT SUM(api_calls) AS n FROM sync_project_details WHERE sync_id = ?')
      .get(actual.id);
    expect(recordedCalls).toEqual({ n: predicted.apiCalls - 3 });
  });

  it('probes a server that cannot count: sizes from the recorded sync, and a warning that says so', async () => {
    const recorded = await mirrorFixture({
      projects: [
        { key: 'A', issues: 120 },
        { key: 'B', issues: 80 },
      ],
    });
    fixtures.push(recorded);
    expect((await recorded.sync()).status).toBe('completed');
    recorded.sim.control.setFaults([{ kind: 'not-found', pathIncludes: '/search/approximate-count' }]);
    const config = { ...getPerformanceConfig(recorded.backend.store), maxWorkers: 2 };
    const probed = await estimate(recorded.backend, config, true);
    expect(probed).toMatchObject({ basis: 'probe', projects: 2, expectedIssues: 200 });
    expect(probed.warnings).toEqual([
      {
        code: 'count-unavailable',
        message: `sim: Jira could not count issues (HTTP 404 from /rest/api/3/search/approximate-count: null for uri: ${recorded.sim.url}/rest/api/3/search/approximate-count); its project sizes come from recorded syncs.`,
      },
    ]);
  });
});

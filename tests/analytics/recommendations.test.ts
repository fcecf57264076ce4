import { describe, expect, it } from 'vitest';
import { recommend, type RecommendationInput } from '../../src/analytics/recommendations.ts';
import { estimateSync } from '../../src/engine/estimate.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import type { SyncHistoryBasis } from '../../src/store/history.ts';
import type { PerformanceEvidence } from '../../src/store/performanceEvidence.ts';

function basis(patch: Partial<SyncHistoryBasis> = {}): SyncHistoryBasis {
  return {
    runsConsidered: 6,
    projects: Array.from({ length: 20 }, (_, i) => ({
      instanceName: 'acme',
      projectKey: `P${i}`,
      flavor: 'cloud' as const,
      issues: 2000,
      pages: 20,
      firstSync: false,
      durationMs: 60_000,
    })),
    latencyMs: 400,
    latencyMaxMs: 2000,
    rateLimitedShare: 0,
    cpuMsPerIssue: 0.3,
    setupMs: 500,
    slowestProject: { key: 'P0', durationMs: 60_000 },
    ...patch,
  };
}

function evidence(patch: Partial<PerformanceEvidence> = {}): PerformanceEvidence {
  return {
    recent: { runs: 3, apiCalls: 1200, rateLimited: 0 },
    earlier: { runs: 3, apiCalls: 1200, rateLimited: 0 },
    timeoutFailures: 0,
    maxProjectsPerRun: 20,
    ...patch,
  };
}

const input = (patch: Partial<RecommendationInput> = {}): RecommendationInput => ({
  config: DEFAULT_PERFORMANCE_CONFIG,
  basis: basis(),
  evidence: evidence(),
  ...patch,
});

describe('recommendations from history', () => {
  it('raises workers when latency is high, no 429s were seen and the pool has room, priced by the dry run', () => {
    const result = recommend(input());
    expect(result.recommendations.map((r) => r.id)).toEqual(['raise-workers']);
    const [raise] = result.recommendations;
    expect(raise!.change).toEqual({ maxWorkers: 10 }); // 2 × 8, capped by connection_pool_size 10
    expect(raise!.evidence).toContainEqual({ label: 'API latency p50', value: 400, unit: 'ms' });
    expect(raise!.evidence).toContainEqual({ label: 'Rate-limited responses (429)', value: 0, unit: 'count' });
    expect(raise!.estimate).toEqual(estimateSync({ ...DEFAULT_PERFORMANCE_CONFIG, maxWorkers: 10 }, basis()));
    expect(raise!.estimate.durationMs).toBeLessThan(result.current.durationMs * 0.9);
    expect(result.current).toEqual(estimateSync(DEFAULT_PERFORMANCE_CONFIG, basis()));
  });

  it('does not raise workers with 429s seen, low latency, a full pool or too few projects', () => {
    const ids = (patch: Partial<RecommendationInput>) => recommend(input(patch)).recommendations.map((r) => r.id);
    expect(ids({ evidence: evidence({ earlier: { runs: 3, apiCalls: 1000, rateLimited: 1 } }) })).not.toContain('raise-workers');
    expect(ids({ basis: basis({ latencyMs: 80 }) })).not.toContain('raise-workers');
    expect(ids({ config: { ...DEFAULT_PERFORMANCE_CONFIG, connectionPoolSize: 8 } })).not.toContain('raise-workers');
    expect(ids({ basis: basis({ projects: basis().projects.slice(0, 8) }) })).not.toContain('raise-workers');
  });

  it('slows down when 429s rose, halving workers when they are frequent', () => {
    const rising = recommend(
      input({
        evidence: evidence({ recent: { runs: 3, apiCalls: 1000, rateLimited: 30 }, earlier: { runs: 3, apiCalls: 1000, rateLimited: 2 } }),
      }),
    );
    const slow = rising.recommendations.find((r) => r.id === 'slow-down')!;
    expect(slow.change).toEqual({ rateLimitPause: 0.2 }); // 8 workers × 3 % = 0.24 → 0.2 s
    expect(slow.evidence.slice(0, 2)).toEqual([
      { label: '429 share, recent runs', value: 0.03, unit: 'share' },
      { label: '429 share, runs before', value: 0.002, unit: 'share' },
    ]);
    const heavy = recommend(
      input({
        evidence: evidence({ recent: { runs: 3, apiCalls: 1000, rateLimited: 100 }, earlier: { runs: 0, apiCalls: 0, rateLimited: 0 } }),
      }),
    );
    expect(heavy.recommendations.find((r) => r.id === 'slow-down')!.change).toEqual({ rateLimitPause: 0.8, maxWorkers: 4 });
    // Falling 429s ask for nothing.
    const falling = recommend(
      input({
        evidence: evidence({ recent: { runs: 3, apiCalls: 1000, rateLimited: 20 }, earlier: { runs: 3, apiCalls: 1000, rateLimited: 40 } }),
      }),
    );
    expect(falling.recommendations.map((r) => r.id)).not.toContain('slow-down');
  });

  it('raises project_timeout when a recorded project duration approaches it, and request_timeout for slow responses', () => {
    const near = recommend(input({ basis: basis({ slowestProject: { key: 'BIG', durationMs: 1_500_000 }, latencyMaxMs: 50_000 }) }));
    const timeout = near.recommendations.find((r) => r.id === 'raise-project-timeout')!;
    expect(timeout.change).toEqual({ projectTimeout: 3600 });
    expect(timeout.reason).toContain('BIG took 1500 s, 83 % of project_timeout (1800 s)');
    expect(near.recommendations.find((r) => r.id === 'raise-request-timeout')!.change).toEqual({ requestTimeout: 100 });
    const timedOut = recommend(input({ evidence: evidence({ timeoutFailures: 2 }) }));
    expect(timedOut.recommendations.find((r) => r.id === 'raise-project-timeout')!.change).toEqual({ projectTimeout: 3600 });
  });

  it('asks for full pages when batch_size is below the server cap', () => {
    const small = recommend(input({ config: { ...DEFAULT_PERFORMANCE_CONFIG, batchSize: 25, connectionPoolSize: 8 } }));
    expect(small.recommendations.map((r) => [r.id, r.change])).toEqual([['full-pages', { batchSize: 100 }]]);
  });

  it('recommends nothing without history', () => {
    const none = recommend(
      input({ basis: basis({ runsConsidered: 0, projects: [], latencyMs: null, slowestProject: null, latencyMaxMs: null }) }),
    );
    expect(none).toMatchObject({ runsConsidered: 0, recommendations: [], current: { basis: 'none' } });
  });
});

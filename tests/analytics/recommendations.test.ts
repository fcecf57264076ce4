import { describe, expect, it } from 'vitest';
import { recommend, type RecommendationInput } from '../../src/analytics/recommendations.ts';
import { estimateSync } from '../../src/engine/estimate.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import type { SyncHistoryBasis } from '../../src/store/history.ts';
import type { PerformanceEvidence } from '../../src/store/performanceEvidence.ts';
import type { ScheduleEvidence } from '../../src/store/scheduleEvidence.ts';
import { intervalStep, recommendSchedule } from '../../src/analytics/scheduleRecommendation.ts';

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

describe('the schedule recommendation', () => {
  const scheduled = (patch: Partial<ScheduleEvidence> = {}): ScheduleEvidence => ({
    runs: 20,
    longestMs: 60_000,
    unchanged: 4,
    apiCalls: 400,
    unchangedApiCalls: 10,
    ...patch,
  });
  const current = estimateSync(DEFAULT_PERFORMANCE_CONFIG, basis());
  const withSchedule = (intervalMinutes: number | null, evidence: ScheduleEvidence) =>
    recommend(input({ schedule: { intervalMinutes, evidence } })).recommendations.filter((r) => r.id === 'schedule-interval');

  it('lengthens an interval that scheduled syncs fill half of, to a step twice the longest', () => {
    // 26 minutes of a 30-minute interval: twice that is 52 minutes, the next step 60.
    const busy = recommendSchedule(30, scheduled({ longestMs: 26 * 60_000 }), current);
    expect(busy).toMatchObject({
      title: 'Sync every 60 minutes instead of 30',
      scheduleChange: { intervalMinutes: 60 },
      change: {},
      estimate: current,
      // 20 calls a sync; halving the syncs saves an unchanged sync's 10 each.
      perDay: { syncsNow: 48, syncsAfter: 24, apiCallsNow: 960, apiCallsAfter: 720 },
    });
    expect(busy!.reason).toBe(
      'The longest of the last 20 scheduled syncs took 26 min, 87 % of the 30-minute interval: a sync still running when the next one is due makes that one skip, and the mirror keeps Jira busy half the time or more.',
    );
    expect(withSchedule(30, scheduled({ longestMs: 26 * 60_000 }))).toHaveLength(1);
  });

  it('takes the longer of both reasons, and says both', () => {
    const both = recommendSchedule(10, scheduled({ longestMs: 6 * 60_000, unchanged: 18 }), current);
    expect(both?.scheduleChange).toEqual({ intervalMinutes: 20 }); // busy: ≥ 12 → 15; idle: ≥ 20 → 20
    expect(both?.reason).toMatch(
      /^The longest of the last 20 scheduled syncs took 6 min, 60 % .* 18 of the last 20 scheduled syncs found nothing/,
    );
  });

  it('proposes nothing without a running schedule, with too few scheduled syncs, or at the longest interval', () => {
    const idle = scheduled({ unchanged: 20 });
    expect(recommendSchedule(null, idle, current)).toBeNull();
    expect(recommendSchedule(60, { ...idle, runs: 9, unchanged: 9 }, current)).toBeNull();
    expect(recommendSchedule(1440, idle, current)).toBeNull();
    expect(recommendSchedule(60, scheduled(), current)).toBeNull(); // 1 of 60 minutes, 4 of 20 idle
    expect(recommendSchedule(60, scheduled({ unchanged: 16 }), current)?.scheduleChange).toEqual({ intervalMinutes: 120 });
    expect(recommendSchedule(60, scheduled({ unchanged: 15 }), current)).toBeNull(); // 75 % < 80 %
  });

  it('rounds up to the intervals a person picks', () => {
    expect([1, 5, 11, 46, 700, 1441].map(intervalStep)).toEqual([5, 5, 15, 60, 720, 1440]);
  });
});

import { describe, expect, it } from 'vitest';
import { recommendationPrice } from '../../src/renderer/lib/recommendation.ts';
import type { Recommendation, SyncEstimate } from '../../src/shared/model.ts';

const estimate = (durationMs: number, apiCalls: number): SyncEstimate => ({
  basis: 'history',
  runsConsidered: 10,
  projects: 3,
  expectedIssues: 1200,
  apiCalls,
  durationMs,
  peakConcurrency: 3,
  latencyMs: 200,
  warnings: [],
});
const recommendation = (patch: Partial<Recommendation>): Recommendation => ({
  id: 'x',
  title: 'x',
  reason: 'x',
  change: {},
  evidence: [],
  estimate: estimate(40_000, 1300),
  ...patch,
});

describe('what applying a recommendation costs', () => {
  it('prices a settings change by the dry run of one sync beside the current settings', () => {
    expect(recommendationPrice(recommendation({ change: { maxWorkers: 16 } }), estimate(80_000, 1300))).toBe(
      'Dry run: 40 s and 1,300 API calls (now 1 min 20 s, 1,300).',
    );
  });

  it('prices a schedule change per day', () => {
    const perDay = { syncsNow: 96, syncsAfter: 48, apiCallsNow: 3200, apiCallsAfter: 1760 };
    expect(recommendationPrice(recommendation({ scheduleChange: { intervalMinutes: 30 }, perDay }), estimate(80_000, 1300))).toBe(
      'Per day: 96 → 48 scheduled syncs, 3,200 → 1,760 API calls.',
    );
  });
});

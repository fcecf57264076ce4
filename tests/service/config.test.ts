import { describe, expect, it } from 'vitest';
import type { Recommendations } from '../../src/shared/model.ts';
import type { ConfigHistoryPage } from '../../src/shared/operations.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { seedRun } from '../helpers/seedRuns.ts';
import { data, tempBackend } from '../helpers/backend.ts';

const backend = () => tempBackend('app');

describe('performance settings', () => {
  it('keeps an audit trail of who changed which setting, newest first, paged', async () => {
    const b = backend();
    await data(b, 'savePerformanceConfig', { config: { ...DEFAULT_PERFORMANCE_CONFIG, maxWorkers: 4 } });
    await data(b, 'savePerformanceConfig', { config: { ...DEFAULT_PERFORMANCE_CONFIG, maxWorkers: 6, connectionPoolBlock: false } });
    const page = await data<ConfigHistoryPage>(b, 'getConfigHistory', { type: 'performance', limit: 1 });
    expect(page.total).toBe(2);
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]).toMatchObject({
      configType: 'performance',
      changedBy: 'app',
      reason: null,
      changes: [
        { setting: 'max_workers', before: 4, after: 6 },
        { setting: 'connection_pool_block', before: true, after: false },
      ],
    });
    const older = await data<ConfigHistoryPage>(b, 'getConfigHistory', { type: 'performance', limit: 1, offset: 1 });
    expect(older.rows[0]!.changes).toEqual([{ setting: 'max_workers', before: 8, after: 4 }]);
  });

  it('recommends from the recorded runs: 429s rising and a project near its timeout', async () => {
    const b = backend();
    const now = Date.now();
    for (let i = 0; i < 10; i++) {
      const recent = i < 5;
      seedRun(b.store, {
        startedAtMs: now - (10 - i) * 3_600_000,
        status: 'completed',
        durationMs: 60_000,
        projects: [
          // Older runs first: the newest five are "recent".
          { key: 'BIG', issues: 5000, durationMs: recent ? 1_000_000 : 1_500_000, apiCalls: 100, rateLimited: i >= 5 ? 10 : 0 },
          { key: 'SMALL', issues: 100, durationMs: 2000, apiCalls: 100, rateLimited: 0 },
        ],
      });
    }
    const result = await data<Recommendations>(b, 'getRecommendations', {});
    expect(result.runsConsidered).toBe(10);
    expect(result.recommendations.map((r) => r.id)).toEqual(['slow-down', 'raise-project-timeout']);
    const slow = result.recommendations[0]!;
    expect(slow.evidence.slice(0, 3)).toEqual([
      { label: '429 share, recent runs', value: 0.05, unit: 'share' },
      { label: '429 share, runs before', value: 0, unit: 'share' },
      { label: 'Rate-limited responses (429), recent runs', value: 50, unit: 'count' },
    ]);
    expect(result.recommendations[1]!.evidence[0]).toEqual({ label: 'Slowest project (BIG)', value: 1_500_000, unit: 'ms' });
  });
});

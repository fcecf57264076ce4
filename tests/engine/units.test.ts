import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { SyncError } from '../../src/engine/errors.ts';
import { MINUTE_MS, type JiraClient, type SearchPage } from '../../src/engine/jira.ts';
import { RequestStats } from '../../src/engine/http.ts';
import type { ProjectContext } from '../../src/engine/projectSync.ts';
import { quantileCuts, runUnit, type WorkUnit } from '../../src/engine/units.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performanceSettings.ts';

const minutes = (n: number) => n * MINUTE_MS;

describe('placing the cuts of a range', () => {
  it('cuts where the counts reach equal shares, not at equal spans of time', () => {
    // 1,000 issues in [0, 100 min): 100 in the first 50 minutes, 900 in the last 50.
    const cuts = quantileCuts(0, minutes(100), [minutes(50)], [100], 1000, 4);
    // Shares of 250, 500 and 750 fall in the last half: at 50 + (150, 400, 650) / 900 × 50 minutes.
    expect(cuts).toEqual([
      { at: minutes(58), below: 244 },
      { at: minutes(72), below: 496 },
      { at: minutes(86), below: 748 },
    ]);
  });

  it('places cuts on whole minutes, strictly inside the range and increasing, dropping those that coincide', () => {
    const from = minutes(10) + 1234;
    const cuts = quantileCuts(from, minutes(13), [minutes(11), minutes(12)], [0, 0], 900, 8);
    expect(cuts.every((cut) => cut.at % MINUTE_MS === 0 && cut.at > from && cut.at < minutes(13))).toBe(true);
    expect(cuts.map((cut) => cut.at)).toEqual([minutes(12)]);
  });

  it('keeps equal spans when the issues are spread evenly, and never cuts an empty range', () => {
    expect(quantileCuts(0, minutes(40), [minutes(10), minutes(20), minutes(30)], [25, 50, 75], 100, 4)).toEqual([
      { at: minutes(10), below: 25 },
      { at: minutes(20), below: 50 },
      { at: minutes(30), below: 75 },
    ]);
    expect(quantileCuts(0, minutes(40), [minutes(20)], [0], 0, 4)).toEqual([]);
  });
});

describe('a unit stopped while a page waits to be written', () => {
  it('fails with Cancelled, and the request sent ahead rejects handled (an unhandled one ends the engine thread)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const stop = new AbortController();
      let requests = 0;
      const client = {
        search: async (): Promise<SearchPage> => {
          requests += 1;
          if (requests > 1) {
            // The next page's request, sent before the first page is written, fails with the stop.
            await delay(5);
            throw new SyncError('Cancelled', 'the sync was stopped');
          }
          return {
            issues: [],
            next: 'page-2',
            total: null,
            parseMs: 0,
            // Like a page gathered with others: written once its window ends, after the stop.
            commit: async () => {
              stop.abort();
              await delay(50);
              return { counts: { processed: 0, created: 0, updated: 0, unchanged: 0 }, writeMs: 0 };
            },
            release: () => {},
          };
        },
      } as unknown as JiraClient;
      const ctx = {
        client,
        getConfig: () => DEFAULT_PERFORMANCE_CONFIG,
        stats: new RequestStats(),
        signal: stop.signal,
        onPage: () => {},
        onExpected: () => {},
      } as unknown as ProjectContext;
      const unit: WorkUnit = {
        sliceId: null,
        query: { projectKey: 'S', fromMs: null, toMs: null },
        expected: 0,
        read: 0,
        lastUpdatedMs: null,
        spanFromMs: null,
        cutting: false,
      };
      await expect(runUnit(ctx, unit)).rejects.toMatchObject({ category: 'Cancelled' });
      // Node reports an unhandled rejection on the turn after it; give it that turn.
      await delay(10);
      expect({ requests, unhandled }).toEqual({ requests: 2, unhandled: [] });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

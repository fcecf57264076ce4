import { describe, expect, it } from 'vitest';
import {
  byteAxis,
  dayEndIso,
  dayStartIso,
  formatDuration,
  formatElapsed,
  issueChanges,
  pageRange,
  progressFraction,
  progressText,
  runDuration,
} from '../../src/renderer/lib/format.ts';
import type { ProjectProgress } from '../../src/shared/model.ts';

const progress = (issues: number, expectedIssues: number | null, status: ProjectProgress['status'] = 'running'): ProjectProgress => ({
  instance: 'demo',
  projectKey: 'DEMO',
  status,
  pages: 1,
  issues,
  expectedIssues,
  retries: 0,
  rateLimited: 0,
  issuesPerSecond: 10,
  etaSeconds: null,
});

describe('formatDuration', () => {
  it.each([
    [null, '—'],
    [-5, '—'],
    [0, '0 ms'],
    [840, '840 ms'],
    [1200, '1.2 s'],
    [9_960, '10 s'],
    [59_400, '59 s'],
    [60_000, '1 min'],
    [184_000, '3 min 4 s'],
    [3_600_000, '1 h'],
    [7_500_000, '2 h 5 min'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('uses elapsed time for a running run', () => {
    const run = { status: 'running' as const, startedAt: '2026-01-01T00:00:00.000Z', durationMs: null };
    expect(runDuration(run, Date.parse('2026-01-01T00:00:05.000Z'))).toBe(5000);
    expect(runDuration({ ...run, status: 'failed' }, Date.now())).toBeNull();
    expect(runDuration({ ...run, status: 'completed', durationMs: 42 }, Date.now())).toBe(42);
  });
});

describe('chart axes', () => {
  it('labels time since a run started to a tenth of a second under 10 s, so two samples a second apart differ', () => {
    expect([0, 640, 1_449, 9_940, 12_400, 184_000].map(formatElapsed)).toEqual(['0.0 s', '0.6 s', '1.4 s', '9.9 s', '12 s', '3 min 4 s']);
  });

  it('puts byte series in the unit of their largest value, nulls kept, so ticks are round in that unit', () => {
    const mb = 1024 * 1024;
    const memory = byteAxis([
      [300 * mb, null],
      [40 * mb, 52.25 * mb],
    ]);
    expect(memory.scaled).toEqual([
      [300, null],
      [40, 52.25],
    ]);
    expect([0, 100, 52.25].map(memory.format)).toEqual(['0 MB', '100 MB', '52.3 MB']);
    expect(byteAxis([[512 * 1024]]).format(256)).toBe('256 KB');
    expect(byteAxis([[3 * 1024 * mb]]).scaled).toEqual([[3]]);
    expect(byteAxis([[null]]).format(0)).toBe('0 KB');
  });
});

describe('issue and paging texts', () => {
  it('summarises issue changes', () => {
    expect(issueChanges({ issuesCreated: 3, issuesUpdated: 5, issuesDeleted: 0, issuesUnchanged: 1 })).toBe('+3 new · 5 updated');
    expect(issueChanges({ issuesCreated: 0, issuesUpdated: 0, issuesDeleted: 0, issuesUnchanged: 12 })).toBe('12 unchanged');
    expect(issueChanges({ issuesCreated: 0, issuesUpdated: 0, issuesDeleted: 0, issuesUnchanged: 0 })).toBe('no changes');
  });

  it('shows the page range', () => {
    expect(pageRange(0, 25, 312)).toBe(`1–25 of ${(312).toLocaleString()}`);
    expect(pageRange(300, 12, 312)).toBe('301–312 of 312');
    expect(pageRange(0, 0, 0)).toBe('0 of 0');
  });

  it('sums live progress', () => {
    expect(progressText([progress(12, 30), progress(0, 10, 'queued')])).toBe('12 / 40 issues');
    expect(progressText([progress(12, 30), progress(3, null)])).toBe('15 issues so far');
    expect(progressFraction([progress(10, 40)])).toBe(0.25);
    expect(progressFraction([progress(10, null)])).toBeNull();
    expect(progressFraction([progress(0, 0, 'completed')])).toBe(1);
  });
});

describe('date inputs', () => {
  it('maps a day to local start and end instants', () => {
    const start = dayStartIso('2026-03-15')!;
    const end = dayEndIso('2026-03-15')!;
    expect(new Date(start).getDate()).toBe(15);
    expect(new Date(start).getHours()).toBe(0);
    expect(new Date(end).getDate()).toBe(15);
    expect(new Date(end).getHours()).toBe(23);
    expect(Date.parse(end) - Date.parse(start)).toBeGreaterThanOrEqual(23 * 3600_000 - 1);
    expect(start).toMatch(/Z$/);
    expect(dayStartIso('')).toBeUndefined();
    expect(dayEndIso('15/03/2026')).toBeUndefined();
  });
});

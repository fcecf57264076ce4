import { describe, expect, it } from 'vitest';
import { localDaysStart } from '../../src/store/runHistory.ts';
import type { Dashboard } from '../../src/shared/model.ts';
import { seedRun } from '../helpers/seedRuns.ts';
import { data, tempBackend } from '../helpers/backend.ts';

const backend = () => tempBackend('preview');

const HOUR = 3_600_000;

describe('runs', () => {
  it('exports the filtered history as CSV: every matching run, quoted, formulas defused', async () => {
    const b = backend();
    const now = Date.now();
    seedRun(b.store, { startedAtMs: now - 3 * HOUR, status: 'completed', durationMs: 1200, initiatedBy: 'app' });
    seedRun(b.store, {
      startedAtMs: now - 2 * HOUR,
      status: 'failed',
      durationMs: 300,
      errorCategory: 'Network',
      errorMessage: '=HYPERLINK("x"), then "quoted"',
    });
    seedRun(b.store, { startedAtMs: now - HOUR, status: 'completed', durationMs: 900, initiatedBy: 'cli' });
    const all = await data<{ csv: string; rows: number }>(b, 'exportRuns', {});
    expect(all.rows).toBe(3);
    // The one CSV writer's document: a byte-order mark (spreadsheets read accents right), then the header.
    expect(all.csv.startsWith('\uFEFF')).toBe(true);
    const lines = all.csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'run_id,started_at,completed_at,status,initiated_by,duration_ms,total_projects,successful_projects,failed_projects,total_issues,issues_created,issues_updated,issues_unchanged,issues_deleted,error_category,error_message',
    );
    expect(lines).toHaveLength(5); // header, 3 runs, and the empty string after the last CRLF
    expect(lines[2]).toMatch(/,failed,cli,300,0,0,0,0,0,0,0,0,Network,"'=HYPERLINK\(""x""\), then ""quoted"""$/);
    const completed = await data<{ csv: string; rows: number }>(b, 'exportRuns', { status: 'completed', sort: 'durationMs', order: 'asc' });
    expect(completed.rows).toBe(2);
    expect(
      completed.csv
        .split('\r\n')
        .slice(1, 3)
        .map((line) => line.split(',')[5]),
    ).toEqual(['900', '1200']);
  });

  it("summarizes the dashboard over the user's days, today included, equal to the trend buckets", async () => {
    const b = backend();
    const now = Date.now();
    for (let i = 0; i < 40; i++)
      seedRun(b.store, { startedAtMs: now - i * 6 * HOUR, status: i % 4 === 0 ? 'failed' : 'completed', durationMs: 1000 + i });
    const offset = 120;
    const dashboard = await data<Dashboard>(b, 'getDashboard', { days: 7, utcOffsetMinutes: offset });
    expect(dashboard.trends).toHaveLength(7);
    const since = Date.parse(localDaysStart(now, 7, offset));
    const expected = Array.from({ length: 40 }, (_, i) => now - i * 6 * HOUR).filter((t) => t >= since).length;
    expect(dashboard.summary.totalRuns).toBe(expected);
    expect(dashboard.trends.reduce((n, p) => n + p.runs, 0)).toBe(expected);
    expect(dashboard.failures).toHaveLength(5);
    expect(dashboard.failures.every((run) => run.status === 'failed')).toBe(true);
    expect(dashboard.lastRun?.startedAt).toBe(new Date(now).toISOString());
    expect(localDaysStart(Date.parse('2026-11-28T23:30:00Z'), 1, 120)).toBe('2026-11-28T22:00:00.000Z');
    expect(localDaysStart(Date.parse('2026-11-28T23:30:00Z'), 7, -300)).toBe('2026-11-22T05:00:00.000Z');
  });

  it('refuses trends over more than 400 days or backwards', async () => {
    const b = backend();
    expect(await b.dispatch('getTrends', { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { from: 'a trend covers at most 400 days' } },
    });
    expect(await b.dispatch('getTrends', { from: '2026-01-02T00:00:00Z', to: '2026-01-01T00:00:00Z' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { to: '"to" must not be before "from"' } },
    });
  });
});

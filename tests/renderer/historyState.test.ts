import { describe, expect, it } from 'vitest';
import { applyRunUpdate, fresher, mergeLoaded, type HistoryView } from '../../src/renderer/lib/historyState.ts';
import type { Run } from '../../src/shared/model.ts';

function run(id: string, patch: Partial<Run> = {}): Run {
  return {
    id,
    status: 'completed',
    initiatedBy: 'app',
    startedAt: `2026-01-01T00:00:${id.padStart(2, '0')}.000Z`,
    completedAt: null,
    durationMs: 100,
    totalProjects: 3,
    successfulProjects: 3,
    failedProjects: 0,
    totalIssues: 10,
    issuesCreated: 1,
    issuesUpdated: 2,
    issuesUnchanged: 7,
    issuesDeleted: 0,
    errorMessage: null,
    errorCategory: null,
    ...patch,
  };
}

const view = (rows: Run[], patch: Partial<HistoryView> = {}): HistoryView => ({
  rows,
  total: rows.length,
  offset: 0,
  pageSize: 3,
  filtered: false,
  ...patch,
});

describe('fresher', () => {
  it('prefers a finished snapshot over a running one, then the further one', () => {
    const running = run('1', { status: 'running', totalIssues: 50 });
    const done = run('1', { status: 'completed', totalIssues: 40 });
    expect(fresher(running, done)).toBe(done);
    expect(fresher(done, running)).toBe(done);
    const later = run('1', { status: 'running', totalIssues: 60 });
    expect(fresher(running, later)).toBe(later);
    expect(fresher(later, running)).toBe(later);
  });
});

describe('applyRunUpdate', () => {
  it('updates a row in place', () => {
    const start = view([run('3', { status: 'running', totalIssues: 0 }), run('2'), run('1')]);
    const { view: next, newActivity } = applyRunUpdate(start, run('3', { totalIssues: 99 }));
    expect(newActivity).toBe(false);
    expect(next.rows.map((r) => r.id)).toEqual(['3', '2', '1']);
    expect(next.rows[0]).toMatchObject({ status: 'completed', totalIssues: 99 });
    expect(next.total).toBe(3);
  });

  it('ignores a stale running snapshot of a finished row', () => {
    const start = view([run('3')]);
    expect(applyRunUpdate(start, run('3', { status: 'running' })).view).toBe(start);
  });

  it('prepends a new run on page 1 without filters, keeping the page size', () => {
    const start = view([run('3'), run('2'), run('1')], { total: 40 });
    const { view: next } = applyRunUpdate(start, run('4', { status: 'running' }));
    expect(next.rows.map((r) => r.id)).toEqual(['4', '3', '2']);
    expect(next.total).toBe(41);
  });

  it('only flags new activity on later pages or with filters', () => {
    const later = view([run('2'), run('1')], { offset: 25 });
    expect(applyRunUpdate(later, run('9'))).toEqual({ view: later, newActivity: true });
    const filtered = view([run('2')], { filtered: true });
    expect(applyRunUpdate(filtered, run('9'))).toEqual({ view: filtered, newActivity: true });
  });

  it('works on an empty first page', () => {
    const { view: next } = applyRunUpdate(view([], { total: 0 }), run('1', { status: 'running' }));
    expect(next.rows).toHaveLength(1);
    expect(next.total).toBe(1);
  });
});

describe('mergeLoaded', () => {
  it('folds events that raced the page load into it', () => {
    const loaded = view([run('2', { status: 'running', totalIssues: 0 }), run('1')]);
    const merged = mergeLoaded(loaded, [run('2', { totalIssues: 5 }), run('3', { status: 'running' })]);
    expect(merged.rows.map((r) => [r.id, r.status])).toEqual([
      ['3', 'running'],
      ['2', 'completed'],
      ['1', 'completed'],
    ]);
    expect(merged.total).toBe(3);
  });

  it('does not add a run already in the loaded page, nor unknown runs to filtered pages', () => {
    const loaded = view([run('2'), run('1')]);
    expect(mergeLoaded(loaded, [run('2')]).rows).toHaveLength(2);
    const filtered = view([run('1')], { filtered: true });
    expect(mergeLoaded(filtered, [run('5')])).toBe(filtered);
  });
});

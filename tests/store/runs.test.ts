import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { addInstance, upsertProject } from '../../src/store/instances.ts';
import { createIssueWriter, listIssues, type MirrorIssue } from '../../src/store/issues.ts';
import { createRun, finalizeRun, getRunDetail, markInterruptedRuns, startProjectDetail } from '../../src/store/runs.ts';
import { getStatsSummary, getSyncHistory } from '../../src/store/runHistory.ts';
import { tempDir } from '../helpers/tempDb.ts';

let store: Store;
let cleanup: () => void;

beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  store = openStore({ file: temp.dbFile });
});
afterEach(() => {
  store.close();
  cleanup();
});

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-28T12:00:00Z');

function seedRun(startedAtMs: number, status: 'completed' | 'failed' | 'partial' | 'stopped', durationMs: number): string {
  const id = randomUUID();
  createRun(store, {
    id,
    initiatedBy: 'cli',
    performanceConfig: DEFAULT_PERFORMANCE_CONFIG,
    ownerPid: process.pid,
    ownerHost: 'h',
    startedAtMs,
  });
  finalizeRun(store, id, { status, completedAtMs: startedAtMs + durationMs });
  return id;
}

/** An instance `x` with project `P`, and a running run (owned by `ownerPid`) that has started it. */
function runWithProject(ownerPid: number) {
  const instance = addInstance(store, { name: 'x', url: 'https://x', flavor: 'cloud', credential: 'env', tokenEnv: 'T' });
  upsertProject(store, instance.id, 'P', '1', 'P');
  const runId = randomUUID();
  createRun(store, { id: runId, initiatedBy: 'cli', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid, ownerHost: 'h' });
  const detailId = startProjectDetail(store, { runId, instanceId: instance.id, instanceName: 'x', projectKey: 'P' });
  // What every page commit of this run needs besides its issues.
  const page = { instanceId: instance.id, projectKey: 'P', runId, projectDetailId: detailId, sliceId: null };
  return { instance, runId, detailId, page };
}

function issue(id: number, updatedMs: number, summary = `Issue ${id}`): MirrorIssue {
  return {
    id: String(id),
    key: `P-${id}`,
    projectKey: 'P',
    summary,
    description: `Description of issue ${id}`,
    status: 'To Do',
    statusCategory: 'new',
    issueType: 'Task',
    priority: null,
    assignee: null,
    reporter: null,
    created: new Date(updatedMs).toISOString(),
    updatedMs,
    resolution: null,
    labels: '["a"]',
    raw: Buffer.from(JSON.stringify({ id: String(id), key: `P-${id}`, fields: { summary } })),
    contentHash: `${id}:${summary}`,
  };
}

describe('run history', () => {
  it('pages newest first and counts every matching run exactly, beyond any page size', () => {
    // 1,200 runs: 3 per hour over 400 hours, every fourth failed.
    store.sqlite.transaction(() => {
      for (let i = 0; i < 1200; i++) seedRun(NOW - i * 1_200_000, i % 4 === 0 ? 'failed' : 'completed', 1000 + i);
    })();
    const page = getSyncHistory(store, { limit: 25, offset: 50 });
    expect(page.total).toBe(1200);
    expect(page.rows).toHaveLength(25);
    expect(page.rows[0]!.startedAt).toBe(new Date(NOW - 50 * 1_200_000).toISOString());
    expect(getSyncHistory(store, { status: 'failed', limit: 1 }).total).toBe(300);
    const from = new Date(NOW - 10 * 1_200_000).toISOString();
    expect(getSyncHistory(store, { from, limit: 500 }).total).toBe(11);
    expect(getSyncHistory(store, { from, to: new Date(NOW - 5 * 1_200_000).toISOString() }).total).toBe(6);
  });

  it('summarizes statistics in SQL over all runs in the window', () => {
    store.sqlite.transaction(() => {
      for (let i = 0; i < 1000; i++) seedRun(NOW - i * 60_000, i % 10 === 0 ? 'partial' : 'completed', (i + 1) * 10);
      seedRun(NOW - 40 * DAY, 'failed', 5); // outside a 30-day window
    })();
    const stats = getStatsSummary(store, 30, NOW + 1);
    expect(stats.totalRuns).toBe(1000);
    expect(stats.byStatus).toEqual({ running: 0, completed: 900, partial: 100, failed: 0, stopped: 0, interrupted: 0 });
    expect(stats.successRate).toBe(0.9);
    expect(stats.p50DurationMs).toBe(5000);
    expect(stats.p95DurationMs).toBe(9500);
    expect(stats.avgDurationMs).toBe(5005);
    expect(getStatsSummary(store, 60, NOW + 1).totalRuns).toBe(1001);
  });

  it('marks a run left running by a dead process as interrupted, keeping its committed counts', () => {
    const { runId, page } = runWithProject(999_999);
    createIssueWriter(store).commit({ ...page, issues: [issue(1, NOW), issue(2, NOW)] });
    const live = randomUUID();
    createRun(store, { id: live, initiatedBy: 'app', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid: 1, ownerHost: 'h' });

    const interrupted = markInterruptedRuns(store, ({ pid }) => pid === 1);
    expect(interrupted.map((r) => r.id)).toEqual([runId]);
    const detail = getRunDetail(store, runId)!;
    expect(detail.status).toBe('interrupted');
    expect(detail.totalIssues).toBe(2);
    expect(detail.issuesCreated).toBe(2);
    expect(detail.projects[0]!.status).toBe('interrupted');
    expect(getRunDetail(store, live)!.status).toBe('running');
  });
});

describe('issue writer', () => {
  it('counts created, updated and unchanged by content hash and advances the cursor in the same transaction', () => {
    const { runId, page } = runWithProject(process.pid);
    const writer = createIssueWriter(store);
    expect(writer.commit({ ...page, issues: [issue(1, NOW), issue(2, NOW + 5)] })).toEqual({
      processed: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(writer.commit({ ...page, issues: [issue(1, NOW), issue(2, NOW + 9, 'changed'), issue(3, NOW + 7), issue(3, NOW + 7)] })).toEqual(
      {
        processed: 4,
        created: 1,
        updated: 1,
        unchanged: 2,
      },
    );
    expect(store.sqlite.prepare('SELECT cursor_updated_ms AS c FROM projects').get()).toEqual({ c: NOW + 9 });
    expect(listIssues(store).rows.map((r) => [r.key, r.summary])).toEqual([
      ['P-1', 'Issue 1'],
      ['P-2', 'changed'],
      ['P-3', 'Issue 3'],
    ]);
    const detail = getRunDetail(store, runId)!;
    expect(detail.projects[0]).toMatchObject({ pages: 2, issuesProcessed: 6, issuesCreated: 3, issuesUpdated: 1, issuesUnchanged: 2 });
    // The raw copy is stored as text (SQLite's JSON functions read it), byte for byte.
    expect(
      store.sqlite
        .prepare(
          `SELECT typeof(raw_json) AS t, json_extract(raw_json, '$.fields.summary') AS s FROM issues JOIN issue_bodies ON issue_seq = seq WHERE key = 'P-2'`,
        )
        .get(),
    ).toEqual({
      t: 'text',
      s: 'changed',
    });
  });

  it('writes nothing of a page when one row fails', () => {
    const { runId, page } = runWithProject(process.pid);
    const broken = { ...issue(2, NOW), summary: null as unknown as string };
    expect(() => createIssueWriter(store).commit({ ...page, issues: [issue(1, NOW), broken] })).toThrow(/NOT NULL/);
    expect(listIssues(store).total).toBe(0);
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM issues_fts').get()).toEqual({ n: 0 });
    expect(store.sqlite.prepare('SELECT cursor_updated_ms AS c FROM projects').get()).toEqual({ c: null });
    expect(getRunDetail(store, runId)!.projects[0]!.pages).toBe(0);
  });

  it('keeps the full-text index in step with the mirror: new, changed and unchanged issues', () => {
    const { page } = runWithProject(process.pid);
    const writer = createIssueWriter(store);
    const search = (query: string) =>
      (
        store.sqlite
          .prepare(`SELECT i.key FROM issues_fts f JOIN issues i ON i.seq = f.rowid WHERE issues_fts MATCH ? ORDER BY i.key`)
          .all(query) as Array<{ key: string }>
      ).map((r) => r.key);
    writer.commit({ ...page, issues: [issue(1, NOW, 'Login fails on Safari'), issue(2, NOW, 'Export to CSV')] });
    expect(search('safari')).toEqual(['P-1']);
    expect(search('"P-2"')).toEqual(['P-2']);
    expect(search('description AND issue')).toEqual(['P-1', 'P-2']);
    writer.commit({ ...page, issues: [issue(1, NOW + 1, 'Login fails on Firefox'), issue(2, NOW, 'Export to CSV')] });
    expect(search('safari')).toEqual([]);
    expect(search('firefox')).toEqual(['P-1']);
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM issues_fts').get()).toEqual({ n: 2 });
    // Removing the instance removes its mirror, and its index entries with it.
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM issue_bodies').get()).toEqual({ n: 2 });
    store.sqlite.prepare('DELETE FROM instances').run();
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM issues_fts').get()).toEqual({ n: 0 });
    expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM issue_bodies').get()).toEqual({ n: 0 });
  });
});

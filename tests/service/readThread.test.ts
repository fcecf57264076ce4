import { afterEach, describe, expect, it } from 'vitest';
import { ApiFailure } from '../../src/service/apiErrors.ts';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import { DEFAULT_READ_WORKER_URL, ReadThread } from '../../src/service/readThread.ts';
import { readsOnThisThread } from '../../src/service/reads.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { addInstance, upsertProject } from '../../src/store/instances.ts';
import { createIssueWriter } from '../../src/store/issues.ts';
import { createRun, startProjectDetail } from '../../src/store/runs.ts';
import { mirrorIssue } from '../helpers/mirrorIssue.ts';
import { seedRun } from '../helpers/seedRuns.ts';
import { tempDir } from '../helpers/tempDb.ts';

const WORKER = DEFAULT_READ_WORKER_URL!;
let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function temp() {
  const dir = tempDir();
  cleanups.push(dir.cleanup);
  return dir;
}

/** A mirror of CORE with `count` issues; every third one's summary says "checkout". */
function mirrorOf(dbFile: string, count: number): { store: Store; write: (from: number, to: number) => void } {
  const store = openStore({ file: dbFile });
  const instance = addInstance(store, { name: 'acme', url: 'https://acme.example', flavor: 'cloud', credential: 'env', tokenEnv: 'T' });
  upsertProject(store, instance.id, 'CORE', '1', 'Core');
  createRun(store, { id: 'r1', initiatedBy: 'cli', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid: 1, ownerHost: 'h' });
  const detailId = startProjectDetail(store, { runId: 'r1', instanceId: instance.id, instanceName: 'acme', projectKey: 'CORE' });
  const writer = createIssueWriter(store);
  const write = (from: number, to: number) => {
    const issues = [];
    for (let n = from; n <= to; n++) {
      issues.push(mirrorIssue(n, { summary: n % 3 === 0 ? `Checkout fails ${n}` : `Routine ${n}`, description: `item ${n}` }));
    }
    writer.commit({ instanceId: instance.id, projectKey: 'CORE', runId: 'r1', projectDetailId: detailId, sliceId: null, issues });
  };
  write(1, count);
  cleanups.push(() => store.close());
  return { store, write };
}

function threadOn(dbFile: string): ReadThread {
  const thread = new ReadThread(WORKER, dbFile);
  cleanups.push(() => thread.close());
  return thread;
}

describe('the read thread', () => {
  it('answers searches and facets exactly as the calling thread does', async () => {
    const { dbFile } = temp();
    const { store } = mirrorOf(dbFile, 300);
    const here = readsOnThisThread(store);
    const thread = threadOn(dbFile);
    for (const search of [{ text: 'checkout' }, { text: 'check', offset: 50 }, { text: 'checkout', sort: 'key' as const }, {}]) {
      const page = await thread.read('searchIssues', search);
      expect(page).toEqual(await here.read('searchIssues', search));
    }
    const page = await thread.read('searchIssues', { text: 'checkout', limit: 5 });
    expect(page.total).toBe(100);
    expect(page.rows).toHaveLength(5);
    expect(await thread.read('getIssueFacets', {})).toEqual({
      statuses: [{ value: 'To Do', count: 300 }],
      issueTypes: [{ value: 'Bug', count: 300 }],
      assignees: [{ value: null, count: 300 }],
    });
  });

  it('sees what the host writes after it started, and what it kept is rescored, not served stale', async () => {
    const { dbFile } = temp();
    const { store, write } = mirrorOf(dbFile, 30_000);
    const thread = threadOn(dbFile);
    expect((await thread.read('searchIssues', { text: 'checkout' })).total).toBe(10_000);
    write(30_001, 30_003);
    const after = await thread.read('searchIssues', { text: 'checkout', offset: 950, limit: 100 });
    expect(after.total).toBe(10_001);
    expect(after).toEqual(await readsOnThisThread(store).read('searchIssues', { text: 'checkout', offset: 950, limit: 100 }));
    expect((await thread.read('searchIssues', { text: '30003' })).rows.map((row) => row.key)).toEqual(['CORE-30003']);
  });

  it('returns a failed read as the contract error it is, and keeps serving', async () => {
    const { dbFile } = temp();
    mirrorOf(dbFile, 10);
    const thread = threadOn(dbFile);
    // Inputs are validated before they get here; one that was not fails in the read, not the thread.
    const failed = thread.read('searchIssues', { text: 42 } as never);
    await expect(failed).rejects.toBeInstanceOf(ApiFailure);
    await expect(failed).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/split is not a function/) });
    expect((await thread.read('searchIssues', { text: 'routine' })).total).toBe(7);
  });

  it('fails the reads of a thread that stopped, and starts again on the next read', async () => {
    const { dbFile } = temp();
    const thread = threadOn(dbFile);
    // No database yet: the thread cannot open its connection and stops.
    await expect(thread.read('searchIssues', {})).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/^the read thread stopped: .*(unable to open|does not exist)/),
    });
    mirrorOf(dbFile, 10);
    expect((await thread.read('searchIssues', {})).total).toBe(10);
  });
});

describe('a backend with a read thread', () => {
  function backendOn(dbFile: string, withThread: boolean): Backend {
    const backend = openBackend({ dbFile, initiator: 'preview', env: {}, ...(withThread ? { readWorkerUrl: WORKER } : {}) });
    cleanups.push(() => backend.close());
    return backend;
  }

  it('serves the issue browser from it with the same answers and errors, and closes it', async () => {
    const { dbFile } = temp();
    mirrorOf(dbFile, 90);
    const threaded = backendOn(dbFile, true);
    const direct = backendOn(dbFile, false);
    for (const [name, input] of [
      ['searchIssues', { text: 'checkout', limit: 10 }],
      ['getIssueFacets', { instance: 'acme' }],
      ['searchIssues', { limit: 0 }],
    ] as const) {
      expect(await threaded.dispatch(name, input)).toEqual(await direct.dispatch(name, input));
    }
    expect(await threaded.dispatch('searchIssues', { text: 'checkout', limit: 1 })).toMatchObject({ ok: true, data: { total: 30 } });
    expect(await threaded.dispatch('searchIssues', { limit: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await threaded.close();
  });

  it('serves the dashboard and the trends from it, with the same figures as on the calling thread', async () => {
    const { dbFile } = temp();
    const { store } = mirrorOf(dbFile, 10);
    const now = Date.now();
    for (let i = 0; i < 24; i++) {
      seedRun(store, {
        startedAtMs: now - i * 8 * 3_600_000,
        status: i % 3 === 0 ? 'failed' : 'completed',
        durationMs: 1000 + 10 * i,
        projects: [{ key: 'CORE', issues: 100 + i, latencyP95Ms: 200 + i }],
      });
    }
    const threaded = backendOn(dbFile, true);
    const direct = backendOn(dbFile, false);
    const dashboard = await threaded.dispatch('getDashboard', { days: 7, utcOffsetMinutes: 60 });
    expect(dashboard).toMatchObject({ ok: true, data: { trends: expect.any(Array), failures: expect.any(Array) } });
    expect(dashboard).toEqual(await direct.dispatch('getDashboard', { days: 7, utcOffsetMinutes: 60 }));
    const trends = { from: new Date(now - 10 * 86_400_000).toISOString(), to: new Date(now).toISOString(), utcOffsetMinutes: -300 };
    const threadedTrends = await threaded.dispatch('getTrends', trends);
    expect(threadedTrends).toEqual(await direct.dispatch('getTrends', trends));
    if (!threadedTrends.ok) throw new Error(threadedTrends.error.message);
    expect((threadedTrends.data as Array<{ runs: number }>).reduce((n, day) => n + day.runs, 0)).toBe(25);
    expect(await threaded.dispatch('getTrends', { from: trends.to, to: trends.from })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });

  it('exports the CSVs from it: the same rows and text as on the calling thread', async () => {
    const { dbFile } = temp();
    const { store } = mirrorOf(dbFile, 90);
    createRun(store, { id: 'r2', initiatedBy: 'app', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid: 1, ownerHost: 'h' });
    const threaded = backendOn(dbFile, true);
    const direct = backendOn(dbFile, false);
    const content = async (backend: Backend, input: unknown) => {
      const result = await backend.dispatch('exportCsv', input);
      if (!result.ok) throw new Error(result.error.message);
      const { fileName: _stamped, ...file } = result.data as { fileName: string };
      return file;
    };
    for (const [input, rows] of [
      [{ kind: 'issues' }, 90],
      [{ kind: 'issues', project: 'CORE' }, 90],
      [{ kind: 'issues', text: 'checkout' }, 30],
      [{ kind: 'issues', text: 'checkout', instance: 'acme', sort: 'key', order: 'asc' }, 30],
      [{ kind: 'history' }, 2],
      [{ kind: 'history', status: 'completed' }, 0],
    ] as const) {
      const file = await content(threaded, input);
      expect(file).toMatchObject({ rows, mimeType: 'text/csv; charset=utf-8' });
      expect(file).toEqual(await content(direct, input));
    }
    const historyCsv = await threaded.dispatch('exportRuns', { initiatedBy: 'app' });
    expect(historyCsv).toMatchObject({ ok: true, data: { rows: 1 } });
    expect(historyCsv).toEqual(await direct.dispatch('exportRuns', { initiatedBy: 'app' }));
    expect(await threaded.dispatch('exportCsv', { kind: 'issues', instance: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

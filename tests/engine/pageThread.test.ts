import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PAGE_WORKER_URL } from '../../src/engine/host.ts';
import { PageThread, pageThreadEnabled } from '../../src/engine/pageThread.ts';
import type { Store } from '../../src/store/db.ts';
import { pageTargetFixture } from '../helpers/pageTarget.ts';

const issue = (n: number) => ({
  id: String(10_000 + n),
  key: `P-${n}`,
  fields: {
    summary: `Issue ${n}`,
    updated: '2026-03-20T06:21:50.295+0530',
    created: '2026-03-01T00:00:00.000+0000',
    status: { name: 'Done', statusCategory: { key: 'done' } },
    project: { key: 'P' },
  },
});

let released = 0;
const bytes = (value: unknown) => ({
  bytes: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  release: () => {
    released += 1;
  },
});

let thread: PageThread | null = null;
let store: Store | null = null;
let cleanup: (() => void) | null = null;
afterEach(async () => {
  await thread?.close();
  store?.close();
  cleanup?.();
  thread = null;
  store = null;
  cleanup = null;
  released = 0;
});

/** A real database with an instance, a run and a project detail to write pages for. */
function mirror() {
  const fixture = pageTargetFixture('P');
  cleanup = fixture.cleanup;
  store = fixture.store;
  thread = new PageThread(DEFAULT_PAGE_WORKER_URL!, { dbFile: fixture.dbFile, autocheckpointPages: 1000 });
  const target = fixture.target;
  const keys = () => (store!.sqlite.prepare('SELECT key FROM issues ORDER BY seq').all() as Array<{ key: string }>).map((row) => row.key);
  return { target, keys };
}

describe('page thread', () => {
  it('writes exactly the issues kept of pages parsed here, and frees each body once the thread has its copy', async () => {
    const { target, keys } = mirror();
    const pages = await Promise.all(
      [1, 2, 3].map((p) => thread!.pages(bytes({ issues: [issue(p * 10), issue(p * 10 + 1)], nextPageToken: `t${p}`, isLast: false }))),
    );
    expect(pages.map((page) => [page.nextPageToken, page.issues.map((i) => i.id)])).toEqual([
      ['t1', ['10010', '10011']],
      ['t2', ['10020', '10021']],
      ['t3', ['10030', '10031']],
    ]);
    expect(pages[0]!.issues[0]!.updatedMs).toBe(Date.parse('2026-03-20T00:51:50.295Z'));
    // Held while parsed (the issues read the body's bytes).
    expect(released).toBe(0);

    // Page 1 whole, page 2 without its first issue, page 3 given up: only those rows exist.
    const first = pages[0]!.commit(target, pages[0]!.issues);
    // The thread copied the bytes when the commit was sent: the body is free before the write ends.
    expect(released).toBe(1);
    expect((await first).counts).toEqual({ processed: 2, created: 2, updated: 0, unchanged: 0 });
    expect((await pages[1]!.commit(target, pages[1]!.issues.slice(1))).counts).toEqual({
      processed: 1,
      created: 1,
      updated: 0,
      unchanged: 0,
    });
    pages[2]!.release();
    expect(released).toBe(3);
    expect(keys()).toEqual(['P-10', 'P-11', 'P-21']);
    // The raw copy is the issue's own bytes, written by the thread.
    const raw = store!.sqlite
      .prepare(`SELECT raw_json FROM issue_bodies b JOIN issues i ON i.seq = b.issue_seq WHERE i.key = 'P-21'`)
      .pluck()
      .get();
    expect(JSON.parse(raw as string)).toEqual(issue(21));
    const detail = store!.sqlite.prepare('SELECT pages, issues_created FROM sync_project_details WHERE id = ?').get(target.projectDetailId);
    expect(detail).toEqual({ pages: 2, issues_created: 3 });

    // The same page again: unchanged, nothing rewritten.
    const again = await thread!.pages(bytes({ issues: [issue(10)], isLast: true }));
    expect((await again.commit(target, again.issues)).counts).toEqual({ processed: 1, created: 0, updated: 0, unchanged: 1 });
  });

  it("answers a failed write with the store's error category", async () => {
    const { target } = mirror();
    const page = await thread!.pages(bytes({ issues: [issue(1)] }));
    await expect(page.commit({ ...target, instanceId: 'no-such-instance' }, page.issues)).rejects.toMatchObject({
      category: 'Database',
      message: expect.stringMatching(/FOREIGN KEY constraint failed/),
    });
    expect(released).toBe(1);
  });

  it('fails every commit with a Database error once it has stopped, instead of waiting for an answer', async () => {
    const { target } = mirror();
    await thread!.close();
    const page = await thread!.pages(bytes({ issues: [issue(1)] }));
    await expect(page.commit(target, page.issues)).rejects.toMatchObject({
      category: 'Database',
      message: 'the page thread stopped: closed',
    });
    expect(released).toBe(1);
  });
});

describe('page thread switch', () => {
  it('is on from 3 cores and follows JIRA_MIRROR_PAGE_THREAD', () => {
    expect([1, 2, 3, 8].map((cores) => pageThreadEnabled({}, cores))).toEqual([false, false, true, true]);
    expect(pageThreadEnabled({ JIRA_MIRROR_PAGE_THREAD: '0' }, 8)).toBe(false);
    expect(pageThreadEnabled({ JIRA_MIRROR_PAGE_THREAD: '1' }, 1)).toBe(true);
  });
});

describe('the engine and its page thread', () => {
  it('sends pages through the thread when it is on, and writes them in place when it is off', async () => {
    const { mirrorFixture, CLOUD_TOKEN } = await import('../helpers/mirror.ts');
    const { openBackend } = await import('../../src/service/openBackend.ts');
    const fixture = await mirrorFixture({ projects: [{ key: 'POOL', issues: 30 }] });
    // A thread that cannot start: if pages go through it, nothing can be written.
    const backend = openBackend({
      dbFile: fixture.dbFile,
      initiator: 'cli',
      env: { JIRA_TOKEN: CLOUD_TOKEN },
      pageWorkerUrl: new URL('./no-such-page-worker.ts', import.meta.url),
    });
    const sync = async () => {
      const started = await backend.dispatch('startSync', {});
      if (!started.ok) throw new Error(started.error.message);
      return backend.waitForRun((started.data as { runId: string }).runId);
    };
    try {
      process.env.JIRA_MIRROR_PAGE_THREAD = '1';
      const threaded = await sync();
      expect(threaded).toMatchObject({ status: 'failed', errorCategory: 'Database', totalIssues: 0 });
      expect(threaded.errorMessage).toMatch(/the page thread stopped/);
      process.env.JIRA_MIRROR_PAGE_THREAD = '0';
      expect(await sync()).toMatchObject({ status: 'completed', totalIssues: 30 });
    } finally {
      delete process.env.JIRA_MIRROR_PAGE_THREAD;
      await backend.close();
      await fixture.close();
    }
  });
});

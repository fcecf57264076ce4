import { afterEach, describe, expect, it } from 'vitest';
import { SyncError } from '../../src/engine/errors.ts';
import { ParsePool } from '../../src/engine/parsePool.ts';
import { DEFAULT_PARSE_WORKER_URL } from '../../src/engine/host.ts';

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

let pool: ParsePool | null = null;
afterEach(async () => {
  await pool?.close();
  pool = null;
});

describe('parse pool', () => {
  it('parses and normalizes pages on its threads, many at once', async () => {
    pool = new ParsePool(DEFAULT_PARSE_WORKER_URL!, 2);
    const pages = await Promise.all(
      [1, 2, 3, 4, 5].map((p) => pool!.parse(bytes({ issues: [issue(p * 10), issue(p * 10 + 1)], nextPageToken: `t${p}`, isLast: false }))),
    );
    expect(pages.map((page) => [page.nextPageToken, page.issues.map((i) => i.key)])).toEqual(
      [1, 2, 3, 4, 5].map((p) => [`t${p}`, [`P-${p * 10}`, `P-${p * 10 + 1}`]]),
    );
    expect(pages[0]!.issues[0]).toMatchObject({
      id: '10010',
      projectKey: 'P',
      status: 'Done',
      statusCategory: 'done',
      updatedMs: Date.parse('2026-03-20T00:51:50.295Z'),
    });
    // The response's buffer is given back as soon as the thread has its copy.
    expect(released).toBe(5);
    // The raw copy is the issue's own bytes, back from the thread.
    expect(JSON.parse(Buffer.from(pages[0]!.issues[1]!.raw).toString())).toEqual(issue(11));
  });

  it('answers with the same error categories as parsing in place: invalid JSON is retryable, a malformed issue is not', async () => {
    pool = new ParsePool(DEFAULT_PARSE_WORKER_URL!, 1);
    const truncated = await pool.parse(bytes('{"issues":[{"id":"1')).catch((error: unknown) => error);
    expect(truncated).toBeInstanceOf(SyncError);
    expect(truncated).toMatchObject({ category: 'Validation', retryable: true });
    const malformed = await pool.parse(bytes({ issues: [issue(1), { id: 'x', key: 'P-2', fields: {} }] })).catch((error: unknown) => error);
    expect(malformed).toMatchObject({
      category: 'Validation',
      retryable: false,
      message: 'Jira sent a malformed search page: issue #2 of the page has no numeric id',
    });
  });
});

describe('parse pool size', () => {
  it('starts at 3 cores, caps at 4 threads, and follows JIRA_MIRROR_PARSE_THREADS', async () => {
    const { parseThreads } = await import('../../src/engine/parsePool.ts');
    expect([1, 2, 3, 4, 8, 64].map((cores) => parseThreads({}, cores))).toEqual([0, 0, 1, 2, 4, 4]);
    expect(parseThreads({ JIRA_MIRROR_PARSE_THREADS: '2' }, 2)).toBe(2);
    expect(parseThreads({ JIRA_MIRROR_PARSE_THREADS: '0' }, 16)).toBe(0);
    expect(parseThreads({ JIRA_MIRROR_PARSE_THREADS: 'lots' }, 8)).toBe(4);
  });
});

describe('the engine and its parse pool', () => {
  it('sends pages through the pool when it has threads, and parses in place when it has none', async () => {
    const { mirrorFixture, CLOUD_TOKEN } = await import('../helpers/mirror.ts');
    const { openBackend } = await import('../../src/service/openBackend.ts');
    const fixture = await mirrorFixture({ projects: [{ key: 'POOL', issues: 30 }] });
    // A pool whose thread cannot start: if pages go through it, they cannot be parsed.
    const backend = openBackend({
      dbFile: fixture.dbFile,
      initiator: 'cli',
      env: { JIRA_TOKEN: CLOUD_TOKEN },
      parseWorkerUrl: new URL('./no-such-parse-worker.ts', import.meta.url),
    });
    const sync = async () => {
      const started = await backend.dispatch('startSync', {});
      if (!started.ok) throw new Error(started.error.message);
      return backend.waitForRun((started.data as { runId: string }).runId);
    };
    try {
      process.env.JIRA_MIRROR_PARSE_THREADS = '1';
      const pooled = await sync();
      expect(pooled).toMatchObject({ status: 'failed', errorCategory: 'Validation', totalIssues: 0 });
      expect(pooled.errorMessage).toMatch(/a page could not be parsed/);
      process.env.JIRA_MIRROR_PARSE_THREADS = '0';
      expect(await sync()).toMatchObject({ status: 'completed', totalIssues: 30 });
    } finally {
      delete process.env.JIRA_MIRROR_PARSE_THREADS;
      await backend.close();
      await fixture.close();
    }
  });
});

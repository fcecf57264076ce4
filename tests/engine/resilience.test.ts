import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import type { RunDetail } from '../../src/shared/model.ts';
import type { SearchResolution } from '../../src/simulator/index.ts';
import { getPerformanceAudit } from '../../src/store/config.ts';
import { CLOUD_TOKEN, type MirrorFixture, configure, mirrorFixture, mirroredKeys, runDetail, simulatorTruth } from '../helpers/mirror.ts';

let fixture: MirrorFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

/** Resolves when the running sync has committed at least `issues` issues. */
function committed(backend: Backend, issues: number): Promise<string> {
  return new Promise((resolve) => {
    const off = backend.subscribe((event, payload) => {
      const run = payload as { id: string; totalIssues: number };
      if (event === 'runUpdated' && run.totalIssues >= issues) {
        off();
        resolve(run.id);
      }
    });
  });
}

// Every scenario runs against a search comparing `updated` to the millisecond, and to the minute.
describe.each(['millisecond', 'minute'] as SearchResolution[])('search comparing `updated` to the %s', (searchResolution) => {
  describe('a project much larger than the rest', () => {
    it('is split into updated ranges paged by several workers, and mirrored exactly once', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [
          { key: 'BIG', issues: 3000 },
          { key: 'TINY', issues: 7 },
        ],
      });
      configure(fixture.backend, { batchSize: 50, maxWorkers: 4 });
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'completed', totalIssues: 3007, issuesCreated: 3007 });
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
      // Bisection asked for range counts; the ranges are gone once folded into the project's cursor.
      expect(fixture.sim.control.stats().requests['POST /rest/api/3/search/approximate-count']).toBeGreaterThan(3);
      const store = fixture.backend.store;
      expect(store.sqlite.prepare('SELECT COUNT(*) AS n FROM sync_slices').get()).toEqual({ n: 0 });
      const cursor = store.sqlite.prepare(`SELECT cursor_updated_ms AS c FROM projects WHERE key = 'BIG'`).get() as { c: number };
      expect(cursor.c).toBe(
        Math.max(
          ...fixture.sim.control
            .snapshot()
            .filter((i) => i.projectKey === 'BIG')
            .map((i) => i.updated),
        ),
      );

      fixture.sim.control.updateIssues(['BIG-1', 'BIG-3000']);
      expect(await fixture.sync()).toMatchObject({ status: 'completed', issuesCreated: 0, issuesUpdated: 2 });
    });
  });

  describe('Data Center paging while issues change', () => {
    it('neither skips nor duplicates when already-read issues move to the end of the order mid-sync', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        flavor: 'datacenter',
        projects: [{ key: 'DC', issues: 600 }],
        latencyMs: 60,
      });
      configure(fixture.backend, { batchSize: 50, maxWorkers: 1 });
      const started = await fixture.backend.dispatch('startSync', {});
      if (!started.ok) throw new Error(started.error.message);
      const runId = (started.data as { runId: string }).runId;
      await committed(fixture.backend, 100);
      // Issues already read are updated: with offset paging every later issue would shift back 20 places.
      const snapshot = fixture.sim.control.snapshot().sort((a, b) => a.updated - b.updated || a.key.localeCompare(b.key));
      fixture.sim.control.updateIssues(snapshot.slice(0, 20).map((i) => i.key));
      const run = await fixture.backend.waitForRun(runId);
      expect(run.status).toBe('completed');
      expect(run.issuesCreated).toBe(600);
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
    });
  });

  describe('the largest pages', () => {
    it("syncs Data Center pages of 1,000 full issues within the engine thread's heap cap", async () => {
      fixture = await mirrorFixture({
        searchResolution,
        flavor: 'datacenter',
        projects: [{ key: 'HUGE', issues: 3000 }],
      });
      configure(fixture.backend, { batchSize: 1000, maxWorkers: 1 });
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'completed', totalIssues: 3000, issuesCreated: 3000 });
      // Each page after the first begins with the last issue read (the check that nothing shifted),
      // and Data Center returns at most 1,000: 1,000 + 999 + 999 + 2.
      expect((await runDetail(fixture.backend, run.id)).projects[0]!.pages).toBe(4);
    });
  });

  describe('deletions and moves', () => {
    it('a sweep marks deleted issues and follows moved ones, counted in issuesDeleted', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [
          { key: 'SRC', issues: 30 },
          { key: 'DST', issues: 10 },
        ],
      });
      await fixture.sync();
      fixture.sim.control.deleteIssue('SRC-3');
      fixture.sim.control.deleteIssue('DST-4');
      const movedTo = fixture.sim.control.moveIssue('SRC-7', 'DST');
      const run = await fixture.sync({ sweep: true });
      expect(run).toMatchObject({ status: 'completed', issuesDeleted: 2, issuesUpdated: 1, issuesCreated: 0 });
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
      const moved = fixture.backend.store.sqlite
        .prepare(`SELECT key, project_key AS p, deleted_at AS d FROM issues WHERE key = ?`)
        .get(movedTo);
      expect(moved).toEqual({ key: movedTo, p: 'DST', d: null });
      const shown = await runDetail(fixture.backend, run.id);
      expect(shown.projects.map((p) => [p.projectKey, p.issuesDeleted])).toEqual([
        ['DST', 1],
        ['SRC', 1],
      ]);
    });

    it('finds a deletion at once when the count disagrees with the mirror', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        flavor: 'datacenter',
        projects: [{ key: 'C', issues: 12 }],
      });
      await fixture.sync();
      fixture.sim.control.deleteIssue('C-1');
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'completed', issuesDeleted: 1 });
      expect((await runDetail(fixture.backend, run.id)).projects[0]!.verification).toMatchObject({
        result: 'exact',
        method: 'sweep',
        jiraCount: 11,
        mirrorCount: 11,
      });
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
    });

    it('sweeps by itself every Nth sync of a project, finding what no count can tell', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [{ key: 'N', issues: 12 }],
      });
      configure(fixture.backend, { sweepEvery: 4 });
      await fixture.sync();
      // An issue changed just now, then deleted: both sides of the count leave it out (it was still
      // changing while the sync ran), so only a sweep sees it gone.
      fixture.sim.control.updateIssue('N-1');
      await fixture.sync();
      fixture.sim.control.deleteIssue('N-1');
      const third = await fixture.sync();
      expect(third.issuesDeleted).toBe(0);
      expect((await runDetail(fixture.backend, third.id)).projects[0]!.verification).toMatchObject({
        result: 'approximate',
        jiraCount: 11,
        mirrorCount: 11,
      });
      const fourth = await fixture.sync();
      expect(fourth.issuesDeleted).toBe(1);
      expect((await runDetail(fixture.backend, fourth.id)).projects[0]!.verification).toMatchObject({
        result: 'exact',
        method: 'sweep',
        jiraCount: 11,
        mirrorCount: 11,
      });
    });
  });

  describe('retries and rate limits', () => {
    it('mirrors every issue exactly once under 10 % injected transient faults (5xx, resets, truncated and malformed bodies, 429s)', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [
          { key: 'F1', issues: 400 },
          { key: 'F2', issues: 300 },
          { key: 'F3', issues: 250 },
        ],
      });
      configure(fixture.backend, { batchSize: 10, maxRetries: 8, backoffFactor: 0.02 });
      fixture.sim.control.setFaults([
        // Each kind at least once on a page request, then ~10 % of all requests at random (seeded).
        { kind: 'truncated', count: 1, pathIncludes: '/search/jql' },
        { kind: 'malformed', count: 1, pathIncludes: '/search/jql' },
        { kind: 'rate-limit', count: 1, pathIncludes: '/search/jql', retryAfterSeconds: 0 },
        { kind: 'status', status: 503, probability: 0.03 },
        { kind: 'status', status: 502, probability: 0.02 },
        { kind: 'reset', probability: 0.02 },
        { kind: 'truncated', probability: 0.01 },
        { kind: 'malformed', probability: 0.01 },
        { kind: 'rate-limit', probability: 0.01, retryAfterSeconds: 0 },
      ]);
      const run = await fixture.sync();
      const faults = fixture.sim.control.stats().faults;
      const injected = Object.values(faults).reduce((n, v) => n + (v ?? 0), 0);
      expect(Object.keys(faults).sort()).toEqual(['malformed', 'rate-limit', 'reset', 'status', 'truncated']);
      expect(injected).toBeGreaterThanOrEqual(10);
      expect(run).toMatchObject({ status: 'completed', totalIssues: 950, issuesCreated: 950 });
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
      const shown = await runDetail(fixture.backend, run.id);
      const retries = shown.projects.reduce((n, p) => n + p.retries, 0);
      // Every injected fault on a project's requests was retried (faults before the project list are not counted there).
      expect(retries).toBeLessThanOrEqual(injected);
      expect(retries).toBeGreaterThan(0);
    });

    it('waits at least Retry-After before retrying (checked on the simulator clock)', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [{ key: 'RA', issues: 10 }],
      });
      configure(fixture.backend, { backoffFactor: 0.1 });
      fixture.sim.control.setFaults([{ kind: 'rate-limit', count: 1, retryAfterSeconds: 2, pathIncludes: '/search/jql' }]);
      const run = await fixture.sync();
      expect(run.status).toBe('completed');
      const log = fixture.sim.control.requests().filter((r) => r.path.includes('/search/jql'));
      const limited = log.findIndex((r) => r.status === 429);
      expect(limited).toBeGreaterThanOrEqual(0);
      const retry = log[limited + 1]!;
      expect(retry.status).toBe(200);
      expect(retry.at - log[limited]!.at).toBeGreaterThanOrEqual(2000);
      expect((await runDetail(fixture.backend, run.id)).projects[0]).toMatchObject({ rateLimited: 1, retries: 1 });
    });

    it('reports an hourly quota instead of sleeping through it', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [{ key: 'Q', issues: 10 }],
      });
      fixture.sim.control.setFaults([{ kind: 'quota', count: 1, retryAfterSeconds: 1800, pathIncludes: '/search/jql' }]);
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'failed', errorCategory: 'RateLimit' });
      expect(run.errorMessage).toMatch(/jira-quota-tenant-based.*longer than max_rate_limit_wait \(300 s\)/);
    });
  });

  describe('timeouts and live settings', () => {
    it('fails only the project that exceeds project_timeout; the run is partial', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [
          { key: 'FAST', issues: 20 },
          { key: 'SLOW', issues: 3000 },
        ],
        latencyMs: 150,
      });
      configure(fixture.backend, { projectTimeout: 2, batchSize: 50, maxWorkers: 1 });
      const run = await fixture.sync();
      expect(run.status).toBe('partial');
      const shown = await runDetail(fixture.backend, run.id);
      expect(shown.projects.map((p) => [p.projectKey, p.status, p.errorCategory])).toEqual([
        ['FAST', 'completed', null],
        ['SLOW', 'failed', 'Timeout'],
      ]);
      expect(shown.projects[1]!.errorMessage).toBe('the project took longer than project_timeout (2 s)');
    });

    it('applies a batch size saved during a running sync from its next page, and audits the change', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [{ key: 'LIVE', issues: 1000 }],
        latencyMs: 50,
      });
      // A pause between pages gives the change a quiet moment to land in: right after a commit.
      configure(fixture.backend, { batchSize: 50, maxWorkers: 1, rateLimitPause: 0.4 });
      const started = await fixture.backend.dispatch('startSync', {});
      if (!started.ok) throw new Error(started.error.message);
      const runId = (started.data as { runId: string }).runId;
      const progress = fixture.backend.store.sqlite.prepare(
        'SELECT pages, issues_processed AS issues FROM sync_project_details WHERE sync_id = ?',
      );
      const atChange = await new Promise<{ pages: number; issues: number }>((resolve) => {
        const poll = setInterval(() => {
          const row = progress.get(runId) as { pages: number; issues: number } | undefined;
          if (row && row.pages >= 2) {
            clearInterval(poll);
            // (Jira Cloud returns at most 100 full issues a page, so 100 is the largest size that shows as asked.)
            configure(fixture!.backend, { batchSize: 100 });
            resolve(row);
          }
        }, 5);
      });
      const run = await fixture.backend.waitForRun(runId);
      expect(run).toMatchObject({ status: 'completed', totalIssues: 1000 });
      expect(atChange.issues).toBe(50 * atChange.pages);
      expect((await runDetail(fixture.backend, runId)).projects[0]!.pages).toBe(atChange.pages + Math.ceil((1000 - atChange.issues) / 100));
      const audit = getPerformanceAudit(fixture.backend.store);
      expect(audit[0]).toMatchObject({ changedBy: 'test', before: { batchSize: 50 }, after: { batchSize: 100 } });
    });
  });

  describe('observability', () => {
    it('records a bounded time series and per-project figures for every run', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [{ key: 'OBS', issues: 600 }],
        latencyMs: 100,
      });
      configure(fixture.backend, { batchSize: 50, maxWorkers: 1 });
      const run = await fixture.sync();
      const shown = await runDetail(fixture.backend, run.id);
      const byMetric = Map.groupBy(shown.metrics, (m) => m.metric);
      expect([...byMetric.keys()].sort()).toEqual(['api_latency_p50_ms', 'heap_used_bytes', 'issues_per_second', 'rss_bytes']);
      // One sample a second (plus the final one): never more, whatever the number of pages.
      const seconds = Math.ceil(run.durationMs! / 1000);
      for (const samples of byMetric.values()) expect(samples.length).toBeLessThanOrEqual(seconds + 1);
      expect(byMetric.get('issues_per_second')!.length).toBeGreaterThanOrEqual(seconds - 1);
      expect(shown.peakRssBytes).toBeGreaterThan(10_000_000);
      const [project] = shown.projects;
      // One worker never splits a project, so no size count: 12 pages and the completeness check.
      expect(project).toMatchObject({ pages: 12, apiCalls: 13, retries: 0, rateLimited: 0 });
      expect(project!.latencyP50Ms).toBeGreaterThanOrEqual(100);
      expect(project!.latencyMaxMs).toBeGreaterThanOrEqual(project!.latencyP95Ms!);
      expect(project!.waitMs).toBeGreaterThanOrEqual(12 * 100);
      expect(project!.parseMs).toBeGreaterThan(0);
      expect(project!.writeMs).toBeGreaterThan(0);
    });
  });

  describe('connection pool', () => {
    async function maxOpenConnections(block: boolean): Promise<number> {
      fixture = await mirrorFixture({
        searchResolution,
        projects: 6,
        issuesPerProject: 150,
        latencyMs: 80,
      });
      configure(fixture.backend, { connectionPoolSize: 2, connectionPoolBlock: block, maxWorkers: 6, batchSize: 50 });
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'completed', totalIssues: 900 });
      return fixture.sim.control.stats().maxOpenConnections;
    }

    it('a blocking pool of 2 keeps 6 workers to 2 connections', async () => {
      expect(await maxOpenConnections(true)).toBe(2);
    });

    it('a non-blocking pool of 2 opens extra connections for 6 workers', async () => {
      expect(await maxOpenConnections(false)).toBeGreaterThan(2);
    });
  });

  describe('crash safety', () => {
    it('after kill -9 mid-sync the run is interrupted, and the next sync resumes with no duplicates and nothing missing', async () => {
      fixture = await mirrorFixture({
        searchResolution,
        projects: [
          { key: 'K1', issues: 1500 },
          { key: 'K2', issues: 200 },
        ],
        latencyMs: 40,
      });
      configure(fixture.backend, { batchSize: 50, maxWorkers: 2 });
      const { dbFile } = fixture;
      const bin = new URL('../../bin/jira-mirror.js', import.meta.url).pathname;
      const child = spawn(process.execPath, [bin, '--db', dbFile, 'sync', '--json'], {
        env: { ...process.env, JIRA_TOKEN: CLOUD_TOKEN },
        stdio: 'ignore',
      });
      const watcher = fixture.backend.store;
      try {
        await new Promise<void>((resolve, reject) => {
          const poll = setInterval(() => {
            const { n } = watcher.sqlite.prepare('SELECT COUNT(*) AS n FROM issues').get() as { n: number };
            if (n >= 300) {
              clearInterval(poll);
              child.kill('SIGKILL');
              resolve();
            }
          }, 20);
          child.on('exit', () => {
            clearInterval(poll);
            reject(new Error('the sync ended before it could be killed'));
          });
        });
        await new Promise((resolve) => child.once('exit', resolve));
        const before = (watcher.sqlite.prepare('SELECT COUNT(*) AS n FROM issues').get() as { n: number }).n;
        expect(before).toBeGreaterThanOrEqual(300);
        expect(before).toBeLessThan(1700);
      } finally {
        // Reopening is what marks the killed process's run interrupted, as at the app's next start.
        await fixture.reopen();
      }

      const history = await fixture.backend.dispatch('listRuns', {});
      if (!history.ok) throw new Error(history.error.message);
      const [killed] = (history.data as { rows: RunDetail[] }).rows;
      expect(killed).toMatchObject({ status: 'interrupted' });
      expect(killed!.completedAt).not.toBeNull();
      const committedBefore = killed!.issuesCreated;

      const resumed = await fixture.sync();
      expect(resumed.status).toBe('completed');
      expect(resumed.issuesCreated).toBe(1700 - committedBefore);
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
    });
  });
});

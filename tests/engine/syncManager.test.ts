import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { savePerformanceConfig, getPerformanceConfig } from '../../src/store/config.ts';
import { addInstance } from '../../src/store/instances.ts';
import { CLOUD_TOKEN, DC_TOKEN, type MirrorFixture, mirrorFixture, mirroredKeys, runDetail } from '../helpers/mirror.ts';

let fixture: MirrorFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

function fastRetries(backend: Backend) {
  savePerformanceConfig(backend.store, { ...getPerformanceConfig(backend.store), backoffFactor: 0.1, maxRetries: 3 }, 'test');
}

describe.each([
  ['cloud', '0'],
  ['datacenter', '0'],
  ['cloud', '1'],
  ['datacenter', '1'],
] as const)('%s with JIRA_MIRROR_PAGE_THREAD=%s: incremental sync', (flavor, pageThread) => {
  beforeEach(() => {
    process.env.JIRA_MIRROR_PAGE_THREAD = pageThread;
  });
  afterEach(() => {
    delete process.env.JIRA_MIRROR_PAGE_THREAD;
  });

  it('mirrors every issue exactly once, then picks up exactly the 5 updates and 3 creations', async () => {
    fixture = await mirrorFixture({
      flavor,
      projects: [
        { key: 'ALPHA', issues: 230 },
        { key: 'BETA', issues: 75 },
        { key: 'GAMMA', issues: 0 },
      ],
    });
    const { sim, backend } = fixture;

    const first = await fixture.sync();
    expect(first).toMatchObject({
      status: 'completed',
      totalProjects: 3,
      successfulProjects: 3,
      failedProjects: 0,
      totalIssues: 305,
      issuesCreated: 305,
      issuesUpdated: 0,
    });
    const truth = new Map(sim.control.snapshot().map((i) => [i.key, i.id]));
    expect(truth.size).toBe(305);
    expect(mirroredKeys(backend)).toEqual(truth);

    sim.control.updateIssues(['ALPHA-1', 'ALPHA-100', 'ALPHA-230', 'BETA-2', 'BETA-75']);
    sim.control.createIssues('BETA', 2);
    sim.control.createIssues('GAMMA', 1);
    const second = await fixture.sync();
    expect(second).toMatchObject({ status: 'completed', issuesCreated: 3, issuesUpdated: 5 });
    expect(mirroredKeys(backend).size).toBe(308);
    const summaries = backend.store.sqlite.prepare(`SELECT key, summary FROM issues WHERE key IN ('ALPHA-100','GAMMA-1')`).all() as Array<{
      key: string;
      summary: string;
    }>;
    expect(summaries).toHaveLength(2);

    const third = await fixture.sync();
    expect(third).toMatchObject({ status: 'completed', issuesCreated: 0, issuesUpdated: 0 });

    const shown = await runDetail(backend, second.id);
    expect(shown.projects.map((p) => [p.projectKey, p.status, p.issuesCreated, p.issuesUpdated])).toEqual([
      ['ALPHA', 'completed', 0, 3],
      ['BETA', 'completed', 2, 2],
      ['GAMMA', 'completed', 1, 0],
    ]);
  });
});

describe('time zones, same-minute changes and index lag', () => {
  it('picks up a change made within the same minute as the previous sync, with user and site zones far apart', async () => {
    fixture = await mirrorFixture({
      projects: [{ key: 'TZ', issues: 40 }],
      userTimeZone: 'Pacific/Kiritimati',
      siteTimeZone: 'Pacific/Pago_Pago',
    });
    expect((await fixture.sync()).issuesCreated).toBe(40);
    // No waiting: the change lands in the very minute the previous sync ended.
    fixture.sim.control.updateIssue('TZ-7');
    fixture.sim.control.createIssues('TZ', 1);
    expect(await fixture.sync()).toMatchObject({ status: 'completed', issuesUpdated: 1, issuesCreated: 1 });
  });

  it('catches a change that search showed late (index lag) on a later sync, thanks to the cursor overlap', async () => {
    fixture = await mirrorFixture({ projects: [{ key: 'LAG', issues: 30 }] });
    await fixture.sync();
    fixture.sim.control.setIndexLag(60_000);
    fixture.sim.control.updateIssue('LAG-3');
    fixture.sim.control.createIssues('LAG', 1);
    fixture.sim.control.updateIssue('LAG-30');
    // Search still shows the old versions: nothing new yet, and the cursor does not jump past them.
    expect(await fixture.sync()).toMatchObject({ status: 'completed', issuesUpdated: 0, issuesCreated: 0 });
    fixture.sim.control.advanceClock(61_000);
    expect(await fixture.sync()).toMatchObject({ status: 'completed', issuesUpdated: 2, issuesCreated: 1 });
    expect(mirroredKeys(fixture.backend)).toEqual(new Map(fixture.sim.control.snapshot().map((i) => [i.key, i.id])));
  });
});

describe('failures', () => {
  it('reports a wrong instance URL (404) as Validation', async () => {
    fixture = await mirrorFixture({ projects: 1, issuesPerProject: 3 });
    fixture.backend.store.sqlite.prepare(`UPDATE instances SET url = url || '/jira'`).run();
    const run = await fixture.sync();
    expect(run).toMatchObject({ status: 'failed', errorCategory: 'Validation' });
    expect(run.errorMessage).toMatch(/^sim: HTTP 404 from \/rest\/api\/3\/myself/);
  });

  it('fails the instance at once on bad credentials (Authentication), without retrying', async () => {
    fixture = await mirrorFixture({ projects: 2, issuesPerProject: 5 });
    const { backend, sim } = fixture;
    // The variable the instance reads exists, but holds a wrong token.
    backend.store.sqlite.prepare(`UPDATE instances SET token_env = 'WRONG'`).run();
    sim.control.resetStats();
    const other = openBackend({ dbFile: fixture.dbFile, initiator: 'cli', env: { WRONG: 'not-the-token' } });
    try {
      const started = await other.dispatch('startSync', {});
      if (!started.ok) throw new Error(started.error.message);
      const run = await other.waitForRun((started.data as { runId: string }).runId);
      expect(run).toMatchObject({ status: 'failed', errorCategory: 'Authentication', totalIssues: 0 });
      expect(run.errorMessage).toMatch(/^sim: HTTP 401/);
      expect(run.errorMessage).not.toContain('not-the-token');
      // /myself, the project list and serverInfo go out together; none is retried.
      expect(sim.control.stats().requests).toEqual({
        'GET /rest/api/3/myself': 1,
        'GET /rest/api/3/project/search': 1,
        'GET /rest/api/3/serverInfo': 1,
      });
    } finally {
      await other.close();
    }
  });

  it('keeps going when one project is hidden (Validation) or forbidden (Authorization): the run is partial', async () => {
    fixture = await mirrorFixture({
      projects: [
        { key: 'OK', issues: 20 },
        { key: 'GONE', issues: 10 },
        { key: 'DENY', issues: 10 },
      ],
    });
    const { backend, sim } = fixture;
    await fixture.sync();
    sim.control.hideProject('GONE');
    sim.control.setProjectPermission('DENY', 'none');
    // GONE no longer appears in the project list, so ask for it explicitly, as a user with a fixed list would.
    const run = await fixture.sync({ projects: ['OK', 'GONE', 'DENY'] });
    expect(run.status).toBe('partial');
    const shown = await runDetail(backend, run.id);
    expect(shown.projects.map((p) => [p.projectKey, p.status, p.errorCategory])).toEqual([
      ['DENY', 'failed', 'Authorization'],
      ['GONE', 'failed', 'Validation'],
      ['OK', 'completed', null],
    ]);
    expect(run).toMatchObject({ totalProjects: 3, successfulProjects: 1, failedProjects: 2 });
    expect(shown.projects[1]!.errorMessage).toBe(
      `HTTP 400 from /rest/api/3/search/jql: The value 'GONE' does not exist for the field 'project'.`,
    );
  });

  it('retries transient 503s and connection resets and still mirrors everything once', async () => {
    fixture = await mirrorFixture({ projects: [{ key: 'R', issues: 250 }] });
    const { backend, sim } = fixture;
    fastRetries(backend);
    sim.control.setFaults([
      { kind: 'status', status: 503, count: 2, pathIncludes: '/search/jql' },
      { kind: 'reset', count: 1, pathIncludes: '/search/jql' },
    ]);
    const run = await fixture.sync();
    expect(run).toMatchObject({ status: 'completed', totalIssues: 250, issuesCreated: 250 });
    const shown = await runDetail(backend, run.id);
    // A first sync counts the project once, beside its first page (the count that checks the mirror
    // is complete also decides whether to split it), then 3 pages + 3 retries.
    expect(shown.projects[0]).toMatchObject({ retries: 3, pages: 3, apiCalls: 7 });
    expect(shown.projects[0]!.verification).toMatchObject({
      result: 'approximate',
      method: 'approximate-count',
      jiraCount: 250,
      mirrorCount: 250,
    });
    expect(mirroredKeys(backend).size).toBe(250);
  });

  it('never commits part of a malformed page: the project fails with Validation and keeps nothing of that page', async () => {
    fixture = await mirrorFixture({ projects: [{ key: 'M', issues: 150 }] });
    const { backend, sim } = fixture;
    fastRetries(backend);
    sim.control.setFaults([{ kind: 'malformed', count: 100, pathIncludes: '/search/jql' }]);
    const run = await fixture.sync();
    expect(run).toMatchObject({ status: 'failed', errorCategory: 'Validation', totalIssues: 0 });
    expect(mirroredKeys(backend).size).toBe(0);
  });

  it('stops promptly when asked: the run is stopped and keeps the pages it committed', async () => {
    fixture = await mirrorFixture({ projects: [{ key: 'S', issues: 2000 }], latencyMs: 150 });
    const { backend } = fixture;
    savePerformanceConfig(backend.store, { ...getPerformanceConfig(backend.store), batchSize: 50 }, 'test');
    const started = await backend.dispatch('startSync', {});
    if (!started.ok) throw new Error(started.error.message);
    const runId = (started.data as { runId: string }).runId;
    await new Promise<void>((resolve) => {
      const off = backend.subscribe((event, payload) => {
        if (event === 'runUpdated' && (payload as { totalIssues: number }).totalIssues >= 100) {
          off();
          resolve();
        }
      });
    });
    expect(await backend.dispatch('stopSync', { id: runId })).toEqual({ ok: true, data: { stopped: true } });
    const run = await backend.waitForRun(runId);
    expect(run.status).toBe('stopped');
    expect(run.totalIssues).toBeGreaterThanOrEqual(100);
    expect(run.totalIssues).toBeLessThan(2000);
    expect(mirroredKeys(backend).size).toBe(run.totalIssues);
  });

  it('keeps secrets out of the database', async () => {
    fixture = await mirrorFixture({ projects: 1, issuesPerProject: 10 });
    fixture.backend.store.sqlite.prepare(`UPDATE instances SET token_env = 'NOPE'`).run();
    await fixture.sync().catch(() => undefined);
    fixture.backend.store.sqlite.prepare(`UPDATE instances SET token_env = 'JIRA_TOKEN'`).run();
    await fixture.sync();
    fixture.backend.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = readFileSync(fixture.dbFile).toString('latin1');
    expect(bytes).not.toContain(CLOUD_TOKEN);
    expect(bytes).not.toContain(Buffer.from(`bot@example.com:${CLOUD_TOKEN}`).toString('base64'));
    expect(bytes).not.toContain(DC_TOKEN);
  });

  it('merges the full-text index into one segment after a run that wrote much of it, not after a small one', async () => {
    fixture = await mirrorFixture({ projects: [{ key: 'IDX', issues: 1200 }] });
    const { sim, backend } = fixture;
    const segments = () => (backend.store.sqlite.prepare('SELECT COUNT(DISTINCT segid) AS n FROM issues_fts_idx').get() as { n: number }).n;
    expect(await fixture.sync()).toMatchObject({ status: 'completed', issuesCreated: 1200 });
    expect(segments()).toBe(1);
    sim.control.updateIssues(['IDX-1', 'IDX-2']);
    expect(await fixture.sync()).toMatchObject({ status: 'completed', issuesUpdated: 2 });
    expect(segments()).toBeGreaterThan(1); // the new entries sit in segments of their own
  });

  it('charges each project only its own share of a transaction shared by several pages', async () => {
    // Eight projects at once, no latency: their pages come in together and are written in shared
    // transactions. Pages are parsed and written on the one engine thread, one after another, so
    // parsing and writing, summed over the projects, fit in the run's duration (they did not when
    // each page was charged its whole group's transaction, which inflated the dry run's engine
    // time per issue).
    fixture = await mirrorFixture({ projects: Array.from({ length: 8 }, (_, i) => ({ key: `P${i}`, issues: 600 })) });
    const run = await fixture.sync();
    expect(run).toMatchObject({ status: 'completed', issuesCreated: 4800 });
    const detail = await runDetail(fixture.backend, run.id);
    const written = detail.projects.reduce((sum, p) => sum + (p.writeMs ?? 0), 0);
    const parsed = detail.projects.reduce((sum, p) => sum + (p.parseMs ?? 0), 0);
    expect(written).toBeGreaterThan(0);
    expect(written + parsed).toBeLessThanOrEqual(run.durationMs!);
  });
});

describe('several instances', () => {
  it('sets every instance up at once: one slow to answer /myself holds up no other', async () => {
    fixture = await mirrorFixture({ projects: 1, issuesPerProject: 30 });
    const slow = await startSimulator({
      flavor: 'cloud',
      projects: 1,
      issuesPerProject: 20,
      seed: 5,
      auth: { email: 'bot@example.com', apiToken: CLOUD_TOKEN },
    });
    try {
      // Listed first (instances plan by name), and its /myself answers only after 4 s.
      addInstance(fixture.backend.store, {
        name: 'a-slow',
        url: slow.url,
        flavor: 'cloud',
        email: 'bot@example.com',
        credential: 'env',
        tokenEnv: 'JIRA_TOKEN',
      });
      slow.control.setFaults([{ kind: 'slow', delayMs: 4000, count: 1, pathIncludes: '/myself' }]);
      const started = await fixture.backend.dispatch('startSync', {});
      if (!started.ok) throw new Error(started.error.message);
      // Waiting for the slow instance first would leave the other one idle for those 4 s.
      await vi.waitFor(() => expect(fixture!.sim.control.stats().issuesServed).toBe(30), { timeout: 3000, interval: 50 });
      expect(slow.control.stats().issuesServed).toBe(0);
      const run = await fixture.backend.waitForRun((started.data as { runId: string }).runId);
      expect(run).toMatchObject({ status: 'completed', totalIssues: 50, totalProjects: 2 });
    } finally {
      await slow.close();
    }
  });
});

describe('the Jira version', () => {
  const versionsOf = (backend: Backend) =>
    backend.store.sqlite
      .prepare(
        `SELECT ri.jira_version AS version FROM sync_run_instances ri JOIN sync_runs r ON r.sync_id = ri.sync_id ORDER BY r.started_at`,
      )
      .all()
      .map((row) => (row as { version: string | null }).version);

  it('is recorded per run from serverInfo, named among what changed before a failure, and optional', async () => {
    fixture = await mirrorFixture({
      flavor: 'datacenter',
      projects: [
        { key: 'ALPHA', issues: 5 },
        { key: 'BETA', issues: 5 },
      ],
    });
    const { backend, sim } = fixture;
    const first = await fixture.sync();
    expect(first).toMatchObject({ status: 'completed' });
    expect((await runDetail(backend, first.id)).instances).toEqual([{ name: 'sim', jiraVersion: '9.12.15' }]);

    // The site is upgraded, and ALPHA stops being readable from then on.
    sim.control.setServerVersion('10.3.1');
    sim.control.setProjectPermission('ALPHA', 'none');
    expect(await fixture.sync()).toMatchObject({ status: 'partial', failedProjects: 1 });
    const patterns = await backend.call('getFailurePatterns', { days: 30, utcOffsetMinutes: 0 });
    const [onset] = patterns.onsets;
    expect(onset).toMatchObject({ instance: 'sim', project: 'ALPHA', failuresSince: 1 });
    expect(onset!.changes.filter((c) => c.kind === 'jira-version').map((c) => c.description)).toEqual([
      'sim reported Jira 10.3.1 (was 9.12.15)',
    ]);

    // A proxy that hides serverInfo: the sync completes without a version, and asks for it once.
    sim.control.setProjectPermission('ALPHA', 'browse');
    sim.control.setFaults([{ kind: 'not-found', pathIncludes: '/serverInfo' }]);
    sim.control.resetStats();
    expect(await fixture.sync()).toMatchObject({ status: 'completed', failedProjects: 0 });
    expect(sim.control.stats().requests['GET /rest/api/2/serverInfo']).toBe(1);
    // One that does not answer is given up once the projects are done: the run does not wait for it
    // (this test would time out long before the call's two minutes).
    sim.control.setFaults([{ kind: 'slow', delayMs: 120_000, count: 1, pathIncludes: '/serverInfo' }]);
    expect(await fixture.sync()).toMatchObject({ status: 'completed', failedProjects: 0 });
    expect(versionsOf(backend)).toEqual(['9.12.15', '10.3.1', null, null]);
  });
});

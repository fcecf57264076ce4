import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createControlClient, startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { client, type Json } from './helpers.ts';

const NOW = Date.UTC(2025, 0, 10, 8, 0, 0);

describe('control API', () => {
  let sim: RunningSimulator;
  let c: ReturnType<typeof client>;
  let clock = NOW;

  beforeEach(async () => {
    clock = NOW;
    sim = await startSimulator({ projects: 2, issuesPerProject: 10, now: () => clock });
    c = client(sim);
  });
  afterEach(() => sim.close());

  const search = async (jql: string, fields = ['summary', 'updated', 'status', 'resolution']) =>
    c.post('/rest/api/3/search/jql', { jql, fields, maxResults: 100 });
  const keys = async (jql: string): Promise<string[]> => (await search(jql)).json().issues.map((i: Json) => i.key);

  it('creates issues with created = updated = now', async () => {
    clock = NOW + 5_000;
    const created = sim.control.createIssues('DEMO', 2, { summary: 'Brand new', status: 'In Progress' });
    expect(created).toEqual(['DEMO-11', 'DEMO-12']);
    const r = (await search(`key = DEMO-12`, ['summary', 'created', 'updated', 'status'])).json().issues[0];
    expect(r.id).toBe('10021');
    expect(r.fields.summary).toBe('Brand new');
    expect(r.fields.status.name).toBe('In Progress');
    expect(r.fields.created).toBe('2025-01-10T03:00:05.000-0500');
    expect(r.fields.updated).toBe(r.fields.created);
    expect(sim.control.issueCount()).toBe(22);
  });

  it('updates issues: bumps updated, default summary suffix, status changes resolution', async () => {
    const before = (await search('key = OPS-3')).json().issues[0];
    clock = NOW + 60_000;
    sim.control.updateIssue('OPS-3');
    const after = (await search('key = OPS-3')).json().issues[0];
    expect(after.fields.summary).toBe(before.fields.summary + ' (rev 1)');
    expect(after.fields.updated).toBe('2025-01-10T03:01:00.000-0500');
    sim.control.updateIssue('OPS-3', { status: 'Done' });
    const done = (await search('key = OPS-3')).json().issues[0];
    expect(done.fields.status.statusCategory.key).toBe('done');
    expect(done.fields.resolution.name).toBe('Done');
    sim.control.updateIssues(['OPS-1', 'OPS-2'], { priority: 'Highest' });
    expect(
      sim.control
        .snapshot()
        .filter((s) => s.updated === NOW + 60_000)
        .map((s) => s.key)
        .sort(),
    ).toEqual(['OPS-1', 'OPS-2', 'OPS-3']);
    expect(() => sim.control.updateIssue('OPS-999')).toThrow(/does not exist/);
  });

  it('deletes and moves issues like Jira', async () => {
    sim.control.deleteIssue('DEMO-2');
    expect(await keys('project = DEMO ORDER BY key ASC')).not.toContain('DEMO-2');
    expect(sim.control.snapshot().some((s) => s.key === 'DEMO-2')).toBe(false);
    expect(sim.control.snapshot({ includeDeleted: true }).find((s) => s.key === 'DEMO-2')?.deleted).toBe(true);
    expect((await search('key = DEMO-2')).status).toBe(400);

    const id = sim.control.snapshot().find((s) => s.key === 'DEMO-3')?.id;
    clock = NOW + 120_000;
    const newKey = sim.control.moveIssue('DEMO-3', 'OPS');
    expect(newKey).toBe('OPS-11');
    const moved = (await search('project = OPS AND key = OPS-11', ['updated', 'project'])).json().issues[0];
    expect(moved.id).toBe(id);
    expect(moved.fields.project.key).toBe('OPS');
    expect(moved.fields.updated).toBe('2025-01-10T03:02:00.000-0500');
    expect(await keys('project = DEMO')).not.toContain('DEMO-3');
    expect(await keys('key = DEMO-3')).toEqual(['OPS-11']); // the old key still resolves
    expect(sim.control.issueCount()).toBe(19);
  });

  it('hides, shows and deletes projects; permission none → 403', async () => {
    sim.control.hideProject('OPS');
    const r = await search('project = OPS');
    expect(r.status).toBe(400);
    expect(r.json().errorMessages).toEqual(["The value 'OPS' does not exist for the field 'project'."]);
    expect((await c.get('/rest/api/3/project/OPS')).status).toBe(404);
    expect((await c.get('/rest/api/3/project/search')).json().values.map((p: Json) => p.key)).toEqual(['DEMO']);
    expect((await c.post('/rest/api/3/search/jql', { jql: 'updated >= 0', maxResults: 100 })).json().issues).toHaveLength(10);
    expect(sim.control.issueCount()).toBe(10);
    sim.control.showProject('OPS');
    expect(await keys('project = OPS')).toHaveLength(10);

    sim.control.setProjectPermission('OPS', 'none');
    const denied = await search('project = OPS');
    expect(denied.status).toBe(403);
    expect(denied.text).toBe('');
    expect((await c.post('/rest/api/3/search/jql', { jql: 'updated >= 0', maxResults: 100 })).json().issues).toHaveLength(10);
    sim.control.setProjectPermission('OPS', 'browse');

    sim.control.deleteProject('DEMO');
    expect((await search('project = DEMO')).status).toBe(400);
    expect(sim.control.listProjects().find((p) => p.key === 'DEMO')?.deleted).toBe(true);
    expect(sim.control.snapshot().every((s) => s.projectKey === 'OPS')).toBe(true);
  });

  it('lags the search index: new issues invisible, changed issues stale, for indexLag ms', async () => {
    sim.control.setIndexLag(10_000);
    const old = (await search('key = DEMO-1')).json().issues[0];
    clock = NOW + 1_000;
    sim.control.updateIssue('DEMO-1', { summary: 'Changed' });
    const [fresh] = sim.control.createIssues('DEMO', 1);
    const lagged = (await search('project = DEMO ORDER BY key ASC')).json().issues;
    expect(lagged.map((i: Json) => i.key)).not.toContain(fresh);
    expect(lagged.find((i: Json) => i.key === 'DEMO-1').fields).toEqual(old.fields);
    expect((await c.post('/rest/api/3/search/approximate-count', { jql: 'project = DEMO' })).json().count).toBe(10);
    // The issue endpoint and the truth are current.
    expect((await c.get('/rest/api/3/issue/DEMO-1?fields=summary')).json().fields.summary).toBe('Changed');
    expect(sim.control.snapshot().some((s) => s.key === fresh)).toBe(true);
    clock = NOW + 10_999;
    expect(await keys('project = DEMO')).not.toContain(fresh);
    clock = NOW + 11_000;
    const now = (await search('project = DEMO ORDER BY key ASC')).json().issues;
    expect(now.map((i: Json) => i.key)).toContain(fresh);
    expect(now.find((i: Json) => i.key === 'DEMO-1').fields.summary).toBe('Changed');
  });

  it('counts what it served and logs requests on the simulator clock', async () => {
    sim.control.resetStats();
    await c.get('/rest/api/3/serverInfo');
    await c.post('/rest/api/3/search/jql', { jql: 'project = DEMO', maxResults: 4 });
    clock = NOW + 500;
    await c.get('/rest/api/3/search/jql?jql=project%3DOPS&maxResults=10');
    await c.get('/rest/api/3/project/DEMO');
    await c.get('/rest/api/3/project/NOPE');
    await c.post('/rest/api/3/search/jql', { jql: 'project = NOPE' });
    await c.get('/_sim/stats'); // control routes are not counted
    const st = sim.control.stats();
    expect(st.totalRequests).toBe(6);
    expect(st.requests).toEqual({
      'GET /rest/api/3/serverInfo': 1,
      'POST /rest/api/3/search/jql': 2,
      'GET /rest/api/3/search/jql': 1,
      'GET /rest/api/3/project/{projectIdOrKey}': 2,
    });
    expect(st.statuses).toEqual({ '200': 4, '404': 1, '400': 1 });
    expect(st.pagesServed).toBe(2);
    expect(st.issuesServed).toBe(14);
    expect(st.bytesServed).toBeGreaterThan(0);
    const log = sim.control.requests();
    expect(log.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/rest/api/3/serverInfo', 200],
      ['POST', '/rest/api/3/search/jql', 200],
      ['GET', '/rest/api/3/search/jql?jql=project%3DOPS&maxResults=10', 200],
      ['GET', '/rest/api/3/project/DEMO', 200],
      ['GET', '/rest/api/3/project/NOPE', 404],
      ['POST', '/rest/api/3/search/jql', 400],
    ]);
    expect(log.map((e) => e.at)).toEqual([NOW, NOW, NOW + 500, NOW + 500, NOW + 500, NOW + 500]);
    sim.control.resetStats();
    expect(sim.control.stats().totalRequests).toBe(0);
    expect(sim.control.requests()).toEqual([]);
  });

  it('is drivable over HTTP under /_sim and with createControlClient', async () => {
    const ctl = async (method: string, path: string, body?: unknown) => {
      const r = await fetch(sim.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as Json };
    };
    expect((await ctl('GET', '/_sim/health')).body).toEqual({ ok: true, flavor: 'cloud', url: sim.url });
    expect((await ctl('POST', '/_sim/issues', { projectKey: 'OPS', count: 2 })).body).toEqual({ keys: ['OPS-11', 'OPS-12'] });
    expect((await ctl('POST', '/_sim/issues/OPS-11', { changes: { summary: 'via http' } })).status).toBe(200);
    expect((await ctl('POST', '/_sim/issues/update', { keys: ['OPS-1'] })).status).toBe(200);
    expect((await ctl('POST', '/_sim/issues/OPS-12/move', { toProjectKey: 'DEMO' })).body).toEqual({ key: 'DEMO-11' });
    expect((await ctl('DELETE', '/_sim/issues/OPS-2')).status).toBe(200);
    expect((await ctl('DELETE', '/_sim/issues/OPS-2')).status).toBe(404);
    expect((await ctl('POST', '/_sim/projects/DEMO/hide')).status).toBe(200);
    expect((await ctl('GET', '/_sim/issue-count')).body).toEqual({ count: 10 });
    expect((await ctl('POST', '/_sim/projects/DEMO/show')).status).toBe(200);
    expect((await ctl('POST', '/_sim/projects', { key: 'NEW', name: 'New One', issues: 3 })).status).toBe(200);
    const snap = (await ctl('GET', '/_sim/snapshot')).body as Json[];
    expect(snap).toHaveLength(24);
    expect(snap.find((s) => s.key === 'OPS-11')).toMatchObject({ projectKey: 'OPS', updated: NOW });
    expect((await ctl('PUT', '/_sim/faults', { rules: [{ kind: 'nope' }] })).status).toBe(400);
    expect((await ctl('POST', '/_sim/clock/advance', { ms: 1000 })).body).toEqual({ now: NOW + 1000 });
    expect((await ctl('GET', '/_sim/unknown')).status).toBe(404);
    expect((await search('summary ~ "via http"')).json().issues.map((i: Json) => i.key)).toEqual(['OPS-11']);

    const remote = createControlClient(sim.url);
    expect(await remote.createIssues('NEW', 1)).toEqual(['NEW-4']);
    expect(await remote.issueCount()).toBe(25);
    await remote.setProjectPermission('NEW', 'none');
    expect((await search('project = NEW')).status).toBe(403);
    await expect(remote.updateIssue('NOPE-1')).rejects.toThrow(/404/);
    expect((await remote.listProjects()).map((p) => p.key)).toEqual(['DEMO', 'OPS', 'NEW']);
  });
});

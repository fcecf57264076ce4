import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { client, withSim, type Json } from './helpers.ts';

const NOW = Date.UTC(2024, 10, 5, 9, 30, 0);

describe('Data Center simulator', () => {
  let sim: RunningSimulator;
  let c: ReturnType<typeof client>;
  let clock = NOW;

  beforeAll(async () => {
    sim = await startSimulator({
      flavor: 'datacenter',
      projects: [
        { key: 'CORE', name: 'Core Platform', issues: 60 },
        { key: 'APP', issues: 15 },
      ],
      auth: { pat: 'pat-123', username: 'jdoe', password: 'secret' },
      dcMaxResults: 25,
      dcPagingWindow: 100,
      now: () => clock,
    });
    c = client(sim, 'Bearer pat-123');
  });
  afterAll(() => sim.close());

  it('identifies as Data Center and serves v2 only', async () => {
    const info = (await client(sim, null).get('/rest/api/2/serverInfo')).json();
    expect(info.deploymentType).toBe('DataCenter');
    expect(info.versionNumbers[0]).toBe(9);
    expect((await c.get('/rest/api/3/serverInfo')).status).toBe(404);
    const me = (await c.get('/rest/api/2/myself')).json();
    expect(me).toMatchObject({ name: 'jdoe', key: 'JIRAUSER10000', timeZone: 'Asia/Kolkata', emailAddress: 'jdoe@example.com' });
  });

  it('reports an upgrade made over the control API in serverInfo, and refuses a version that is none', async () => {
    const anonymous = client(sim, null);
    expect((await anonymous.post('/_sim/server-version', { version: '10.3.1' })).status).toBe(200);
    expect((await anonymous.get('/rest/api/2/serverInfo')).json()).toMatchObject({
      version: '10.3.1',
      versionNumbers: [10, 3, 1],
      buildNumber: 10030001,
      databaseBuildNumber: 10030001,
    });
    const bad = await anonymous.post('/_sim/server-version', { version: 'latest' });
    expect([bad.status, bad.json()]).toEqual([400, { error: "version must look like 9.12.15 or 1001.0.0-SNAPSHOT, got 'latest'" }]);
    sim.control.setServerVersion('9.12.15');
  });

  it('accepts a PAT or Basic username:password; otherwise 401 with an HTML body', async () => {
    const basic = client(sim, 'Basic ' + Buffer.from('jdoe:secret').toString('base64'));
    expect((await basic.get('/rest/api/2/myself')).status).toBe(200);
    for (const auth of [null, 'Bearer wrong', 'Basic ' + Buffer.from('jdoe:nope').toString('base64')]) {
      const r = await client(sim, auth).get('/rest/api/2/search?jql=project%3DCORE');
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.text).toMatch(/^<!DOCTYPE html>/);
      expect(r.headers.get('www-authenticate')).toMatch(/^OAuth realm=/);
      expect(() => JSON.parse(r.text)).toThrow();
    }
    expect((await client(sim, 'Bearer wrong').get('/rest/api/2/myself')).headers.get('x-seraph-loginreason')).toBe('AUTHENTICATED_FAILED');
  });

  it('lists projects as a plain array and 404s unknown keys', async () => {
    const list = (await c.get('/rest/api/2/project')).json();
    expect(Array.isArray(list)).toBe(true);
    expect(list.map((p: Json) => p.key)).toEqual(['APP', 'CORE']);
    expect(list[1]).toMatchObject({ id: '10000', key: 'CORE', name: 'Core Platform', self: `${sim.url}/rest/api/2/project/10000` });
    const missing = await c.get('/rest/api/2/project/GONE');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ errorMessages: ["No project could be found with key 'GONE'."], errors: {} });
  });

  it('searches with startAt/maxResults/total and *navigable fields by default', async () => {
    const r = (await c.get('/rest/api/2/search?jql=' + encodeURIComponent('project = CORE ORDER BY key ASC') + '&maxResults=5')).json();
    expect(Object.keys(r)).toEqual(['expand', 'startAt', 'maxResults', 'total', 'issues']);
    expect(r).toMatchObject({ startAt: 0, maxResults: 5, total: 60 });
    expect(r.issues.map((i: Json) => i.key)).toEqual(['CORE-1', 'CORE-2', 'CORE-3', 'CORE-4', 'CORE-5']);
    const f = r.issues[0].fields;
    expect(typeof f.summary).toBe('string');
    expect(f.status.statusCategory.key).toMatch(/^(new|indeterminate|done)$/);
    expect(f.statuscategorychangedate).toBeUndefined();
    expect(f.reporter).toMatchObject({
      name: expect.any(String),
      key: expect.stringMatching(/^JIRAUSER/),
      emailAddress: expect.any(String),
    });
    const descs = r.issues.map((i: Json) => i.fields.description);
    expect(descs.every((d: Json) => d === null || typeof d === 'string')).toBe(true);
    expect(f.updated).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[45]00$/);
  });

  it('pages by offset through all issues, capping maxResults at dcMaxResults', async () => {
    const seen: string[] = [];
    let startAt = 0;
    let total: number;
    for (;;) {
      const r = (
        await c.post('/rest/api/2/search', {
          jql: 'project in (CORE, APP) ORDER BY created ASC',
          startAt,
          maxResults: 100,
          fields: ['summary'],
        })
      ).json();
      expect(r.maxResults).toBe(25);
      total = r.total;
      seen.push(...r.issues.map((i: Json) => i.id));
      startAt += r.issues.length;
      if (r.issues.length === 0 || startAt >= total) break;
    }
    expect(total).toBe(75);
    expect(new Set(seen).size).toBe(75);
  });

  it('answers 500 past the paging window, and allows an empty JQL', async () => {
    expect((await c.get('/rest/api/2/search?jql=&startAt=75&maxResults=25')).status).toBe(200);
    const deep = await c.get('/rest/api/2/search?jql=&startAt=76&maxResults=25');
    expect(deep.status).toBe(500);
    expect(deep.json().errorMessages).toEqual(['Internal server error']);
    const all = (await c.get('/rest/api/2/search?jql=&maxResults=0')).json();
    expect(all.total).toBe(75);
    expect(all.issues).toEqual([]);
  });

  it('evaluates offset pages against live data: an update mid-paging shifts pages (real DC behaviour)', async () => {
    const jql = 'project = APP ORDER BY updated ASC';
    const ids: string[] = [];
    const p1 = (await c.post('/rest/api/2/search', { jql, startAt: 0, maxResults: 5, fields: ['updated'] })).json();
    ids.push(...p1.issues.map((i: Json) => i.id));
    clock += 60_000;
    sim.control.updateIssue(p1.issues[0].key); // moves an already-read issue to the end
    for (let startAt = 5; startAt < 15; startAt += 5) {
      const p = (await c.post('/rest/api/2/search', { jql, startAt, maxResults: 5, fields: ['updated'] })).json();
      ids.push(...p.issues.map((i: Json) => i.id));
    }
    expect(ids).toHaveLength(15);
    expect(new Set(ids).size).toBe(14); // one issue read twice, so one other issue was skipped
  });

  it('still 400s unknown projects in JQL', async () => {
    const r = await c.get('/rest/api/2/search?jql=' + encodeURIComponent('project = NOPE'));
    expect(r.status).toBe(400);
    expect(r.json()).toEqual({ errorMessages: ["The value 'NOPE' does not exist for the field 'project'."], errors: {} });
  });

  it('uses the default PAT demo-pat', async () => {
    await withSim({ flavor: 'datacenter', projects: 1, issuesPerProject: 3 }, async (s) => {
      expect((await client(s, 'Bearer demo-pat').get('/rest/api/2/myself')).status).toBe(200);
      const r = (await client(s, 'Bearer demo-pat').get('/rest/api/2/search?jql=')).json();
      expect(r.total).toBe(3);
    });
  });
});

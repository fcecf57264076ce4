import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { client, pageAllCloud, withSim, type Json } from './helpers.ts';

const TS_RE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/;
const NOW = Date.UTC(2024, 4, 20, 15, 0, 0); // fixed clock: 11:00 in New York (EDT), 20:30 in Kolkata
const REMOVED =
  '{"errorMessages":["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"],"errors":{}}';

/** Parses `2022-03-20T06:21:50.295+0530` into epoch ms. */
function parseJiraTs(s: string): number {
  return Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
}

describe('Cloud simulator', () => {
  let sim: RunningSimulator;
  let c: ReturnType<typeof client>;
  let clock = NOW;

  beforeAll(async () => {
    sim = await startSimulator({ flavor: 'cloud', seed: 3, now: () => clock });
    c = client(sim);
  });
  afterAll(() => sim.close());

  it('serves serverInfo without auth and myself with the user time zone', async () => {
    const info = (await client(sim, null).get('/rest/api/3/serverInfo')).json();
    expect(info.deploymentType).toBe('Cloud');
    expect(info.version).toBe('1001.0.0-SNAPSHOT');
    expect(info.versionNumbers).toEqual([1001, 0, 0]);
    expect(info.baseUrl).toBe(sim.url);
    expect(info.serverTime).toBe('2024-05-20T11:00:00.000-0400');
    const me = await c.get('/rest/api/3/myself');
    expect(me.status).toBe(200);
    const body = me.json();
    expect(body.timeZone).toBe('Asia/Kolkata');
    expect(body.emailAddress).toBe('demo@example.com');
    expect(body.accountId).toMatch(/^[0-9a-f]{24}$/);
    expect(body.active).toBe(true);
  });

  it('pages projects with project/search and answers project GET / 404', async () => {
    const p1 = (await c.get('/rest/api/3/project/search?startAt=0&maxResults=2')).json();
    expect(p1).toMatchObject({ startAt: 0, maxResults: 2, total: 3, isLast: false });
    expect(p1.values.map((p: Json) => p.key)).toEqual(['DEMO', 'OPS']);
    expect(p1.nextPage).toBe(`${sim.url}/rest/api/3/project/search?startAt=2&maxResults=2`);
    const p2 = (await c.get('/rest/api/3/project/search?startAt=2&maxResults=2')).json();
    expect(p2.isLast).toBe(true);
    expect(p2.nextPage).toBeUndefined();
    expect(p2.values.map((p: Json) => p.key)).toEqual(['WEB']);
    expect((await c.get('/rest/api/3/project/search?maxResults=1000')).json().maxResults).toBe(100);
    const demo = (await c.get('/rest/api/3/project/DEMO')).json();
    expect(demo).toMatchObject({ id: '10000', key: 'DEMO', name: 'Demo Project', projectTypeKey: 'software' });
    expect((await c.get('/rest/api/3/project/10001')).json().key).toBe('OPS');
    const missing = await c.get('/rest/api/3/project/NOPE');
    expect(missing.status).toBe(404);
    expect(missing.text).toBe(`{"errorMessages":["No project could be found with key 'NOPE'."],"errors":{}}`);
  });

  it('defaults search/jql fields to id only, on GET and POST', async () => {
    const get = (await c.get('/rest/api/3/search/jql?jql=project%3DDEMO&maxResults=3')).json();
    expect(get.issues).toHaveLength(3);
    for (const i of get.issues) expect(Object.keys(i)).toEqual(['id']);
    expect(get.isLast).toBe(false);
    expect(typeof get.nextPageToken).toBe('string');
    expect(get.total).toBeUndefined();
    expect(get.startAt).toBeUndefined();
    const post = (await c.post('/rest/api/3/search/jql', { jql: 'project = DEMO', maxResults: 3 })).json();
    expect(post.issues).toEqual(get.issues);
  });

  it('honours explicit fields, *navigable, *all and exclusions', async () => {
    const named = (await c.post('/rest/api/3/search/jql', { jql: 'project = OPS', fields: ['summary', 'updated'], maxResults: 1 })).json();
    const issue = named.issues[0];
    expect(Object.keys(issue)).toEqual(['expand', 'id', 'self', 'key', 'fields']);
    expect(Object.keys(issue.fields)).toEqual(['updated', 'summary']);
    expect(issue.self).toBe(`${sim.url}/rest/api/3/issue/${issue.id}`);
    expect(issue.key).toMatch(/^OPS-\d+$/);
    const nav = (await c.get('/rest/api/3/search/jql?jql=project%3DOPS&maxResults=1&fields=*navigable,-comment')).json().issues[0];
    expect(nav.fields.comment).toBeUndefined();
    expect(nav.fields.worklog).toBeUndefined();
    expect(Object.keys(nav.fields).length).toBeGreaterThan(60);
    expect(nav.fields.status.statusCategory.key).toMatch(/^(new|indeterminate|done)$/);
    expect(nav.fields.project).toMatchObject({ key: 'OPS', id: '10001', name: 'Operations' });
    expect(TS_RE.test(nav.fields.created)).toBe(true);
    expect(TS_RE.test(nav.fields.updated)).toBe(true);
    expect(nav.fields.lastViewed).toBeNull();
    const all = (await c.post('/rest/api/3/search/jql', { jql: 'project = OPS', fields: ['*all'], maxResults: 1 })).json().issues[0];
    expect(all.fields.worklog).toEqual({ startAt: 0, maxResults: 20, total: 0, worklogs: [] });
    expect(all.fields.comment.comments).toBeInstanceOf(Array);
  });

  it('renders descriptions as ADF on v3 and wiki text on v2, and users without guaranteed e-mail', async () => {
    const jql = 'project = DEMO ORDER BY key ASC';
    const v3 = (await c.post('/rest/api/3/search/jql', { jql, fields: ['description', 'reporter', 'assignee'], maxResults: 40 })).json();
    const v2 = (await c.post('/rest/api/2/search/jql', { jql, fields: ['description'], maxResults: 40 })).json();
    const withDesc = v3.issues.findIndex((i: Json) => i.fields.description !== null);
    expect(withDesc).toBeGreaterThanOrEqual(0);
    const adf = v3.issues[withDesc].fields.description;
    expect(adf).toMatchObject({ type: 'doc', version: 1 });
    expect(adf.content[0].type).toBe('paragraph');
    expect(typeof v2.issues[withDesc].fields.description).toBe('string');
    expect(v2.issues[withDesc].fields.description).toContain(adf.content[0].content[0].text);
    expect(v3.issues.some((i: Json) => i.fields.description === null)).toBe(true);
    expect(v3.issues.some((i: Json) => i.fields.assignee === null)).toBe(true);
    const reporters = v3.issues.map((i: Json) => i.fields.reporter);
    expect(reporters.every((r: Json) => typeof r.accountId === 'string' && typeof r.displayName === 'string')).toBe(true);
    expect(reporters.some((r: Json) => !('emailAddress' in r))).toBe(true);
  });

  it('formats timestamps in the site zone, agreeing with the truth', async () => {
    const page = (
      await c.post('/rest/api/3/search/jql', { jql: 'project = WEB ORDER BY key ASC', fields: ['created', 'updated'], maxResults: 40 })
    ).json();
    const truth = new Map(sim.control.snapshot().map((s) => [s.id, s.updated]));
    for (const i of page.issues) {
      expect(i.fields.updated).toMatch(/-0[45]00$/);
      expect(parseJiraTs(i.fields.updated)).toBe(truth.get(i.id));
      expect(parseJiraTs(i.fields.updated)).toBeGreaterThanOrEqual(parseJiraTs(i.fields.created));
    }
    // Creation spreads over the ~400 days before the start day.
    const created = page.issues.map((i: Json) => parseJiraTs(i.fields.created));
    expect(Math.min(...created)).toBeLessThan(NOW - 350 * 86_400_000);
    expect(Math.max(...created)).toBeLessThan(NOW);
  });

  it('caps pages at 100 with fields and 5000 with id/key only', async () => {
    await withSim({ projects: [{ key: 'BIG', issues: 5200 }] }, async (big) => {
      const b = client(big);
      const nav = (await b.post('/rest/api/3/search/jql', { jql: 'project = BIG', fields: ['*navigable'], maxResults: 1000 })).json();
      expect(nav.issues).toHaveLength(100);
      const ids = (await b.post('/rest/api/3/search/jql', { jql: 'project = BIG', fields: ['id', 'key'], maxResults: 10000 })).json();
      expect(ids.issues).toHaveLength(5000);
      expect(ids.issues[0].key).toMatch(/^BIG-/);
      const dflt = (await b.post('/rest/api/3/search/jql', { jql: 'project = BIG' })).json();
      expect(dflt.issues).toHaveLength(50);
      const rest = (
        await b.post('/rest/api/3/search/jql', { jql: 'project = BIG', maxResults: 5000, nextPageToken: ids.nextPageToken })
      ).json();
      expect(rest.issues).toHaveLength(200);
      expect(rest.isLast).toBe(true);
    });
  });

  it('returns every issue exactly once across pages (nextPageToken / isLast)', async () => {
    const { issues, pages } = await pageAllCloud(c, {
      jql: 'project in (DEMO, OPS, WEB) ORDER BY updated ASC',
      fields: ['updated'],
      maxResults: 7,
    });
    expect(pages).toBe(Math.ceil(120 / 7));
    const ids = issues.map((i) => i.id);
    expect(new Set(ids).size).toBe(120);
    expect(new Set(ids)).toEqual(new Set(sim.control.snapshot().map((s) => s.id)));
    const times = issues.map((i) => parseJiraTs(i.fields.updated));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });

  it('never skips an issue when data changes mid-paging (keyset tokens)', async () => {
    const before = new Set(
      sim.control
        .snapshot()
        .filter((s) => s.projectKey === 'DEMO')
        .map((s) => s.id),
    );
    let updatedSeen = '';
    let updatedUnseen = '';
    let created: string[] = [];
    const { issues } = await pageAllCloud(
      c,
      { jql: 'project = DEMO ORDER BY updated ASC, key ASC', fields: ['updated'], maxResults: 10 },
      (page, got) => {
        if (page !== 1) return;
        clock += 60_000;
        // One already returned, one not yet returned, one brand new: all move to the end.
        updatedSeen = got[0].key;
        const seenIds = new Set(got.map((i: Json) => i.id));
        const unseen = sim.control.snapshot().find((s) => s.projectKey === 'DEMO' && !seenIds.has(s.id));
        updatedUnseen = unseen?.key ?? '';
        sim.control.updateIssues([updatedSeen, updatedUnseen]);
        created = sim.control.createIssues('DEMO', 1);
      },
    );
    const ids = issues.map((i) => i.id);
    for (const id of before) expect(ids).toContain(id);
    const count = (key: string) => issues.filter((i) => i.key === key).length;
    expect(count(updatedSeen)).toBe(2);
    expect(count(updatedUnseen)).toBe(1);
    expect(count(created[0] ?? '')).toBe(1);
    expect(issues).toHaveLength(before.size + 2);
  });

  it('rejects bad tokens, unknown projects and unbounded JQL with 400', async () => {
    const bad = await c.post('/rest/api/3/search/jql', { jql: 'project = DEMO', nextPageToken: 'not-a-token' });
    expect(bad.status).toBe(400);
    expect(bad.json().errorMessages).toEqual(['The provided next page token is invalid or expired.']);
    const first = (await c.post('/rest/api/3/search/jql', { jql: 'project = DEMO', maxResults: 1 })).json();
    const other = await c.post('/rest/api/3/search/jql', { jql: 'project = OPS', nextPageToken: first.nextPageToken });
    expect(other.status).toBe(400);
    const unknown = await c.get('/rest/api/3/search/jql?jql=' + encodeURIComponent('project = NOPE AND updated >= -1d'));
    expect(unknown.status).toBe(400);
    expect(unknown.text).toBe(`{"errorMessages":["The value 'NOPE' does not exist for the field 'project'."],"errors":{}}`);
    for (const jql of ['', 'ORDER BY updated DESC']) {
      const r = await c.post('/rest/api/3/search/jql', { jql });
      expect(r.status).toBe(400);
      expect(r.json().errorMessages).toEqual([
        'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
      ]);
    }
    const syntax = await c.post('/rest/api/3/search/jql', { jql: 'project = DEMO AND' });
    expect(syntax.status).toBe(400);
    expect(syntax.json().errorMessages[0]).toMatch(/^Error in the JQL Query:/);
  });

  it('answers the removed search API with 410 on v2 and v3, GET and POST', async () => {
    for (const v of [2, 3]) {
      const g = await c.get(`/rest/api/${v}/search?jql=project%3DDEMO`);
      expect(g.status).toBe(410);
      expect(g.text).toBe(REMOVED);
      const p = await c.post(`/rest/api/${v}/search`, { jql: 'project = DEMO' });
      expect(p.status).toBe(410);
      expect(p.text).toBe(REMOVED);
    }
  });

  it('rejects missing and wrong credentials with 401', async () => {
    const none = await client(sim, null).get('/rest/api/3/myself');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^OAuth realm=/);
    expect(none.json().errorMessages[0]).toMatch(/not authenticated/);
    const wrong = await client(sim, 'Basic ' + Buffer.from('demo@example.com:nope').toString('base64')).post('/rest/api/3/search/jql', {
      jql: 'project = DEMO',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(wrong.text).toBe('Client must be authenticated to access this resource.');
    expect((await client(sim, 'Bearer demo-token').get('/rest/api/3/myself')).status).toBe(401);
  });

  it('counts with approximate-count and serves single issues', async () => {
    const r = await c.post('/rest/api/3/search/approximate-count', { jql: 'project = OPS' });
    expect(r.json()).toEqual({ count: 40 });
    const one = (await c.get('/rest/api/3/issue/OPS-1?fields=summary,status')).json();
    expect(one.key).toBe('OPS-1');
    expect(Object.keys(one.fields)).toEqual(['status', 'summary']);
    expect((await c.get('/rest/api/3/issue/OPS-9999')).status).toBe(404);
    const unknownRoute = await c.get('/rest/api/3/nothing-here');
    expect(unknownRoute.status).toBe(404);
  });

  it('is deterministic: same seed and clock → identical first page; other seed → different', async () => {
    const page = async (seed: number) =>
      withSim({ seed, now: () => NOW }, async (s) => {
        const r = await client(s).post('/rest/api/3/search/jql', {
          jql: 'project = DEMO ORDER BY key ASC',
          fields: ['*navigable'],
          maxResults: 20,
        });
        return r.text.split(s.url).join('<url>');
      });
    const a = await page(11);
    const b = await page(11);
    const anchored = await withSim(
      { seed: 11, now: () => NOW + 3 * 86_400_000, dataAnchor: Math.floor(NOW / 86_400_000) * 86_400_000 },
      async (s) => {
        const r = await client(s).post('/rest/api/3/search/jql', {
          jql: 'project = DEMO ORDER BY key ASC',
          fields: ['*navigable'],
          maxResults: 20,
        });
        return r.text.split(s.url).join('<url>');
      },
    );
    expect(anchored).toBe(a);
    const d = await page(12);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(20 * 3000);
    expect(d).not.toBe(a);
  });
});

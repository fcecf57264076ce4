import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSimulator, type RunningSimulator, type SimulatorFlavor, type SimulatorOptions } from '../../src/simulator/index.ts';
import { SimServer } from '../../src/simulator/server.ts';
import { CLOUD_AUTH, DC_AUTH, type Json } from './helpers.ts';

const NOW = Date.UTC(2024, 10, 5, 9, 30, 0);
const MINUTE = 60_000;
const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

interface Answer {
  status: number;
  contentType: string | null;
  contentLength: string | null;
  /** The body as bytes (hex would hide nothing; base64 keeps failure output short). */
  body: string;
  text: string;
}

/** One request, sent to a normal and a prerendered simulator; their answers must be the same bytes. */
function pair(plain: RunningSimulator, prerendered: RunningSimulator, site = (sim: RunningSimulator, text: string) => text) {
  const auth = plain.flavor === 'cloud' ? CLOUD_AUTH : DC_AUTH;
  const ask = async (sim: RunningSimulator, method: string, path: string, body?: unknown): Promise<Answer> => {
    const headers: Record<string, string> = { Authorization: auth };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(sim.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const bytes = Buffer.from(await r.arrayBuffer());
    const text = site(sim, bytes.toString('utf8'));
    return {
      status: r.status,
      contentType: r.headers.get('content-type'),
      contentLength: site === SAME_SITE ? r.headers.get('content-length') : null,
      body: site === SAME_SITE ? bytes.toString('base64') : Buffer.from(text).toString('base64'),
      text,
    };
  };
  let compared = 0;
  const same = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const a = await ask(plain, method, path, body);
    const b = await ask(prerendered, method, path, body);
    expect(b, `${method} ${path} ${JSON.stringify(body)}`).toEqual(a);
    compared++;
    return a.status === 200 && a.contentType?.startsWith('application/json') ? JSON.parse(a.text) : null;
  };
  return { same, compared: () => compared };
}
const SAME_SITE = (_: RunningSimulator, text: string) => text;

const instant = (s: string) => Date.parse(s.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

/** Every page a sync and its sweeps ask for, compared page for page. Returns the ids the sync pages held. */
async function comparePages(flavor: SimulatorFlavor, same: ReturnType<typeof pair>['same']): Promise<string[]> {
  const ids: string[] = [];
  const order = 'ORDER BY updated ASC, key ASC';
  if (flavor === 'cloud') {
    for (const api of [3, 2]) {
      const queries = [`project = "CORE" ${order}`, `project = "CORE" AND updated >= 0 AND updated < ${NOW} ${order}`];
      for (const jql of api === 3 ? queries : queries.slice(1)) {
        let token: string | undefined;
        do {
          const body = { jql, maxResults: 40, fields: ['*navigable'], ...(token ? { nextPageToken: token } : {}) };
          const page = await same('POST', `/rest/api/${api}/search/jql`, body);
          if (api === 3 && !jql.includes('>=')) ids.push(...page.issues.map((i: Json) => i.id));
          token = page.nextPageToken;
        } while (token);
      }
    }
    await same('POST', '/rest/api/3/search/jql', { jql: `project = CORE ORDER BY key ASC`, maxResults: 5000, fields: ['id'] });
    await same(
      'GET',
      `/rest/api/3/search/jql?jql=${encodeURIComponent(`project in (CORE, APP) ${order}`)}&fields=summary,updated&expand=changelog`,
    );
    await same('POST', '/rest/api/3/search/approximate-count', { jql: `project = "CORE" AND updated >= ${NOW - 30 * 86_400_000}` });
    await same('GET', '/rest/api/3/issue/CORE-3');
    return ids;
  }
  // Data Center keyset paging, as the engine does it: a new `updated >= <minute>` literal every page.
  let minute: number | null = null;
  let read = 0;
  for (;;) {
    const jql = `project = "CORE"${minute === null ? '' : ` AND updated >= ${minute}`} ${order}`;
    const page = await same('POST', '/rest/api/2/search', { jql, startAt: read, maxResults: 30, fields: ['*navigable'] });
    ids.push(...page.issues.map((i: Json) => i.id));
    if (page.issues.length === 0 || read + page.issues.length >= page.total) break;
    const last = Math.floor(instant(page.issues.at(-1).fields.updated) / MINUTE) * MINUTE;
    const inMinute = page.issues.filter((i: Json) => Math.floor(instant(i.fields.updated) / MINUTE) * MINUTE === last).length;
    read = last === minute ? read + page.issues.length : inMinute;
    minute = last;
  }
  for (let startAt = 0; startAt < 60; startAt += 25) {
    await same('GET', `/rest/api/2/search?jql=${encodeURIComponent('project = APP ORDER BY key ASC')}&startAt=${startAt}&maxResults=25`);
  }
  await same('POST', '/rest/api/2/search', { jql: 'project = CORE AND id > 10005 ORDER BY id ASC', maxResults: 1000, fields: ['id'] });
  await same('POST', '/rest/api/2/search', { jql: `project = CORE ${order}`, maxResults: 10, fields: ['summary'], expand: ['changelog'] });
  await same('GET', '/rest/api/2/issue/CORE-3');
  return ids;
}

async function startPair(options: SimulatorOptions): Promise<[RunningSimulator, RunningSimulator]> {
  const plain = await startSimulator(options);
  running.push(plain);
  const prerendered = await startSimulator({ ...options, prerender: true });
  running.push(prerendered);
  return [plain, prerendered];
}

describe('prerendered simulator', () => {
  for (const flavor of ['cloud', 'datacenter'] as const) {
    for (const searchResolution of ['millisecond', 'minute'] as const) {
      it(`serves ${flavor} pages byte-identical to the normal simulator, at ${searchResolution} resolution, through changes and index lag`, async () => {
        let clock = NOW;
        const [plain, prerendered] = await startPair({
          flavor,
          seed: 9,
          projects: [
            { key: 'CORE', issues: 150 },
            { key: 'APP', issues: 40 },
            { key: 'SIDE', issues: 10 },
          ],
          dataAnchor: NOW - 3_600_000,
          baseUrl: 'https://jira.example.com',
          searchResolution,
          now: () => clock,
        });
        const { same, compared } = pair(plain, prerendered);
        const both = async (change: (sim: RunningSimulator) => unknown) => {
          for (const sim of [plain, prerendered]) await change(sim);
        };
        const inCore = async () => (await plain.control.listProjects()).find((p) => p.key === 'CORE')!.issueCount;

        const first = await comparePages(flavor, same);
        expect(first).toHaveLength(150);
        expect(new Set(first).size).toBe(150);

        // Changes: updates (several at one instant, as ties), a move in and out, a deletion, new issues.
        clock = NOW + 1234;
        await both((sim) => sim.control.updateIssues(['CORE-1', 'CORE-2', 'CORE-3'], { summary: 'Changed — ü' }));
        await both((sim) => sim.control.updateIssue('CORE-4', { status: 'Done', labels: ['x'] }));
        await both((sim) => sim.control.moveIssue('CORE-5', 'APP'));
        await both((sim) => sim.control.moveIssue('SIDE-1', 'CORE'));
        await both((sim) => sim.control.deleteIssue('CORE-6'));
        await both((sim) => sim.control.createIssues('CORE', 3));
        await both((sim) => sim.control.hideProject('SIDE'));
        const second = await comparePages(flavor, same);
        expect(second).toHaveLength(152);
        expect(await inCore()).toBe(152);

        // Index lag: the stale versions are served (and rendered again), then the new ones.
        await both((sim) => sim.control.setIndexLag(10_000));
        clock = NOW + 2 * MINUTE;
        await both((sim) => sim.control.updateIssues(['CORE-1', 'CORE-7', 'CORE-8']));
        await both((sim) => sim.control.deleteIssue('CORE-9'));
        const lagged = await comparePages(flavor, same);
        expect(lagged).toContain((await plain.control.snapshot({ includeDeleted: true })).find((e) => e.key === 'CORE-9')!.id);
        clock = NOW + 3 * MINUTE;
        const caughtUp = await comparePages(flavor, same);
        expect(caughtUp).toHaveLength(151);

        // Faults see the same bytes: a page missing its middle issue, a malformed page.
        await both((sim) => sim.control.setFaults([{ kind: 'drop-issue', count: 1 }]));
        await comparePages(flavor, same);
        await both((sim) => sim.control.setFaults([{ kind: 'malformed', count: 1 }]));
        await expect(comparePages(flavor, same)).rejects.toThrow(SyntaxError);
        expect(compared()).toBeGreaterThan(40);
      });
    }
  }

  it("renders self links with the server's own address when no base URL is configured", async () => {
    const [plain, prerendered] = await startPair({ flavor: 'cloud', seed: 4, projects: [{ key: 'CORE', issues: 30 }], dataAnchor: NOW });
    const { same } = pair(plain, prerendered, (sim, text) => text.replaceAll(sim.url, 'http://SITE'));
    const page = await same('POST', '/rest/api/3/search/jql', {
      jql: 'project = CORE ORDER BY key',
      maxResults: 30,
      fields: ['*navigable'],
    });
    expect(page.issues).toHaveLength(30);
    expect(page.issues[0].self).toBe(`http://SITE/rest/api/3/issue/${page.issues[0].id}`);
    const raw = await fetch(`${prerendered.url}/rest/api/3/issue/CORE-1`, { headers: { Authorization: CLOUD_AUTH } });
    expect(((await raw.json()) as Json).self).toMatch(new RegExp(`^${prerendered.url}/rest/api/3/issue/\\d+$`));
  });

  it('renders each issue once: at start-up for what a sync asks, again only after it changes', async () => {
    const server = new SimServer({ flavor: 'cloud', seed: 2, projects: [{ key: 'CORE', issues: 120 }], prerender: true });
    await server.listen(0);
    try {
      const render = vi.spyOn(server.renderer, 'issue');
      const page = async (fields: string[]) => {
        const r = await fetch(`${server.url}/rest/api/3/search/jql`, {
          method: 'POST',
          headers: { Authorization: CLOUD_AUTH, 'Content-Type': 'application/json' },
          body: JSON.stringify({ jql: 'project = CORE ORDER BY key ASC', maxResults: 100, fields }),
        });
        return ((await r.json()) as Json).issues.length as number;
      };
      expect(await page(['*navigable'])).toBe(100);
      expect(render).not.toHaveBeenCalled();
      server.control.updateIssue('CORE-7');
      server.control.updateIssue('CORE-8');
      expect(await page(['*navigable'])).toBe(100);
      expect(render).toHaveBeenCalledTimes(2);
      expect(await page(['*navigable'])).toBe(100);
      expect(render).toHaveBeenCalledTimes(2);
      // Another selection is rendered when first asked for, then kept as well.
      expect(await page(['summary'])).toBe(100);
      expect(await page(['summary'])).toBe(100);
      expect(render).toHaveBeenCalledTimes(102);
    } finally {
      await server.close();
    }
  });
});

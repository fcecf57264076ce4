import { describe, expect, it } from 'vitest';
import { compileJql, parseJql } from '../../src/simulator/jql.ts';
import { client, withSim, type Json } from './helpers.ts';
import { rangeQuery } from '../../src/simulator/rangeQuery.ts';
import type { IssueState } from '../../src/simulator/model.ts';
import { Store, type SearchResult } from '../../src/simulator/store.ts';
import type { SearchResolution } from '../../src/simulator/types.ts';

const T = Date.UTC(2024, 10, 5, 9, 30, 0); // a whole minute
const MINUTE = 60_000;

/** Projects A and B with ties at one instant and within one minute, moves, deletions, a hidden project. */
function makeStore(resolution: SearchResolution) {
  let clock = T - 3_600_000;
  const store = new Store({
    seed: 5,
    projects: [
      { key: 'A', name: 'Alpha', issues: 120 },
      { key: 'B', name: 'Beta', issues: 80 },
      { key: 'H', name: 'Hidden', issues: 30 },
    ],
    anchor: T - 3_600_000,
    now: () => clock,
    currentUser: { email: 'me@example.com', name: 'me' },
  });
  store.setSearchResolution(resolution);
  const at = (ms: number) => (clock = ms);
  at(T);
  store.createIssues('A', 4); // four issues created and updated at the same millisecond
  at(T + 1234);
  store.createIssues('B', 3);
  for (let n = 1; n <= 5; n++) store.updateIssue(`A-${n}`);
  at(T + 59_999); // still the minute of T
  store.updateIssue('A-6');
  store.updateIssue('B-1');
  at(T + MINUTE); // the next minute, exactly
  store.createIssues('A', 2);
  at(T + MINUTE + 1000);
  store.moveIssue('A-7', 'B');
  store.deleteIssue('A-8');
  store.moveIssue('H-1', 'A');
  store.setHidden('H', true);
  return { store, at };
}

function compile(store: Store, text: string) {
  return compileJql(parseJql(text), store.jqlEnv('Asia/Kolkata', store.users[0]!));
}

const ids = (r: SearchResult) => r.views.slice(r.start, r.end).map((v: IssueState) => `${v.key}#${v.id}@${v.v}`);

/** The general path (filter + sort per JQL text) and the fast path (slice of a sorted view) for one query. */
function bothPaths(store: Store, text: string): { general: string[]; fast: string[] } {
  const range = rangeQuery(parseJql(text));
  if (!range) throw new Error(`not a range query: ${text}`);
  const compiled = compile(store, text);
  if (range.field !== null && range.field !== compiled.sortFields[0])
    throw new Error(`ranges over another field than it sorts by: ${text}`);
  const fast = ids(store.searchRange(compileJql(range.base, store.jqlEnv('Asia/Kolkata', store.users[0]!)), range));
  return { general: ids(store.search(text, compiled)), fast };
}

/** Instants around every tie, minute boundary and a sample of generated issues. */
function instants(store: Store): number[] {
  const special = [T - 1, T, T + 1, T + 1233, T + 1234, T + 1235, T + 59_999, T + MINUTE - 1, T + MINUTE, T + MINUTE + 1];
  const sample = store.snapshot().filter((_, i) => i % 9 === 0);
  const around = sample.flatMap((e) => [e.updated, e.updated + 1, Math.floor(e.updated / MINUTE) * MINUTE]);
  return [...new Set([...special, ...around])].sort((a, b) => a - b);
}

const ORDERS = [
  'ORDER BY updated ASC, key ASC',
  'ORDER BY updated DESC, key ASC',
  'ORDER BY updatedDate ASC',
  'ORDER BY updated ASC, key DESC',
];

function expectSameResults(store: Store): number {
  let compared = 0;
  const points = instants(store);
  const pairs = points.filter((_, i) => i % 6 === 0);
  for (const projects of ['project = "A"', 'project in (A, B)']) {
    for (const order of ORDERS) {
      const queries = [`${projects} ${order}`];
      for (const p of points) for (const op of ['>', '>=', '<', '<=']) queries.push(`${projects} AND updated ${op} ${p} ${order}`);
      for (const lo of pairs) {
        for (const hi of pairs) {
          if (hi < lo) continue;
          queries.push(`${projects} AND updated >= ${lo} AND updated < ${hi} ${order}`);
          queries.push(`updated <= ${hi} AND ${projects} AND updated > ${lo} ${order}`);
        }
      }
      for (const text of queries) {
        const { general, fast } = bothPaths(store, text);
        expect(fast, text).toEqual(general);
        compared++;
      }
    }
    // `created` ranges sorted by created take the fast path too.
    for (const p of points.filter((_, i) => i % 3 === 0)) {
      const { general, fast } = bothPaths(store, `${projects} AND created >= ${p} ORDER BY created DESC`);
      expect(fast).toEqual(general);
      compared++;
    }
  }
  return compared;
}

describe('range queries (the fast search path)', () => {
  for (const resolution of ['millisecond', 'minute'] as const) {
    it(`answer exactly what the general path answers at ${resolution} resolution, with ties, moves, deletions and index lag`, () => {
      const { store, at } = makeStore(resolution);
      // The data holds what makes ranges hard: ties at one instant, and (compared by the minute) within one minute.
      const atT = bothPaths(store, `project = "A" AND updated >= ${T + 1234} AND updated < ${T + 1235} ORDER BY updated ASC, key ASC`);
      expect(atT.general).toEqual(
        resolution === 'millisecond' ? ['A-1', 'A-2', 'A-3', 'A-4', 'A-5'].map((k) => expect.stringContaining(k + '#')) : [],
      );
      const minute = bothPaths(store, `project = "A" AND updated >= ${T} AND updated < ${T + MINUTE} ORDER BY updated ASC, key ASC`);
      expect(minute.general.map((s) => s.split('#')[0])).toEqual(
        // Milliseconds: by instant, then key. Minutes: all of T's minute ties, in key order.
        resolution === 'millisecond'
          ? ['A-121', 'A-122', 'A-123', 'A-124', 'A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6']
          : ['A-1', 'A-2', 'A-3', 'A-4', 'A-5', 'A-6', 'A-121', 'A-122', 'A-123', 'A-124'],
      );
      expect(expectSameResults(store)).toBeGreaterThan(1000);

      // Index lag: changes are searched as they were until the index catches up.
      store.setIndexLag(10_000);
      at(T + 2 * MINUTE);
      for (let n = 10; n <= 15; n++) store.updateIssue(`A-${n}`);
      store.moveIssue('A-16', 'B');
      store.deleteIssue('A-17');
      expect(store.createIssues('A', 2)).toEqual(['A-128', 'A-129']);
      at(T + 2 * MINUTE + 5000);
      const lagged = bothPaths(store, `project = "A" AND updated >= 0 ORDER BY updated ASC, key ASC`);
      expect(lagged.general.some((s) => s.startsWith('A-17#'))).toBe(true); // deleted, not yet out of the index
      expect(lagged.general.some((s) => s.startsWith('A-128#'))).toBe(false); // created, not yet in it
      expectSameResults(store);
      at(T + 2 * MINUTE + 11_000);
      const caughtUp = bothPaths(store, `project = "A" AND updated >= 0 ORDER BY updated ASC, key ASC`);
      expect(caughtUp.general.some((s) => s.startsWith('A-17#'))).toBe(false);
      expect(caughtUp.general.some((s) => s.startsWith('A-128#'))).toBe(true);
      expectSameResults(store);
    });
  }

  it('are only what sync clients send: a project restriction, epoch-ms bounds on the first ORDER BY field', () => {
    const range = (text: string) => rangeQuery(parseJql(text));
    expect(range(`project = "A" AND updated >= 100 AND updated < 200 ORDER BY updated ASC, key ASC`)).toMatchObject({
      field: 'updated',
      min: 100,
      max: 199,
    });
    expect(range(`updated > 100 AND (project in (A, B) AND updated <= 200)`)).toMatchObject({ field: 'updated', min: 101, max: 200 });
    expect(range(`project = A AND updated >= 100 AND updated >= 150 AND updated < 300 AND updated < 250`)).toMatchObject({
      min: 150,
      max: 249,
    });
    expect(range(`project = A ORDER BY key ASC`)).toMatchObject({ field: null, min: null, max: null });
    for (const general of [
      'updated >= 100 ORDER BY updated', // no project
      'project = A OR project = B',
      'project = A AND NOT updated >= 100',
      'project = A AND project = B',
      'project != A AND updated >= 100',
      'project = A AND updated = 100',
      'project = A AND updated >= -5d',
      'project = A AND updated >= "2024-11-05 10:00"',
      'project = A AND updated >= now()',
      'project = A AND updated >= 100 AND created < 200',
      'project = A AND status = Done',
      'project = A AND updated >= 99999999999999999999',
    ]) {
      expect(range(general), general).toBeNull();
    }
  });

  for (const resolution of ['millisecond', 'minute'] as const) {
    it(`count and page over HTTP as the general path does, at ${resolution} resolution (Cloud approximate-count, Data Center total)`, async () => {
      // `(project = X OR project = X)` means the same but is not a range query: it takes the general path.
      const general = (jql: string) => jql.replace('project = "CORE"', '(project = "CORE" OR project = "CORE")');
      for (const flavor of ['cloud', 'datacenter'] as const) {
        await withSim(
          { flavor, seed: 4, projects: [{ key: 'CORE', issues: 300 }], dataAnchor: T, searchResolution: resolution },
          async (sim) => {
            const c = client(sim);
            const all = await sim.control.snapshot();
            const minutes = [...new Set(all.map((e) => Math.floor(e.updated / MINUTE) * MINUTE))].sort((a, b) => a - b);
            const bounds = [minutes[10]!, minutes[10]! + 1, minutes[150]! + 59_999, all[7]!.updated, all[7]!.updated + 1];
            const queries = bounds.flatMap((lo) => [
              `project = "CORE" AND updated >= ${lo}`,
              `project = "CORE" AND updated >= ${lo} AND updated < ${minutes[200]}`,
            ]);
            for (const jql of queries) {
              const count = async (q: string): Promise<number> =>
                flavor === 'cloud'
                  ? (await c.post('/rest/api/3/search/approximate-count', { jql: q })).json().count
                  : (await c.post('/rest/api/2/search', { jql: q, maxResults: 0 })).json().total;
              const page = async (q: string): Promise<string[]> => {
                const body = { jql: `${q} ORDER BY updated ASC, key ASC`, maxResults: 100, fields: ['updated'] };
                const r = (await c.post(flavor === 'cloud' ? '/rest/api/3/search/jql' : '/rest/api/2/search', body)).json();
                return r.issues.map((i: Json) => i.id);
              };
              const n = await count(jql);
              expect(n, jql).toBe(await count(general(jql)));
              expect(n).toBeGreaterThan(0);
              expect(await page(jql)).toEqual(await page(general(jql)));
            }
          },
        );
      }
    });
  }
});

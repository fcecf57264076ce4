import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { addInstance, upsertProject } from '../../src/store/instances.ts';
import { createIssueWriter, reconcileProjectIds, type MirrorIssue } from '../../src/store/issues.ts';
import { getIssueFacets, getStoredIssue, iterateIssueSearch, searchIssues } from '../../src/store/issueSearch.ts';
import { ftsPhrases, matchOf, onlyCompletion } from '../../src/store/issueText.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { createRun, startProjectDetail } from '../../src/store/runs.ts';
import { tempDir } from '../helpers/tempDb.ts';

let store: Store;
let cleanup: () => void;
const BASE = Date.parse('2026-10-01T00:00:00Z');
const STATUSES = ['To Do', 'In Progress', 'Done'];
const TYPES = ['Bug', 'Task'];

function issue(project: string, n: number, patch: Partial<MirrorIssue> = {}): MirrorIssue {
  const updatedMs = BASE + n * 60_000;
  return {
    id: String(n + (project === 'WEB' ? 10_000 : 0)),
    key: `${project}-${n}`,
    projectKey: project,
    summary: `Routine work item ${n}`,
    description: `Nothing special about item ${n}.`,
    status: STATUSES[n % 3]!,
    statusCategory: null,
    issueType: TYPES[n % 2]!,
    priority: 'Medium',
    assignee: n % 4 === 0 ? null : `Person ${n % 4}`,
    reporter: 'Reporter',
    created: new Date(updatedMs - 1000).toISOString(),
    updatedMs,
    resolution: null,
    labels: '["x"]',
    raw: Buffer.from(JSON.stringify({ id: String(n), fields: { description: `Nothing special about item ${n}.` } })),
    contentHash: `${project}-${n}-${patch.summary ?? ''}`,
    ...patch,
  };
}

beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  store = openStore({ file: temp.dbFile });
  const acme = addInstance(store, { name: 'acme', url: 'https://acme.example', flavor: 'cloud', credential: 'env', tokenEnv: 'T' });
  createRun(store, { id: 'r1', initiatedBy: 'cli', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid: 1, ownerHost: 'h' });
  const writer = createIssueWriter(store);
  for (const project of ['DEMO', 'WEB']) {
    upsertProject(store, acme.id, project, '1', project);
    const detailId = startProjectDetail(store, { runId: 'r1', instanceId: acme.id, instanceName: 'acme', projectKey: project });
    const issues = Array.from({ length: 120 }, (_, i) => issue(project, i + 1));
    if (project === 'DEMO') {
      issues[41] = issue('DEMO', 42, { summary: 'Checkout fails with a "timeout"', description: 'The payment gateway réponds slowly' });
    }
    writer.commit({ instanceId: acme.id, projectKey: project, runId: 'r1', projectDetailId: detailId, sliceId: null, issues });
  }
});
afterEach(() => {
  store.close();
  cleanup();
});

/** Writes issues of a project of instance acme (registered if new) as one page of run r1. */
function writeIssues(project: string, issues: MirrorIssue[]): void {
  const { id: instanceId } = store.sqlite.prepare(`SELECT id FROM instances WHERE name = 'acme'`).get() as { id: string };
  upsertProject(store, instanceId, project, '1', project);
  const projectDetailId = startProjectDetail(store, { runId: 'r1', instanceId, instanceName: 'acme', projectKey: project });
  createIssueWriter(store).commit({ instanceId, projectKey: project, runId: 'r1', projectDetailId, sliceId: null, issues });
}

describe('full-text search over the mirror', () => {
  it('finds a word in the summary or description, a key, and a prefix as typed', () => {
    expect(searchIssues(store, { text: 'checkout' }).rows.map((r) => r.key)).toEqual(['DEMO-42']);
    expect(searchIssues(store, { text: 'gateway' }).rows.map((r) => r.key)).toEqual(['DEMO-42']);
    expect(searchIssues(store, { text: 'repond' }).rows.map((r) => r.key)).toEqual(['DEMO-42']); // diacritics folded, prefix
    expect(searchIssues(store, { text: 'DEMO-42' }).rows[0]!.key).toBe('DEMO-42');
    expect(searchIssues(store, { text: 'checkout payment' }).total).toBe(1);
    expect(searchIssues(store, { text: 'checkout nothing' }).total).toBe(0);
    const routine = searchIssues(store, { text: 'routine', limit: 10 });
    expect(routine.total).toBe(239);
    expect(routine.rows).toHaveLength(10);
  });

  it('treats every character of the text as text, never as FTS5 syntax', () => {
    expect(matchOf(ftsPhrases('a" OR key:*')!)).toBe('"a" AND "OR" AND "key"*');
    expect(ftsPhrases('  "  ')).toBeNull();
    expect(searchIssues(store, { text: 'NEAR(checkout' }).total).toBe(0);
    expect(searchIssues(store, { text: '"timeout"' }).rows.map((r) => r.key)).toEqual(['DEMO-42']);
    // Text without a searchable word filters nothing.
    expect(searchIssues(store, { text: '***' }).total).toBe(240);
  });

  it('combines the text with every filter, counts exactly and leaves deleted issues out', () => {
    expect(searchIssues(store, { project: 'WEB' }).total).toBe(120);
    expect(searchIssues(store, { status: 'Done', issueType: 'Task' }).total).toBe(2 * 20);
    expect(searchIssues(store, { assignee: '' }).total).toBe(60);
    expect(searchIssues(store, { assignee: 'Person 1', project: 'DEMO' }).total).toBe(30);
    expect(searchIssues(store, { instance: 'nobody' }).total).toBe(0);
    const from = new Date(BASE + 100 * 60_000).toISOString();
    expect(searchIssues(store, { updatedFrom: from, project: 'DEMO' }).total).toBe(21);
    expect(searchIssues(store, { text: 'routine', project: 'WEB', status: 'To Do' }).total).toBe(40);
    expect(getStoredIssue(store, 'acme', '42')).toMatchObject({ key: 'DEMO-42', instanceUrl: 'https://acme.example', isDemo: false });
    const acmeId = (store.sqlite.prepare(`SELECT id FROM instances WHERE name = 'acme'`).get() as { id: string }).id;
    const demoDetail = startProjectDetail(store, { runId: 'r1', instanceId: acmeId, instanceName: 'acme', projectKey: 'DEMO' });
    reconcileProjectIds(store, acmeId, 'DEMO', new Set(['1', '2']), demoDetail);
    expect(searchIssues(store, { text: 'checkout' }).total).toBe(0);
    expect(searchIssues(store, { project: 'DEMO' }).total).toBe(2);
    expect(getStoredIssue(store, 'acme', '42')).toBeNull();
    // An issue that comes back (the next sync lists it again) is found again.
    writeIssues('DEMO', [
      issue('DEMO', 42, { summary: 'Checkout fails with a "timeout"', description: 'The payment gateway réponds slowly' }),
    ]);
    expect(searchIssues(store, { text: 'checkout' }).rows.map((r) => r.key)).toEqual(['DEMO-42']);
    expect(searchIssues(store, { text: 'checkout', project: 'DEMO' }).total).toBe(1);
  });

  it('sorts newest first by default, by relevance for text, or by key', () => {
    const newest = searchIssues(store, { project: 'DEMO', limit: 3 }).rows.map((r) => r.key);
    expect(newest).toEqual(['DEMO-120', 'DEMO-119', 'DEMO-118']);
    const byKey = searchIssues(store, { project: 'DEMO', sort: 'key', order: 'asc', limit: 3 }).rows.map((r) => r.key);
    expect(byKey).toEqual(['DEMO-1', 'DEMO-2', 'DEMO-3']);
    // "timeout" in the summary ranks above the same word only in descriptions.
    writeIssues('WEB', [
      issue('WEB', 500, { description: 'a long text that mentions timeout once among many other words here', contentHash: 'new' }),
    ]);
    expect(searchIssues(store, { text: 'timeout' }).rows.map((r) => r.key)).toEqual(['DEMO-42', 'WEB-500']);
  });

  it('lists the values each filter can take, with counts', () => {
    const facets = getIssueFacets(store, { project: 'DEMO' });
    expect(facets.statuses).toEqual([
      { value: 'Done', count: 40 },
      { value: 'In Progress', count: 40 },
      { value: 'To Do', count: 40 },
    ]);
    expect(facets.issueTypes).toEqual([
      { value: 'Bug', count: 60 },
      { value: 'Task', count: 60 },
    ]);
    expect(facets.assignees).toEqual([
      { value: null, count: 30 },
      { value: 'Person 1', count: 30 },
      { value: 'Person 2', count: 30 },
      { value: 'Person 3', count: 30 },
    ]);
  });
});

describe('a text matching thousands of issues', () => {
  it('pages and counts it under filters and in updated order exactly', () => {
    // 2,400 more matches of "routine": past the bounded look, so the page walks the browse index.
    writeIssues(
      'BIG',
      Array.from({ length: 2400 }, (_, i) => issue('BIG', i + 1, { id: `big-${i + 1}` })),
    );

    const filtered = searchIssues(store, { text: 'routine', project: 'BIG', status: 'Done', limit: 3, offset: 100 });
    // Done is n % 3 === 2: 800 of 2,400; newest first from n = 2399, the 101st is n = 2399 - 100 * 3.
    expect(filtered.total).toBe(800);
    expect(filtered.rows.map((r) => r.key)).toEqual(['BIG-2099', 'BIG-2096', 'BIG-2093']);
    const updated = searchIssues(store, { text: 'routine', sort: 'updated', limit: 2 });
    expect(updated.total).toBe(2400 + 239);
    expect(updated.rows.map((r) => r.key)).toEqual(['BIG-2400', 'BIG-2399']);
    const oldest = searchIssues(store, { text: 'routine', sort: 'updated', order: 'asc', instance: 'acme', assignee: '', limit: 2 });
    // Unassigned is n % 4 === 0: 30 in each small project (DEMO-42, without "routine", is assigned) and 600 in BIG.
    expect(oldest.total).toBe(30 + 30 + 600);
    expect(oldest.rows.map((r) => r.key).sort()).toEqual(['DEMO-4', 'WEB-4']);
  });
});

describe('relevance over a word most issues hold', () => {
  const keys = (rows: Array<{ key: string }>) => rows.map((r) => r.key);
  const seqOrder = () =>
    (
      store.sqlite.prepare(`SELECT key FROM issues WHERE summary LIKE 'Routine%' AND deleted_at IS NULL ORDER BY seq`).all() as Array<{
        key: string;
      }>
    ).map((r) => r.key);

  it('counts every match exactly and pages through equal scores in one fixed order', () => {
    // 239 issues score alike for "routine" (same text but the number): ties go by row id, so pages
    // of 50 read back exactly the whole list, and the reverse order is its mirror image.
    const whole = searchIssues(store, { text: 'routine', limit: 1000 });
    expect(whole.total).toBe(239);
    expect(keys(whole.rows)).toEqual(seqOrder());
    const paged = [0, 50, 100, 150, 200].flatMap((offset) => {
      const page = searchIssues(store, { text: 'routine', limit: 50, offset });
      expect(page.total).toBe(239);
      return keys(page.rows);
    });
    expect(paged).toEqual(keys(whole.rows));
    expect(keys(searchIssues(store, { text: 'routine', order: 'asc', limit: 1000 }).rows)).toEqual(keys(whole.rows).reverse());
    expect(keys([...iterateIssueSearch(store, { text: 'routine' })])).toEqual(keys(whole.rows));
  });

  it('ranks by bm25 over all matches, the best first whichever page holds the rest', () => {
    writeIssues('WEB', [issue('WEB', 900, { summary: 'Routine routine routine', contentHash: 'best' })]);
    const reference = (
      store.sqlite
        .prepare(
          `SELECT i.key FROM issues_fts JOIN issues i ON i.seq = issues_fts.rowid WHERE issues_fts MATCH '"routine"*'
           ORDER BY bm25(issues_fts, 10.0, 5.0, 1.0), issues_fts.rowid`,
        )
        .all() as Array<{ key: string }>
    ).map((r) => r.key);
    expect(reference[0]).toBe('WEB-900');
    expect(reference).toHaveLength(240);
    const pages = [0, 1, 2, 3, 4].flatMap((n) => keys(searchIssues(store, { text: 'routi', limit: 50, offset: n * 50 }).rows));
    expect(pages).toEqual(reference);
  });
});

describe('the word being typed', () => {
  it('is searched as its only completion in the index, else as a prefix', () => {
    expect(onlyCompletion(store, 'Routi')).toBe('routine');
    expect(onlyCompletion(store, 'routine')).toBe('routine');
    expect(onlyCompletion(store, 'gate')).toBe('gateway');
    // "reponds" (folded from "réponds") and "routine" both start with r.
    expect(onlyCompletion(store, 'r')).toBeNull();
    expect(onlyCompletion(store, 'zz')).toBeNull();
    // Text the tokenizer folds beyond lowercasing is left to FTS5.
    expect(onlyCompletion(store, 'répo')).toBeNull();
    expect(ftsPhrases('Checkout routi', () => 'routine')).toEqual(['"Checkout"', '"routine"']);
    expect(ftsPhrases('WEB-12', () => null)).toEqual(['"WEB 12"*']);
    expect(searchIssues(store, { text: 'r', sort: 'updated', limit: 2 })).toMatchObject({
      total: 240,
      rows: [{ key: 'WEB-120' }, { key: 'DEMO-120' }],
    });
    expect(searchIssues(store, { text: 'r', project: 'DEMO', status: 'Done', limit: 2 })).toMatchObject({
      total: 40,
      rows: [{ key: 'DEMO-119' }, { key: 'DEMO-116' }],
    });
  });
});

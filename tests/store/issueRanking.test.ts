import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { addInstance, upsertProject } from '../../src/store/instances.ts';
import { pruneIssueTextChanges } from '../../src/store/issueIndex.ts';
import { forgetRankings, rankMatches, type RankLimits } from '../../src/store/issueRanking.ts';
import { indexGeneration, indexTotals } from '../../src/store/issueTextBounds.ts';
import { createIssueWriter, type MirrorIssue } from '../../src/store/issues.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { createRun, startProjectDetail } from '../../src/store/runs.ts';
import { mulberry32 } from '../../src/simulator/prng.ts';
import { mirrorIssue } from '../helpers/mirrorIssue.ts';
import { tempDir } from '../helpers/tempDb.ts';

// Small limits so a few hundred issues exercise every path: kept rankings of 80, carried over up to 60 changes.
const LIMITS: RankLimits = { minMatches: 1, keep: 80, maxChanges: 60 };
const WORDS = ['timeout', 'payment', 'page', 'checkout', 'sync', 'login', 'error', 'retry', 'the', 'a'];

let dbFile: string;
let store: Store;
let writerStore: Store;
let cleanup: () => void;
let write: (issues: MirrorIssue[]) => void;
let random: () => number;

const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' ');

const issue = (n: number, summary: string, description: string) => mirrorIssue(n, { summary, description });

/** Varied texts (untied scores) and 60 issues with one same text (tied scores: same length and frequencies). */
const varied = (n: number) => issue(n, words(2 + Math.floor(random() * 4)), words(3 + Math.floor(random() * 25)));
const tied = (n: number) => issue(n, 'Checkout payment timeout', 'the page retry sync');

beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  dbFile = temp.dbFile;
  store = openStore({ file: dbFile });
  // The writes come from another connection, as the engine's do while the UI reads.
  writerStore = openStore({ file: dbFile });
  random = mulberry32(7);
  const instance = addInstance(writerStore, {
    name: 'acme',
    url: 'https://acme.example',
    flavor: 'cloud',
    credential: 'env',
    tokenEnv: 'T',
  });
  createRun(writerStore, { id: 'r1', initiatedBy: 'cli', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid: 1, ownerHost: 'h' });
  upsertProject(writerStore, instance.id, 'CORE', '1', 'CORE');
  const projectDetailId = startProjectDetail(writerStore, {
    runId: 'r1',
    instanceId: instance.id,
    instanceName: 'acme',
    projectKey: 'CORE',
  });
  const writer = createIssueWriter(writerStore);
  write = (issues) => writer.commit({ instanceId: instance.id, projectKey: 'CORE', runId: 'r1', projectDetailId, sliceId: null, issues });
  write(Array.from({ length: 300 }, (_, i) => (i % 5 === 0 && i < 300 ? tied(i + 1) : varied(i + 1))));
});
afterEach(() => {
  store.close();
  writerStore.close();
  cleanup();
});

/** Every match ranked by raw-SQL bm25 with the search's weights, ties by row id. */
function reference(match: string): number[] {
  return (
    store.sqlite
      .prepare(`SELECT rowid AS seq FROM issues_fts WHERE issues_fts MATCH ? ORDER BY bm25(issues_fts, 10.0, 5.0, 1.0), rowid`)
      .all(match) as Array<{ seq: number }>
  ).map((row) => row.seq);
}

/** As the search reads a page: in one read transaction. */
const ranked = (phrases: string[], offset: number, limit = 10) =>
  store.sqlite.transaction(() => rankMatches(store, phrases, undefined, { limit, offset }, true, LIMITS))();

/** The first 40 (four pages of ten) equal the reference's, and the count is every match. */
function expectExact(phrases: string[]): void {
  const all = reference(phrases.join(' AND '));
  const pages = [0, 10, 20, 30].map((offset) => ranked(phrases, offset));
  for (const page of pages) expect(page.total).toBe(all.length);
  expect(pages.flatMap((page) => page.seqs)).toEqual(all.slice(0, 40));
}

/** How often each way of ranking ran since the spy was set: every match scored, or the kept and changed ones rescored. */
function rankingSpy() {
  const statement = vi.spyOn(store, 'statement');
  const count = (part: string) => statement.mock.calls.filter(([sql]) => sql.includes(part)).length;
  return { full: () => count('LIMIT @limit OFFSET @offset'), carried: () => count('issue_text_changes WHERE id > @since') };
}

const QUERIES = [['"timeout"'], ['"checkout"', '"payment"'], ['"pa"*']];

describe('relevance pages of a text alone', () => {
  it('equal ranking every match by raw-SQL bm25, over tied and untied scores, cold and kept', () => {
    // The 60 tied issues rank together, by row id, from the second page to the fourth: ties straddle
    // page boundaries, with untied scores before and after them.
    const tiedSeqs = Array.from({ length: 60 }, (_, i) => i * 5 + 1);
    const order = reference('"timeout"');
    const first = order.indexOf(1);
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThan(20);
    expect(order.slice(first, first + 60)).toEqual(tiedSeqs);
    const spy = rankingSpy();
    for (const phrases of QUERIES) {
      expectExact(phrases);
      expectExact(phrases); // kept: the same pages
    }
    expect(spy.full()).toBe(QUERIES.length); // each text ranked in full once, then read from what was kept
    // Past what is kept, a page is ranked in full each time, still exactly.
    const all = reference('"timeout"');
    expect(ranked(['"timeout"'], 70, 20).seqs).toEqual(all.slice(70, 90));
    expect(ranked(['"timeout"'], 250, 50).seqs).toEqual(all.slice(250, 300));
  });

  it('after writes from another connection, carries the kept ranking forward exactly', () => {
    for (const phrases of QUERIES) expectExact(phrases);
    const spy = rankingSpy();
    const seqOf = (n: number) => (store.sqlite.prepare(`SELECT seq FROM issues WHERE id = ?`).get(String(n)) as { seq: number }).seq;
    const top = reference('"timeout"')[0]!;
    const steps = [
      // A weak match made the best one, a strong one weakened.
      () => write([issue(2, 'timeout timeout payment', 'checkout'), issue(1, 'nothing', 'timeout page')]),
      // The best match deleted (by a sweep) and one removed with its instance's mirror.
      () => writerStore.sqlite.prepare(`UPDATE issues SET deleted_at = '2026-01-01T00:00:00Z' WHERE seq = ?`).run(top),
      () => writerStore.sqlite.prepare(`DELETE FROM issues WHERE seq = ?`).run(seqOf(11)),
      // A new issue, a long one: the average length grows (0.3 %), so every unchanged score may grow too.
      () => write([issue(1000, words(3), `${words(20)} timeout payment page`)]),
      // New issues tied with the kept ones.
      () => write([tied(2000), tied(2001)]),
    ];
    for (const step of steps) {
      step();
      for (const phrases of QUERIES) expectExact(phrases);
    }
    expect(spy.full()).toBe(0);
    expect(spy.carried()).toBeGreaterThanOrEqual(steps.length * QUERIES.length);
  });

  it('stays exact over many random writes, whichever way each page is found', () => {
    const spy = rankingSpy();
    for (let round = 0; round < 30; round++) {
      const changed = Array.from({ length: 1 + Math.floor(random() * 6) }, () => varied(1 + Math.floor(random() * 320)));
      write(changed);
      if (round % 7 === 3) writerStore.sqlite.prepare(`UPDATE issues SET deleted_at = 'x' WHERE id = ?`).run(String(round * 9));
      for (const phrases of QUERIES) expectExact(phrases);
    }
    // Both ways ran: carried forward while the bound held, ranked again when the changes grew too many.
    expect(spy.carried()).toBeGreaterThan(0);
    expect(spy.full()).toBeGreaterThan(0);
  });

  it('ranks again once the changes since the kept ranking are no longer all recorded', () => {
    for (const phrases of QUERIES) expectExact(phrases);
    write(Array.from({ length: 20 }, (_, i) => varied(i + 1)));
    write([varied(50)]);
    pruneIssueTextChanges(writerStore, 1);
    expect(indexGeneration(store).first).toBe(indexGeneration(store).last);
    const spy = rankingSpy();
    for (const phrases of QUERIES) expectExact(phrases);
    expect(spy.full()).toBe(QUERIES.length);
    expect(spy.carried()).toBe(0);
  });

  it('keeps nothing for a read inside the caller’s own transaction', () => {
    const spy = rankingSpy();
    for (let i = 0; i < 2; i++) {
      store.sqlite.transaction(() => {
        expect(rankMatches(store, ['"timeout"'], undefined, { limit: 10, offset: 0 }, false, LIMITS).seqs).toEqual(
          reference('"timeout"').slice(0, 10),
        );
      })();
    }
    expect(spy.full()).toBe(2);
    forgetRankings(store);
  });
});

describe('the change log and the totals bm25 reads', () => {
  it('records every issue the writer indexes and every one leaving the index', () => {
    const changes = () =>
      (store.sqlite.prepare(`SELECT seq FROM issue_text_changes ORDER BY id`).all() as Array<{ seq: number }>).map((r) => r.seq);
    const before = indexGeneration(store);
    expect(before).toEqual({ first: 1, last: 300 });
    write([issue(5, 'changed', 'text'), issue(5000, 'new', 'issue'), issue(6, tied(6).summary, tied(6).description)]);
    writerStore.sqlite.prepare(`UPDATE issues SET deleted_at = 'x' WHERE id = '7'`).run();
    writerStore.sqlite.prepare(`DELETE FROM issues WHERE id = '8'`).run();
    const seq = (id: string) => (store.sqlite.prepare(`SELECT seq FROM issues WHERE id = ?`).get(id) as { seq: number }).seq;
    // Issue 6 was written unchanged (same content hash): not indexed again, not a change.
    expect(changes().slice(300)).toEqual([seq('5'), seq('5000'), seq('7'), 8]);
    expect(indexGeneration(store)).toEqual({ first: 1, last: 304 });
    pruneIssueTextChanges(writerStore, 2);
    expect(changes()).toEqual([seq('7'), 8]);
    expect(indexGeneration(store)).toEqual({ first: 303, last: 304 });
  });

  it('reads the rows and tokens of the index as bm25 does', () => {
    const live = store.sqlite.prepare(`SELECT key, summary FROM issues WHERE deleted_at IS NULL`).all() as Array<{
      key: string;
      summary: string;
    }>;
    writerStore.sqlite.prepare(`UPDATE issues SET deleted_at = 'x' WHERE id = '3'`).run();
    const rows = store.sqlite.prepare(`SELECT key, summary FROM issues WHERE deleted_at IS NULL`).all() as Array<{
      key: string;
      summary: string;
    }>;
    expect(rows).toHaveLength(live.length - 1);
    const descriptions = store.sqlite.prepare(`SELECT sz FROM issues_fts_docsize`).all() as Array<{ sz: Buffer }>;
    // Each row's size record: one varint per column (key, summary, description), all under 128 here.
    const tokens = descriptions.reduce((sum, { sz }) => sum + sz[0]! + sz[1]! + sz[2]!, 0);
    expect(rows.reduce((sum, row) => sum + 2 + row.summary.split(' ').length, 0)).toBe(
      descriptions.reduce((sum, { sz }) => sum + sz[0]! + sz[1]!, 0),
    );
    expect(indexTotals(store)).toEqual({ rows: rows.length, tokens });
  });
});

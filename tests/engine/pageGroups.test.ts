import { afterEach, describe, expect, it } from 'vitest';
import { groupCommits, groupsOf, MAX_GATHER_MS, PageCadence } from '../../src/engine/pageGroups.ts';
import { inlinePages } from '../../src/engine/parsePage.ts';
import type { Store } from '../../src/store/db.ts';
import { pageTargetFixture } from '../helpers/pageTarget.ts';
import { createIssueWriter, type IssuePageCommit } from '../../src/store/issues.ts';
import { mirrorIssue } from '../helpers/mirrorIssue.ts';

let store: Store | null = null;
let cleanup = () => {};
afterEach(() => {
  store?.close();
  cleanup();
});

/** A real database with an instance, a run and a project detail, and a writer that records its transactions. */
function mirror() {
  const fixture = pageTargetFixture('CORE');
  cleanup = fixture.cleanup;
  store = fixture.store;
  const { target } = fixture;
  const writer = createIssueWriter(store);
  const transactions: number[] = [];
  const recording = {
    commit: (page: IssuePageCommit) => (transactions.push(1), writer.commit(page)),
    commitAll: (pages: readonly IssuePageCommit[]) => (transactions.push(pages.length), writer.commitAll(pages)),
  };
  const page = (from: number, count: number, instanceId = target.instanceId): IssuePageCommit => ({
    ...target,
    instanceId,
    issues: Array.from({ length: count }, (_, i) => mirrorIssue(from + i, { summary: `Issue ${from + i}`, description: '' })),
  });
  const keys = () => store!.sqlite.prepare('SELECT key FROM issues ORDER BY seq').pluck().all();
  return { recording, transactions, page, keys, target };
}

describe('group commit', () => {
  it('writes the pages ready in one turn in one transaction, each with its own counts', async () => {
    const { recording, transactions, page, keys } = mirror();
    const write = groupCommits(recording);
    const written = await Promise.all([write(page(1, 2)), write(page(3, 3)), write(page(1, 1))]);
    expect(transactions).toEqual([3]);
    expect(written.map((w) => w.counts)).toEqual([
      { processed: 2, created: 2, updated: 0, unchanged: 0 },
      { processed: 3, created: 3, updated: 0, unchanged: 0 },
      { processed: 1, created: 0, updated: 0, unchanged: 1 },
    ]);
    expect(keys()).toEqual(['CORE-1', 'CORE-2', 'CORE-3', 'CORE-4', 'CORE-5']);
    // The transaction's time is shared by issues (2 : 3 : 1), not charged to every page whole.
    const [a, b, c] = written.map((w) => w.writeMs);
    expect(a! / c!).toBeCloseTo(2, 6);
    expect(b! / c!).toBeCloseTo(3, 6);
    // A page written alone later is its own transaction.
    await write(page(6, 1));
    expect(transactions).toEqual([3, 1]);
  });

  it('fails only the page that cannot be written; the others of its group are written', async () => {
    const { recording, transactions, page, keys } = mirror();
    const write = groupCommits(recording);
    const results = await Promise.allSettled([write(page(1, 2)), write(page(3, 1, 'no-such-instance')), write(page(4, 1))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY constraint failed/);
    // The group's transaction rolled back whole, then each page on its own.
    expect(transactions).toEqual([3, 1, 1, 1]);
    expect(keys()).toEqual(['CORE-1', 'CORE-2', 'CORE-4']);
    const detail = store!.sqlite.prepare('SELECT pages, issues_created FROM sync_project_details').get();
    expect(detail).toEqual({ pages: 2, issues_created: 3 });
  });

  it('gathers pages across turns for half the time between pages, and writes at once when every worker has one waiting', async () => {
    const { recording, transactions, page, keys } = mirror();
    let clock = 0;
    const write = groupCommits(recording, { gather: { writers: () => 2, now: () => clock } });
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    // Nothing known of the pace yet: written at the end of the turn, as without gathering.
    await write(page(1, 1));
    expect(transactions).toEqual([1]);
    // 100 ms since this unit's last page: the next waits up to 50 ms for another.
    clock = 100;
    const second = write(page(2, 1));
    await nextTurn();
    await nextTurn();
    expect(transactions).toEqual([1]);
    // A second page waiting: both workers have one, so no other can join.
    clock = 110;
    await Promise.all([second, write(page(3, 1))]);
    expect(transactions).toEqual([1, 2]);
    // Alone, a page is written when its window ends: the gaps 100, 10 and 20 ms smoothed to ~70 ms, half of it.
    clock = 130;
    const started = performance.now();
    await write(page(4, 1));
    expect(performance.now() - started).toBeGreaterThanOrEqual(30);
    expect(transactions).toEqual([1, 2, 1]);
    expect(keys()).toEqual(['CORE-1', 'CORE-2', 'CORE-3', 'CORE-4']);
  });

  it('writes a gathering group at once when it holds maxIssues issues', async () => {
    const { recording, transactions, page } = mirror();
    let clock = 0;
    const write = groupCommits(recording, { maxIssues: 4, gather: { writers: () => 8, now: () => clock } });
    await write(page(1, 1));
    clock = 100;
    const waiting = write(page(2, 2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(transactions).toEqual([1]);
    // 2 + 2 issues reach the cap: no waiting for the window (50 ms) nor for the other workers.
    const third = write(page(4, 2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(transactions).toEqual([1, 2]);
    await Promise.all([waiting, third]);
  });

  it('gathers nothing across turns when no page can wait (no writers)', async () => {
    const { recording, transactions, page } = mirror();
    let clock = 0;
    const write = groupCommits(recording, { gather: { writers: () => 0, now: () => clock } });
    await write(page(1, 1));
    clock = 100;
    const second = write(page(2, 1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(transactions).toEqual([1, 1]);
    await second;
  });

  it("waits half a unit's smoothed time between pages, at most MAX_GATHER_MS", () => {
    const cadence = new PageCadence();
    cadence.observe('a', 0);
    expect(cadence.windowMs()).toBe(0);
    cadence.observe('a', 40);
    expect(cadence.windowMs()).toBe(20);
    // Another unit's first page says nothing of the pace; its second does (40 → 0.8·40 + 0.2·140 = 60).
    cadence.observe('b', 45);
    expect(cadence.windowMs()).toBe(20);
    cadence.observe('b', 185);
    expect(cadence.windowMs()).toBeCloseTo(30, 9);
    cadence.observe('a', 2040);
    expect(cadence.windowMs()).toBe(MAX_GATHER_MS);
  });

  it('caps a transaction at maxIssues, a larger page alone', () => {
    const sized = (n: number) => ({ page: { issues: new Array(n) }, n });
    const groups = groupsOf([sized(100), sized(100), sized(150), sized(400), sized(50)], 250);
    expect(groups.map((group) => group.map((item) => item.n))).toEqual([[100, 100], [150], [400], [50]]);
  });

  it('holds a page parsed in place until its group is written, its raw copy intact', async () => {
    const { recording, target } = mirror();
    const parse = inlinePages(groupCommits(recording));
    let released = 0;
    const json = {
      issues: [{ id: '7', key: 'CORE-7', fields: { summary: 'Seven', updated: '2026-03-20T06:21:50.295+0000', project: { key: 'CORE' } } }],
    };
    const held = await parse({ bytes: Buffer.from(JSON.stringify(json)), release: () => (released += 1) });
    const committing = held.commit(target, held.issues);
    expect(released).toBe(0);
    await committing;
    expect(released).toBe(1);
    const raw = store!.sqlite.prepare(`SELECT raw_json FROM issue_bodies`).pluck().get();
    expect(JSON.parse(raw as string)).toEqual(json.issues[0]);
  });
});

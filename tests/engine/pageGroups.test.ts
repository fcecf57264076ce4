import { afterEach, describe, expect, it } from 'vitest';
import { groupCommits, groupsOf } from '../../src/engine/pageGroups.ts';
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

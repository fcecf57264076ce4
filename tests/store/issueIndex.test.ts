import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/db.ts';
import { addInstance, upsertProject } from '../../src/store/instances.ts';
import { analyzeIssuesIfChanged, optimizeIssueIndexAfter } from '../../src/store/issueIndex.ts';
import { createIssueWriter } from '../../src/store/issues.ts';
import { searchIssues } from '../../src/store/issueSearch.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { createRun, startProjectDetail } from '../../src/store/runs.ts';
import { mirrorIssue } from '../helpers/mirrorIssue.ts';
import { tempDir } from '../helpers/tempDb.ts';

let store: Store;
let cleanup: () => void;

/** FTS5 indexes each segment's leaves in `issues_fts_idx` under the segment's id. */
const segments = () => (store.sqlite.prepare('SELECT COUNT(DISTINCT segid) AS n FROM issues_fts_idx').get() as { n: number }).n;

const issue = (n: number) =>
  mirrorIssue(n, {
    summary: `Login ${n % 7 === 0 ? 'timeout' : 'error'} on page ${n}`,
    description: `Steps for ${n}: open the page, wait, retry.`,
    contentHash: `h${n}`,
  });

beforeEach(() => {
  const temp = tempDir();
  cleanup = temp.cleanup;
  store = openStore({ file: temp.dbFile });
  const instance = addInstance(store, { name: 'acme', url: 'https://acme.example', flavor: 'cloud', credential: 'env', tokenEnv: 'T' });
  createRun(store, { id: 'r1', initiatedBy: 'cli', performanceConfig: DEFAULT_PERFORMANCE_CONFIG, ownerPid: 1, ownerHost: 'h' });
  upsertProject(store, instance.id, 'CORE', '1', 'CORE');
  const projectDetailId = startProjectDetail(store, { runId: 'r1', instanceId: instance.id, instanceName: 'acme', projectKey: 'CORE' });
  const writer = createIssueWriter(store);
  // 48 pages, 48 transactions: each leaves a segment, which FTS5 merges only level by level.
  for (let page = 0; page < 48; page++) {
    const issues = Array.from({ length: 100 }, (_, i) => issue(page * 100 + i + 1));
    writer.commit({ instanceId: instance.id, projectKey: 'CORE', runId: 'r1', projectDetailId, sliceId: null, issues });
  }
});
afterEach(() => {
  store.close();
  cleanup();
});

describe('the full-text index after a sync', () => {
  it('is merged into one segment after a run that wrote a quarter of it or more, with the same answers', () => {
    const before = segments();
    expect(before).toBeGreaterThan(1);
    const search = () => [
      searchIssues(store, { text: 'timeout', limit: 500 }),
      searchIssues(store, { text: 'retry', sort: 'updated', limit: 5 }),
    ];
    const answers = search();
    expect(answers[0]!.total).toBe(685);

    expect(optimizeIssueIndexAfter(store, 999)).toBe(false); // too few rows to matter
    expect(optimizeIssueIndexAfter(store, 1199)).toBe(false); // under a quarter of 4,800
    expect(segments()).toBe(before);
    expect(optimizeIssueIndexAfter(store, 1200)).toBe(true);
    expect(segments()).toBe(1);
    expect(search()).toEqual(answers);
  });
});

describe("the planner's statistics of the issues", () => {
  const plan = (sql: string) =>
    (store.sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>).map((row) => row.detail).join('; ');
  const statusFilter = `SELECT seq FROM issues INDEXED BY issues_live_facets_idx WHERE deleted_at IS NULL AND status = 'Done'`;
  const analyzedRows = () =>
    Number.parseInt(
      (store.sqlite.prepare(`SELECT stat FROM sqlite_stat1 WHERE idx = 'issues_live_facets_idx'`).get() as { stat: string }).stat,
      10,
    );

  it('are taken once there are enough issues, and again only when the mirror grew or shrank by a quarter', () => {
    store.sqlite.exec(
      `UPDATE issues SET status = CASE seq % 4 WHEN 0 THEN 'To Do' WHEN 1 THEN 'In Progress' WHEN 2 THEN 'In Review' ELSE 'Done' END`,
    );
    // Unanalyzed, a filter on status alone reads the whole facets index.
    expect(plan(statusFilter)).toMatch(/^SCAN issues USING INDEX issues_live_facets_idx/);
    expect(analyzeIssuesIfChanged(store)).toBe(true);
    expect(analyzedRows()).toBe(4800);
    // With them, it skips through the one instance and the project to the status.
    expect(plan(statusFilter)).toMatch(/ANY\(instance_id\) AND ANY\(project_key\) AND status=\?/);
    expect(analyzeIssuesIfChanged(store)).toBe(false);
    // 1,199 issues gone (under a quarter): kept; one more: taken again.
    store.sqlite.prepare(`UPDATE issues SET deleted_at = 'x' WHERE seq <= 1199`).run();
    expect(analyzeIssuesIfChanged(store)).toBe(false);
    store.sqlite.prepare(`UPDATE issues SET deleted_at = 'x' WHERE seq = 1200`).run();
    expect(analyzeIssuesIfChanged(store)).toBe(true);
    expect(analyzedRows()).toBe(3600);
  });
});

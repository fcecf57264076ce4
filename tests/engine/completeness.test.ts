import { afterEach, describe, expect, it } from 'vitest';
import type { SearchResolution } from '../../src/simulator/index.ts';
import { type MirrorFixture, configure, mirrorFixture, mirroredKeys, runDetail, simulatorTruth } from '../helpers/mirror.ts';

let fixture: MirrorFixture | null = null;
afterEach(async () => {
  await fixture?.close();
  fixture = null;
});

const RESOLUTIONS: SearchResolution[] = ['millisecond', 'minute'];
const FLAVORS = ['cloud', 'datacenter'] as const;

describe.each(RESOLUTIONS.flatMap((resolution) => FLAVORS.map((flavor) => [resolution, flavor] as const)))(
  'a search comparing `updated` to the %s (%s)',
  (searchResolution, flavor) => {
    it('mirrors 4 projects × 777 issues exactly, page boundaries included, and verifies each', async () => {
      fixture = await mirrorFixture({ flavor, searchResolution, projects: 4, issuesPerProject: 777 });
      configure(fixture.backend, { batchSize: 100, maxWorkers: 4 });
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'completed', totalIssues: 3108, issuesCreated: 3108 });
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
      const shown = await runDetail(fixture.backend, run.id);
      for (const project of shown.projects) {
        expect(project.verification).toMatchObject({
          result: flavor === 'cloud' ? 'approximate' : 'exact',
          method: flavor === 'cloud' ? 'approximate-count' : 'total',
          jiraCount: 777,
          mirrorCount: 777,
        });
      }
    });

    it('keeps every issue of a minute that holds hundreds, across pages and incremental syncs', async () => {
      fixture = await mirrorFixture({ flavor, searchResolution, projects: [{ key: 'BULK', issues: 900 }] });
      configure(fixture.backend, { batchSize: 50, maxWorkers: 1 });
      expect(await fixture.sync()).toMatchObject({ status: 'completed', issuesCreated: 900 });
      // A bulk edit: 420 issues updated at the same instant, so one minute (and one millisecond)
      // holds more than eight pages of them.
      const keys = Array.from({ length: 420 }, (_, i) => `BULK-${2 * i + 1}`);
      fixture.sim.control.updateIssues(keys);
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'completed', issuesUpdated: 420, issuesCreated: 0 });
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
      const summaries = fixture.backend.store.sqlite
        .prepare(`SELECT COUNT(*) AS n FROM issues WHERE last_changed_run_id = ?`)
        .get(run.id) as { n: number };
      expect(summaries.n).toBe(420);
    });

    it('splits a large first sync at whole minutes and mirrors it exactly once', async () => {
      fixture = await mirrorFixture({ flavor, searchResolution, projects: [{ key: 'GIANT', issues: 2600 }] });
      configure(fixture.backend, { batchSize: 50, maxWorkers: 4 });
      const run = await fixture.sync();
      expect(run).toMatchObject({ status: 'completed', totalIssues: 2600, issuesCreated: 2600, issuesUnchanged: 0 });
      expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
      // Beyond its pages and the completeness check, the project asked for range counts: it was split.
      const [project] = (await runDetail(fixture.backend, run.id)).projects;
      expect(project!.apiCalls - project!.pages - 1).toBeGreaterThan(2);
    });
  },
);

describe('the completeness check', () => {
  it.each(FLAVORS)('catches a lossy pager (%s): the project fails with Integrity, and the next sync repairs it', async (flavor) => {
    fixture = await mirrorFixture({
      flavor,
      projects: [
        { key: 'LOSSY', issues: 500 },
        { key: 'FINE', issues: 120 },
      ],
    });
    configure(fixture.backend, { batchSize: 50, maxWorkers: 1 });
    // Three pages of LOSSY leave out one issue each, and page on as if they had not.
    fixture.sim.control.setFaults([
      { kind: 'drop-issue', count: 3, pathIncludes: flavor === 'cloud' ? '/search/jql' : '/search', bodyIncludes: 'LOSSY' },
    ]);
    const lossy = await fixture.sync();
    expect(lossy).toMatchObject({ status: 'partial', errorCategory: 'Integrity', failedProjects: 1, successfulProjects: 1 });
    const shown = await runDetail(fixture.backend, lossy.id);
    const [fine, broken] = [shown.projects.find((p) => p.projectKey === 'FINE')!, shown.projects.find((p) => p.projectKey === 'LOSSY')!];
    expect(broken).toMatchObject({
      status: 'failed',
      errorCategory: 'Integrity',
      verification: { result: 'mismatch', method: 'sweep', jiraCount: 500, mirrorCount: 497 },
    });
    expect(broken.errorMessage).toMatch(
      /^the mirror holds 497 of the 500 issues Jira lists for LOSSY \(updated before .*Z\); missing: LOSSY-\d+, LOSSY-\d+, LOSSY-\d+\. The next sync re-reads the project\.$/,
    );
    expect(fine).toMatchObject({ status: 'completed', verification: { jiraCount: 120, mirrorCount: 120 } });
    expect(lossy.errorMessage).toContain('sim/LOSSY: the mirror holds 497 of the 500 issues');

    fixture.sim.control.clearFaults();
    const repaired = await fixture.sync();
    expect(repaired).toMatchObject({ status: 'completed', issuesCreated: 3 });
    expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
    const after = (await runDetail(fixture.backend, repaired.id)).projects.find((p) => p.projectKey === 'LOSSY')!;
    // The repair re-read the whole project and checked it against its id list.
    expect(after).toMatchObject({
      issuesProcessed: 500,
      verification: { result: 'exact', method: 'sweep', jiraCount: 500, mirrorCount: 500 },
    });
    const reason = fixture.backend.store.sqlite.prepare(`SELECT repair_reason AS r FROM projects WHERE key = 'LOSSY'`).get();
    expect(reason).toEqual({ r: null });
    // And the sync after that is an ordinary incremental one again.
    const next = await fixture.sync();
    expect((await runDetail(fixture.backend, next.id)).projects.find((p) => p.projectKey === 'LOSSY')!.issuesProcessed).toBeLessThan(500);
  });

  it('mirrors a Cloud site without approximate-count completely, unsplit, verified by id lists, noted once', async () => {
    fixture = await mirrorFixture({
      projects: [
        { key: 'ONE', issues: 2200 },
        { key: 'TWO', issues: 130 },
      ],
    });
    configure(fixture.backend, { batchSize: 50, maxWorkers: 4 });
    fixture.sim.control.setFaults([{ kind: 'not-found', pathIncludes: '/search/approximate-count' }]);
    const run = await fixture.sync();
    expect(run).toMatchObject({ status: 'completed', totalIssues: 2330, issuesCreated: 2330 });
    expect(mirroredKeys(fixture.backend)).toEqual(simulatorTruth(fixture));
    const shown = await runDetail(fixture.backend, run.id);
    expect(shown.notices).toEqual([
      'sim: Jira could not count issues (HTTP 404 from /rest/api/3/search/approximate-count: null for uri: ' +
        `${fixture.sim.url}/rest/api/3/search/approximate-count); its projects were synced without splitting or expected totals, and checked against their id lists`,
    ]);
    for (const project of shown.projects) expect(project.verification).toMatchObject({ result: 'exact', method: 'sweep' });
    // One failed count per project at most (they ask at the same time); after that nobody asks.
    const counts = fixture.sim.control.stats().requests['POST /rest/api/3/search/approximate-count'] ?? 0;
    expect(counts).toBeLessThanOrEqual(2);
    expect(fixture.backend.store.sqlite.prepare('SELECT COUNT(*) AS n FROM sync_slices').get()).toEqual({ n: 0 });
  });
});

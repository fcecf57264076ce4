/** A real database ready for pages of one project: an instance, a run and the project's detail. */
import { openStore, type Store } from '../../src/store/db.ts';
import { addInstance } from '../../src/store/instances.ts';
import { createRun, startProjectDetail } from '../../src/store/runs.ts';
import { tempDir } from './tempDb.ts';

export interface PageTargetFixture {
  store: Store;
  dbFile: string;
  /** Where a page of `projectKey` goes (IssuePageCommit without its issues). */
  target: { instanceId: string; projectKey: string; runId: string; projectDetailId: number; sliceId: null };
  cleanup: () => void;
}

export function pageTargetFixture(projectKey: string): PageTargetFixture {
  const temp = tempDir();
  const store = openStore({ file: temp.dbFile });
  const instance = addInstance(store, { name: 'site', url: 'https://site.example', flavor: 'cloud', credential: 'env', tokenEnv: 'T' });
  const run = createRun(store, { id: 'run-1', initiatedBy: 'cli', performanceConfig: null as never, ownerPid: 1, ownerHost: 'h' });
  const projectDetailId = startProjectDetail(store, { runId: run.id, instanceId: instance.id, instanceName: 'site', projectKey });
  return {
    store,
    dbFile: temp.dbFile,
    target: { instanceId: instance.id, projectKey, runId: run.id, projectDetailId, sliceId: null },
    cleanup: temp.cleanup,
  };
}

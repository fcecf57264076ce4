import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SyncHost } from '../../src/engine/host.ts';
import type { Run } from '../../src/shared/model.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { configure, mirrorFixture, runDetail } from '../helpers/mirror.ts';
import { tempDir } from '../helpers/tempDb.ts';

const LINGERING_WORKER = new URL('./fixtures/lingeringEngineWorker.ts', import.meta.url);

describe('SyncHost', () => {
  let store: Store | null = null;
  let cleanup = () => {};
  afterEach(() => {
    store?.close();
    cleanup();
  });

  it('hands a run to onFinished only once its thread has let go of the database', async () => {
    const temp = tempDir();
    cleanup = temp.cleanup;
    store = openStore({ file: temp.dbFile });
    const events: string[] = [];
    let lockFreeAtFinish: boolean | null = null;
    const host = new SyncHost({
      store,
      workerUrl: LINGERING_WORKER,
      onRun: (run) => events.push(`run ${run.status}`),
      onProgress: () => {},
      onFinished: (run: Run) => {
        events.push(`finished ${run.status}`);
        // What the host writes after a run (growth, anomalies) must not wait for the engine's lock.
        const probe = new Database(temp.dbFile, { timeout: 0 });
        try {
          probe.exec('BEGIN IMMEDIATE');
          probe.exec('ROLLBACK');
          lockFreeAtFinish = true;
        } catch {
          lockFreeAtFinish = false;
        } finally {
          probe.close();
        }
      },
    });
    const runId = await host.start({ runId: 'run-linger', initiatedBy: 'cli', instances: [] });
    const final = await host.wait(runId);
    expect(final.status).toBe('completed');
    expect(events).toEqual(['run running', 'run completed', 'finished completed']);
    expect(lockFreeAtFinish).toBe(true);
  });

  it('ends a run whose engine ran out of memory failed, saying what to change, and the host lives on', async () => {
    // 1,000 Data Center issues of 150 KB of text in one page: more than the engine's capped heap holds.
    const fixture = await mirrorFixture({ flavor: 'datacenter', projects: [{ key: 'BIG', issues: 1 }] });
    try {
      fixture.sim.control.createIssues('BIG', 1000, { description: 'lorem ipsum dolor sit amet '.repeat(5_556) });
      configure(fixture.backend, { batchSize: 1000 });
      const run = await fixture.sync();
      expect(run).toMatchObject({
        status: 'failed',
        errorCategory: null,
        errorMessage:
          'the sync engine stopped unexpectedly: it ran out of memory on a page of very large issues: lower batch_size ' +
          '(Settings → Performance, or `jira-mirror config set performance batch_size=100`) and sync again',
      });
      // Nothing left running; the advice works.
      expect((await runDetail(fixture.backend, run.id)).projects.map((p) => p.status)).not.toContain('running');
      configure(fixture.backend, { batchSize: 100 });
      expect(await fixture.sync()).toMatchObject({ status: 'completed', totalIssues: 1001 });
    } finally {
      await fixture.close();
    }
  }, 120_000);
});

/** A real simulator over loopback plus a real backend on a temp SQLite file, wired together. */
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/simulator/index.ts';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import type { PerformanceConfig, Run, RunDetail } from '../../src/shared/model.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../../src/store/config.ts';
import { addInstance } from '../../src/store/instances.ts';
import { tempDir } from './tempDb.ts';

export const CLOUD_TOKEN = 'sim-cloud-token-7f3a9c2e';
export const DC_TOKEN = 'sim-dc-pat-5b8d1e4f';

export interface MirrorFixture {
  sim: RunningSimulator;
  backend: Backend;
  dbFile: string;
  dir: string;
  sync(request?: { instances?: string[]; projects?: string[]; sweep?: boolean }): Promise<Run>;
  /** Closes the backend and opens a new one on the same file (as a restarted app would). */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

export async function mirrorFixture(options: SimulatorOptions = {}): Promise<MirrorFixture> {
  const flavor = options.flavor ?? 'cloud';
  const sim = await startSimulator({
    ...options,
    auth: flavor === 'cloud' ? { email: 'bot@example.com', apiToken: CLOUD_TOKEN } : { pat: DC_TOKEN },
  });
  const temp = tempDir();
  const env = { JIRA_TOKEN: flavor === 'cloud' ? CLOUD_TOKEN : DC_TOKEN };
  const backend = openBackend({ dbFile: temp.dbFile, initiator: 'cli', env });
  addInstance(backend.store, {
    name: 'sim',
    url: sim.url,
    flavor,
    email: flavor === 'cloud' ? 'bot@example.com' : null,
    credential: 'env',
    tokenEnv: 'JIRA_TOKEN',
  });
  const fixture: MirrorFixture = {
    sim,
    backend,
    dbFile: temp.dbFile,
    dir: temp.dir,
    async sync(request = {}) {
      const started = await fixture.backend.dispatch('startSync', request);
      if (!started.ok) throw new Error(started.error.message);
      return fixture.backend.waitForRun((started.data as { runId: string }).runId);
    },
    async reopen() {
      await fixture.backend.close();
      fixture.backend = openBackend({ dbFile: temp.dbFile, initiator: 'cli', env });
    },
    async close() {
      await fixture.backend.close();
      await sim.close();
      temp.cleanup();
    },
  };
  return fixture;
}

/** The mirror's live issues as `key → id`, for comparing with the simulator's truth. */
export function mirroredKeys(backend: Backend): Map<string, string> {
  const rows = backend.store.sqlite.prepare('SELECT key, id FROM issues WHERE deleted_at IS NULL').all() as Array<{
    key: string;
    id: string;
  }>;
  return new Map(rows.map((r) => [r.key, r.id]));
}

/** Saves these performance settings over the current ones (as a user would, audited as `test`). */
export function configure(backend: Backend, changes: Partial<PerformanceConfig>): void {
  savePerformanceConfig(backend.store, { ...getPerformanceConfig(backend.store), ...changes }, 'test');
}

/** A run with its project details and metrics, through the contract. */
export async function runDetail(backend: Backend, id: string): Promise<RunDetail> {
  const result = await backend.dispatch('getRun', { id });
  if (!result.ok) throw new Error(result.error.message);
  return result.data as RunDetail;
}

/** The simulator's issues as `key → id`: what the mirror must equal. */
export function simulatorTruth(fixture: MirrorFixture): Map<string, string> {
  return new Map(fixture.sim.control.snapshot().map((i) => [i.key, i.id]));
}

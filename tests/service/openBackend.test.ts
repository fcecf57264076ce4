import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { hostname } from 'node:os';
import { isOwnerAlive, openBackend } from '../../src/service/openBackend.ts';
import { secretsFileFor } from '../../src/service/paths.ts';
import type { Instance, Run } from '../../src/shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { startSimulator } from '../../src/simulator/index.ts';
import { tempDir } from '../helpers/tempDb.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

function backendOn(dbFile: string): Backend {
  const backend = openBackend({ dbFile, initiator: 'preview', env: {} });
  cleanups.push(() => backend.close());
  return backend;
}

async function data<T>(backend: Backend, name: string, input: unknown): Promise<T> {
  const result = await backend.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as T;
}

describe('who still owns a running run', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  const fresh = new Date(now - 10_000).toISOString();
  const stale = new Date(now - 10 * 60_000).toISOString();
  it('needs a fresh heartbeat, and on this host a live process', () => {
    expect(isOwnerAlive({ pid: process.ppid, host: hostname(), heartbeatAt: fresh }, now)).toBe(true);
    // A reused pid cannot keep a dead run alive: its heartbeat stopped.
    expect(isOwnerAlive({ pid: process.ppid, host: hostname(), heartbeatAt: stale }, now)).toBe(false);
    expect(isOwnerAlive({ pid: 2 ** 22 + 17, host: hostname(), heartbeatAt: fresh }, now)).toBe(false);
    expect(isOwnerAlive({ pid: 1234, host: 'another-machine', heartbeatAt: fresh }, now)).toBe(true);
    expect(isOwnerAlive({ pid: 1234, host: 'another-machine', heartbeatAt: stale }, now)).toBe(false);
    expect(isOwnerAlive({ pid: process.ppid, host: hostname(), heartbeatAt: null }, now)).toBe(false);
  });
});

describe('the Backend behind the contract', () => {
  it('validates every input and answers errors as {code, message} values', async () => {
    const temp = tempDir();
    cleanups.push(temp.cleanup);
    const backend = backendOn(temp.dbFile);
    expect(await backend.dispatch('dropTables', {})).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'unknown call "dropTables"' },
    });
    expect(await backend.dispatch('listRuns', { limit: 0, status: 'done' })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'limit: Too small: expected number to be >=1; status: Invalid option: expected one of "running"|"completed"|"partial"|"failed"|"stopped"|"interrupted"',
        fields: {
          limit: 'Too small: expected number to be >=1',
          status: 'Invalid option: expected one of "running"|"completed"|"partial"|"failed"|"stopped"|"interrupted"',
        },
      },
    });
    // Settings are named as users type them (the README's and the CLI's snake_case), field by field.
    const config = { ...DEFAULT_PERFORMANCE_CONFIG, maxWorkers: 0, backoffFactor: 'fast' };
    expect(await backend.dispatch('savePerformanceConfig', { config })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message: 'max_workers must be between 1 and 32 workers; backoff_factor must be a number',
        fields: {
          'config.maxWorkers': 'max_workers must be between 1 and 32 workers',
          'config.backoffFactor': 'backoff_factor must be a number',
        },
      },
    });
    expect(await backend.dispatch('listRuns', { limit: 10, sneaky: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await backend.dispatch('getRun', { id: '00000000-0000-4000-8000-000000000000' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no run with id 00000000-0000-4000-8000-000000000000' },
    });
    expect(await backend.dispatch('startSync', {})).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'no Jira instance is configured yet: add one (or the demo instance) first' },
    });
  });

  it('stores a token beside the database (0600), never in it or in anything it returns', async () => {
    const temp = tempDir();
    cleanups.push(temp.cleanup);
    const backend = backendOn(temp.dbFile);
    const token = 'secret-token-6a1d2c9b';
    const added = await data<Instance>(backend, 'addInstance', {
      name: 'acme',
      url: 'https://acme.example/',
      flavor: 'cloud',
      email: 'me@acme.example',
      token,
    });
    expect(added).toMatchObject({ name: 'acme', url: 'https://acme.example', credential: 'stored', tokenEnv: null, isDemo: false });
    expect(JSON.stringify(await data(backend, 'listInstances', {}))).not.toContain(token);
    const secrets = secretsFileFor(temp.dbFile);
    expect(readFileSync(secrets, 'utf8')).toContain(token);
    expect(statSync(secrets).mode & 0o777).toBe(0o600);
    backend.store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(temp.dbFile).toString('latin1')).not.toContain(token);
    expect(await backend.dispatch('addInstance', { name: 'acme', url: 'https://x.example', flavor: 'cloud', token: 't' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'an instance named "acme" already exists' },
    });
    expect(await data(backend, 'removeInstance', { name: 'acme' })).toEqual({ removed: true });
    expect(readFileSync(secrets, 'utf8')).not.toContain(token);
  });

  it('keeps the demo instance working after a restart, and refuses a second sync while one runs', async () => {
    const temp = tempDir();
    cleanups.push(temp.cleanup);
    const first = openBackend({ dbFile: temp.dbFile, initiator: 'preview', env: {} });
    const demo = await data<Instance>(first, 'addDemoInstance', {});
    expect(demo).toMatchObject({ name: 'demo', isDemo: true, flavor: 'cloud' });
    expect(await data<Instance>(first, 'addDemoInstance', {})).toEqual(demo);
    const { runId } = await data<{ runId: string }>(first, 'startSync', {});
    expect(await first.dispatch('startSync', {})).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: `a sync is already running (run ${runId})` },
    });
    expect((await first.waitForRun(runId)).status).toBe('completed');
    await first.close();

    // A new process: the demo simulator is started again from the stored seed, on whatever port is free.
    const second = backendOn(temp.dbFile);
    const { runId: again } = await data<{ runId: string }>(second, 'startSync', { instances: ['demo'] });
    const run: Run = await second.waitForRun(again);
    // Same seed, same anchor, same site URL: the re-read overlap is unchanged, not "updated".
    expect(run).toMatchObject({ status: 'completed', issuesCreated: 0, issuesUpdated: 0 });
    expect(run.totalIssues).toBeGreaterThan(0);
  });

  it('pushes every change of a running sync as events', async () => {
    const sim = await startSimulator({ projects: 2, issuesPerProject: 120 });
    cleanups.push(() => sim.close());
    const temp = tempDir();
    cleanups.push(temp.cleanup);
    const backend = backendOn(temp.dbFile);
    await data(backend, 'addInstance', { name: 'sim', url: sim.url, flavor: 'cloud', email: 'demo@example.com', token: 'demo-token' });
    const seen: string[] = [];
    const statuses: string[] = [];
    backend.subscribe((event, payload) => {
      seen.push(event);
      if (event === 'runUpdated') statuses.push((payload as Run).status);
    });
    const { runId } = await data<{ runId: string }>(backend, 'startSync', {});
    await backend.waitForRun(runId);
    expect(statuses[0]).toBe('running');
    expect(statuses.at(-1)).toBe('completed');
    expect(seen).toContain('syncProgress');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import type { ConnectionTest, Instance, Run, ServerProject } from '../../src/shared/model.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { tempDir } from '../helpers/tempDb.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const TOKEN = 'sim-token-3f9a1c';

async function setup(): Promise<{ backend: Backend; sim: RunningSimulator; dc: RunningSimulator }> {
  const sim = await startSimulator({ projects: 3, issuesPerProject: 30, auth: { email: 'bot@example.com', apiToken: TOKEN } });
  const dc = await startSimulator({ flavor: 'datacenter', projects: 2, issuesPerProject: 10, auth: { pat: TOKEN } });
  const temp = tempDir();
  const backend = openBackend({ dbFile: temp.dbFile, initiator: 'preview', env: {} });
  cleanups.push(
    () => sim.close(),
    () => dc.close(),
    temp.cleanup,
    () => backend.close(),
  );
  return { backend, sim, dc };
}

async function data<T>(backend: Backend, name: string, input: unknown): Promise<T> {
  const result = await backend.dispatch(name, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.data as T;
}

describe('instances', () => {
  it('tests a connection before saving: server, user and time zone, or a categorized error without the token', async () => {
    const { backend, sim, dc } = await setup();
    const cloud = await data<ConnectionTest>(backend, 'testConnection', {
      url: sim.url,
      flavor: 'cloud',
      email: 'bot@example.com',
      token: TOKEN,
    });
    expect(cloud).toMatchObject({ ok: true, deploymentType: 'Cloud', version: '1001.0.0-SNAPSHOT', timeZone: 'Asia/Kolkata' });
    expect(cloud.ok && cloud.user.length).toBeGreaterThan(0);
    const datacenter = await data<ConnectionTest>(backend, 'testConnection', { url: dc.url, flavor: 'datacenter', token: TOKEN });
    expect(datacenter).toMatchObject({ ok: true, deploymentType: 'DataCenter', version: '9.12.15' });
    const wrong = await data<ConnectionTest>(backend, 'testConnection', {
      url: sim.url,
      flavor: 'cloud',
      email: 'bot@example.com',
      token: 'wrong-token-123',
    });
    expect(wrong).toMatchObject({ ok: false, category: 'Authentication' });
    expect(JSON.stringify(wrong)).not.toContain('wrong-token-123');
    const unreachable = await data<ConnectionTest>(backend, 'testConnection', {
      url: 'http://127.0.0.1:9',
      flavor: 'cloud',
      email: 'a@b.example',
      token: TOKEN,
    });
    expect(unreachable).toMatchObject({ ok: false, category: 'Network' });
    expect(await backend.dispatch('testConnection', { url: sim.url })).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION',
        fields: { flavor: 'flavor is needed to test a new instance', token: 'token is needed to test a new instance' },
      },
    });
  });

  it('lists the server projects, mirrors only the chosen ones, and leaves disabled instances out of "sync all"', async () => {
    const { backend, sim, dc } = await setup();
    await data<Instance>(backend, 'addInstance', { name: 'cloud', url: sim.url, flavor: 'cloud', email: 'bot@example.com', token: TOKEN });
    await data<Instance>(backend, 'addInstance', { name: 'dc', url: dc.url, flavor: 'datacenter', token: TOKEN });
    const listed = await data<ServerProject[]>(backend, 'listServerProjects', { name: 'cloud' });
    expect(listed.map((p) => [p.key, p.selected])).toEqual([
      ['DEMO', true],
      ['OPS', true],
      ['WEB', true],
    ]);
    const chosen = await data<Instance>(backend, 'selectProjects', { name: 'cloud', projects: ['WEB', 'DEMO', 'WEB'] });
    expect(chosen.projectKeys).toEqual(['DEMO', 'WEB']);
    expect(
      (await data<ServerProject[]>(backend, 'listServerProjects', { name: 'cloud' })).filter((p) => p.selected).map((p) => p.key),
    ).toEqual(['DEMO', 'WEB']);
    expect((await data<Instance>(backend, 'setInstanceEnabled', { name: 'dc', enabled: false })).enabled).toBe(false);

    const { runId } = await data<{ runId: string }>(backend, 'startSync', {});
    const run: Run = await backend.waitForRun(runId);
    expect(run).toMatchObject({ status: 'completed', totalProjects: 2, totalIssues: 60 });
    const detail = await data<{ projects: Array<{ instance: string; projectKey: string }> }>(backend, 'getRun', { id: runId });
    expect(detail.projects.map((p) => `${p.instance}/${p.projectKey}`)).toEqual(['cloud/DEMO', 'cloud/WEB']);
    const history = await data<{ total: number }>(backend, 'listRuns', { instance: 'dc' });
    expect(history.total).toBe(0);
    expect((await data<{ total: number }>(backend, 'listRuns', { instance: 'cloud' })).total).toBe(1);

    // Naming a disabled instance still syncs it.
    const named = await data<{ runId: string }>(backend, 'startSync', { instances: ['dc'] });
    expect(await backend.waitForRun(named.runId)).toMatchObject({ status: 'completed', totalProjects: 2, totalIssues: 20 });
    const mirrors = await data<Array<{ instance: string; issues: number; projects: Array<{ key: string; issues: number }> }>>(
      backend,
      'listInstanceMirrors',
      {},
    );
    expect(mirrors.map((m) => [m.instance, m.issues, m.projects.map((p) => `${p.key}:${p.issues}`)])).toEqual([
      ['cloud', 60, ['DEMO:30', 'WEB:30']],
      ['dc', 20, ['DEMO:10', 'OPS:10']],
    ]);

    await data(backend, 'setInstanceEnabled', { name: 'cloud', enabled: false });
    expect(await backend.dispatch('startSync', {})).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'every instance is disabled: enable one under Instances (or name it) first' },
    });
  });

  it('edits connection details and the token (never returned), refuses to edit the demo, removes with the mirror', async () => {
    const { backend, sim } = await setup();
    await data(backend, 'addInstance', {
      name: 'acme',
      url: 'https://wrong.example',
      flavor: 'cloud',
      email: 'bot@example.com',
      token: 'stale-token-1',
    });
    const failing = await data<ConnectionTest>(backend, 'testConnection', { name: 'acme', url: sim.url });
    expect(failing).toMatchObject({ ok: false, category: 'Authentication' });
    const edited = await data<Instance>(backend, 'updateInstance', { name: 'acme', changes: { url: `${sim.url}/`, token: TOKEN } });
    expect(edited).toMatchObject({ url: sim.url, credential: 'stored' });
    expect(JSON.stringify(edited)).not.toContain(TOKEN);
    expect(await data<ConnectionTest>(backend, 'testConnection', { name: 'acme' })).toMatchObject({ ok: true });
    expect(await backend.dispatch('updateInstance', { name: 'acme', changes: { url: 'ftp://x' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { 'changes.url': 'URL must start with https:// or http://, got "ftp:"' } },
    });
    await data(backend, 'addDemoInstance', {});
    expect(await backend.dispatch('updateInstance', { name: 'demo', changes: { url: 'https://x.example' } })).toEqual({
      ok: false,
      error: { code: 'VALIDATION', message: 'the demo instance has no connection details to edit' },
    });
    expect(await backend.dispatch('setInstanceEnabled', { name: 'ghost', enabled: true })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no instance named "ghost"' },
    });

    const { runId } = await data<{ runId: string }>(backend, 'startSync', { instances: ['acme'] });
    expect((await backend.waitForRun(runId)).totalIssues).toBe(90);
    expect(await data(backend, 'removeInstance', { name: 'acme' })).toEqual({ removed: true });
    expect(backend.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM issues`).get()).toEqual({ n: 0 });
    // The history keeps the run, under the instance's old name.
    expect((await data<{ total: number }>(backend, 'listRuns', { instance: 'acme' })).total).toBe(1);
  });
});

/** Commands that run something on this machine: `simulator`, `demo` (the simulator synced once), `web` (the browser preview). */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLAVORS } from '../shared/model.ts';
import type { RunDetail } from '../shared/model.ts';
import { openBackend } from '../service/openBackend.ts';
import { DEFAULT_READ_WORKER_URL } from '../service/readThread.ts';
import { integer, oneOf, parse, UsageError } from './args.ts';
import { CommandError, json, untilInterrupted, unwrap, type CliIo, type WithBackend } from './command.ts';
import { projectRows, runJson, runSummary } from './format.ts';
import { syncAndWait } from './mirrorCommands.ts';

export async function simulatorCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parse(args, {
    port: { type: 'string' },
    projects: { type: 'string' },
    issues: { type: 'string' },
    'latency-ms': { type: 'string' },
    seed: { type: 'string' },
    flavor: { type: 'string' },
    faults: { type: 'string' },
    'rate-limit': { type: 'string' },
    'index-lag-ms': { type: 'string' },
    'search-resolution': { type: 'string' },
    'server-version': { type: 'string' },
    prerender: { type: 'boolean' },
  });
  const { parseServerVersion, startSimulator, validateFaultRules } = await import('../simulator/index.ts');
  const flavor = oneOf(values.flavor, '--flavor', FLAVORS) ?? 'cloud';
  let faults;
  try {
    faults = values.faults === undefined ? [] : validateFaultRules(JSON.parse(values.faults));
  } catch (error) {
    throw new UsageError(`--faults must be a JSON list of fault rules (see src/simulator/types.ts): ${(error as Error).message}`);
  }
  if (values['server-version'] !== undefined) {
    try {
      parseServerVersion(values['server-version']);
    } catch (error) {
      throw new UsageError(`--server-version: ${(error as Error).message}`);
    }
  }
  const requestsPerSecond = integer(values['rate-limit'], '--rate-limit', 1, 100_000);
  const simulator = await startSimulator({
    flavor,
    port: integer(values.port, '--port', 0, 65535) ?? 0,
    projects: integer(values.projects, '--projects', 1, 1000) ?? 3,
    issuesPerProject: integer(values.issues, '--issues', 0, 1_000_000) ?? 40,
    latencyMs: integer(values['latency-ms'], '--latency-ms', 0, 60_000) ?? 0,
    seed: integer(values.seed, '--seed', 0, 2 ** 31) ?? 1,
    searchResolution: oneOf(values['search-resolution'], '--search-resolution', ['millisecond', 'minute'] as const) ?? 'millisecond',
    prerender: values.prerender === true,
    ...(values['server-version'] ? { serverVersion: values['server-version'] } : {}),
    ...(requestsPerSecond ? { rateLimit: { requestsPerSecond, burst: requestsPerSecond } } : {}),
  });
  simulator.control.setFaults(faults);
  simulator.control.setIndexLag(integer(values['index-lag-ms'], '--index-lag-ms', 0, 3_600_000) ?? 0);
  io.out(simulator.url);
  io.out(
    flavor === 'cloud'
      ? `Jira Cloud simulator; credentials: e-mail demo@example.com, API token demo-token (JIRA_TOKEN=demo-token jira-mirror instance add --name sim --url ${simulator.url} --flavor cloud --email demo@example.com --token-env JIRA_TOKEN)`
      : `Jira Data Center simulator; personal access token: demo-pat`,
  );
  io.out(`control API: ${simulator.url}/_sim/… ; press Ctrl-C to stop`);
  await untilInterrupted(io);
  await simulator.close();
  return 0;
}

export async function demoCommand(args: string[], io: CliIo, dbFile: string, dbChosen: boolean): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  // Without an explicit database the demo leaves nothing behind.
  const tempDir = dbChosen ? null : mkdtempSync(join(tmpdir(), 'jira-mirror-demo-'));
  const file = tempDir ? join(tempDir, 'demo.db') : dbFile;
  const backend = openBackend({ dbFile: file, initiator: 'cli', env: io.env });
  try {
    unwrap(await backend.dispatch('addDemoInstance', {}));
    const demo = backend.store.sqlite.prepare(`SELECT name FROM instances WHERE credential = 'demo'`).get() as { name: string };
    const run = await syncAndWait(backend, { instances: [demo.name] }, io, Boolean(values.json));
    if (values.json) io.out(json(runJson(run)));
    else {
      io.out(runSummary(run));
      const detail = unwrap<RunDetail>(await backend.dispatch('getRun', { id: run.id }));
      io.out(`\n${projectRows(detail.projects)}`);
      io.out(`\nTry the app with the same demo: npm start (desktop) or jira-mirror web (browser preview).`);
    }
    return run.status === 'completed' ? 0 : 1;
  } finally {
    await backend.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  }
}

export const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

export async function webCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values } = parse(args, { port: { type: 'string' } });
  const port = integer(values.port, '--port', 0, 65535) ?? 0;
  if (!existsSync(join(RENDERER_DIR, 'index.html')))
    throw new CommandError(1, `the renderer is not built (${RENDERER_DIR} is missing): run "npm run build" first`);
  return withBackend(
    async (backend) => {
      const { startPreviewServer } = await import('../web/previewServer.ts');
      const server = await startPreviewServer({ backend, port, rendererDir: RENDERER_DIR });
      io.out(server.url);
      io.err('browser preview running; press Ctrl-C to stop');
      await untilInterrupted(io);
      await server.close();
      return 0;
    },
    // A long-running host like the app: its syncs are the preview's, and it runs the schedule while
    // it is open (with its preferences in memory), and its long reads leave the server's thread free.
    {
      initiator: 'preview',
      schedule: {},
      servesMetrics: true,
      ...(DEFAULT_READ_WORKER_URL ? { readWorkerUrl: DEFAULT_READ_WORKER_URL } : {}),
    },
  );
}

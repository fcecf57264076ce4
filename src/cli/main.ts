/**
 * `jira-mirror`: the engine and the store, headless, for cron jobs, scripts and tests.
 * Exit codes: 0 success, 1 the sync (or lookup) failed or was partial, 2 bad usage.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { calls, instanceNameSchema, jiraUrlSchema } from '../shared/contract.ts';
import { FLAVORS, RUN_STATUSES, type PerformanceConfig, type Run } from '../shared/model.ts';
import type { HistoryPage, RunDetail, StatsSummary, SyncEstimate, SyncProgress } from '../shared/model.ts';
import {
  PERFORMANCE_KEYS,
  PERFORMANCE_SETTINGS,
  performanceConfigSchema,
  settingKey,
  settingName,
  type PerformanceKey,
} from '../shared/performance.ts';
import type { Backend } from '../service/backend.ts';
import { describeZodError, openBackend } from '../service/openBackend.ts';
import { defaultDbFile } from '../service/paths.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../store/config.ts';
import { addInstance, getInstanceByName, listInstances, publicInstance } from '../store/instances.ts';
import { iterateIssues, listIssues } from '../store/issues.ts';
import { analyticsCommand } from './analyticsCommands.ts';
import { integer, isoInstant, oneOf, parse, UsageError } from './args.ts';
import { CommandError, json, untilInterrupted, unwrap, validated, type CliIo, type WithBackend } from './command.ts';
import {
  configHistoryCommand,
  metricsCommand,
  reportCommand,
  retentionCommand,
  settingsCommand,
  webhookCommand,
  writeCsvExport,
} from './opsCommands.ts';

export { CommandError, type CliIo } from './command.ts';
import { duration, estimateSummary, projectRows, runEngineSummary, runJson, runRows, runSummary, table } from './format.ts';

export const USAGE = `Usage: jira-mirror [--db FILE] COMMAND

Commands:
  instance add --name NAME --url URL --flavor cloud|datacenter [--email EMAIL] (--token-env VAR | --token-stdin)
  instance list [--json]
  instance remove NAME
  sync [--instance NAME]... [--project KEY]... [--sweep] [--json]
  history [--status S] [--from ISO] [--to ISO] [--limit N] [--offset N] [--json] [--csv FILE [--force]]
  show RUN_ID [--json] [--csv FILE [--force]]                 # --csv: the run's project breakdown
  stats [--days N] [--json]
  issues [--instance NAME] [--project KEY] [--json] [--csv FILE [--force]]
  config get performance|retention|metrics [--json]
  config set performance|retention|metrics KEY=VALUE...
  config test performance [KEY=VALUE...] [--probe] [--json]   # dry run: estimate, warnings; saves nothing
  config history [--type performance|retention|metrics|webhooks] [--limit N] [--json]
  retention apply [--dry-run] [--json]                        # summarize finished days, prune, give space back
  metrics                                                     # Prometheus text format, once
  metrics serve [--port N]                                    # on 127.0.0.1 until Ctrl-C
  webhook add --url URL --event E... (--secret-env VAR | --secret-stdin)
  webhook list [--json] | webhook remove ID | webhook test ID [--json] | webhook deliveries [ID] [--json]
  report --from ISO --to ISO --out FILE.pdf [--force]
  analytics health|failures|best-time|predict|anomalies|recommendations [--days N] [--instance NAME] [--project KEY] [--json]
  analytics apply ID [--json]                                 # apply a recommendation (audited)
  simulator [--port N] [--projects N] [--issues N] [--latency-ms N] [--seed N] [--flavor cloud|datacenter]
            [--faults JSON] [--rate-limit REQ_PER_S] [--index-lag-ms N] [--search-resolution millisecond|minute]
            [--prerender]                                  # keep issues rendered: near-free pages, ~7.5 KB each
  demo [--json]
  web [--port N]

The database defaults to the desktop app's; JIRA_MIRROR_DB or --db overrides it.
Exit codes: 0 success, 1 failed or partial sync, 2 bad usage.`;

/** Runs the CLI; returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    return await dispatchCommand(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`jira-mirror: ${error.message} (see jira-mirror --help)`);
      return 2;
    }
    if (error instanceof CommandError) {
      io.err(`jira-mirror: ${error.message}`);
      return error.exitCode;
    }
    io.err(`jira-mirror: ${(error as Error).message}`);
    return 1;
  }
}

async function dispatchCommand(argv: string[], io: CliIo): Promise<number> {
  // An empty JIRA_MIRROR_DB counts as unset.
  const envDb = io.env.JIRA_MIRROR_DB || undefined;
  let dbFile = envDb ?? defaultDbFile(io.env);
  let args = argv;
  if (args[0] === '--db') {
    if (!args[1]) throw new UsageError('--db needs a file path');
    dbFile = args[1];
    args = args.slice(2);
  } else if (args[0]?.startsWith('--db=')) {
    dbFile = args[0].slice(5);
    args = args.slice(1);
  }
  const [command, ...rest] = args;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command ? 0 : 2;
  }
  const withBackend: WithBackend = async (fn, host = {}) => {
    const backend = openBackend({ dbFile, initiator: 'cli', env: io.env, ...host });
    try {
      return await fn(backend);
    } finally {
      await backend.close();
    }
  };
  switch (command) {
    case 'instance':
      return instanceCommand(rest, io, withBackend);
    case 'sync':
      return syncCommand(rest, io, withBackend);
    case 'history':
      return historyCommand(rest, io, withBackend);
    case 'show':
      return showCommand(rest, io, withBackend);
    case 'stats':
      return statsCommand(rest, io, withBackend);
    case 'issues':
      return issuesCommand(rest, io, withBackend);
    case 'config':
      return configCommand(rest, io, withBackend);
    case 'retention':
      return retentionCommand(rest, io, withBackend);
    case 'metrics':
      return metricsCommand(rest, io, withBackend);
    case 'webhook':
      return webhookCommand(rest, io, withBackend);
    case 'report':
      return reportCommand(rest, io, withBackend);
    case 'analytics':
      return analyticsCommand(rest, io, withBackend);
    case 'simulator':
      return simulatorCommand(rest, io);
    case 'demo':
      return demoCommand(rest, io, dbFile, argv.includes('--db') || argv.some((a) => a.startsWith('--db=')) || envDb !== undefined);
    case 'web':
      return webCommand(rest, io, withBackend);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function instanceCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values } = parse(rest, {
      name: { type: 'string' },
      url: { type: 'string' },
      flavor: { type: 'string' },
      email: { type: 'string' },
      'token-env': { type: 'string' },
      'token-stdin': { type: 'boolean' },
    });
    if (!values.name) throw new UsageError('instance add needs --name');
    if (!values.url) throw new UsageError('instance add needs --url');
    const name = validated(instanceNameSchema, values.name, '--name');
    const url = validated(jiraUrlSchema, values.url, '--url');
    const flavor = oneOf(values.flavor, '--flavor', FLAVORS);
    if (!flavor) throw new UsageError('instance add needs --flavor cloud|datacenter');
    if (flavor === 'cloud' && !values.email)
      throw new UsageError('a cloud instance needs --email (Jira Cloud authenticates with e-mail + API token)');
    if (Boolean(values['token-env']) === Boolean(values['token-stdin']))
      throw new UsageError('give exactly one of --token-env VAR or --token-stdin');
    const tokenEnv = values['token-env'];
    if (tokenEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv))
      throw new UsageError(`--token-env must be an environment variable name, got "${tokenEnv}"`);
    const email = values.email ? validated(calls.addInstance.input.shape.email, values.email, '--email') : undefined;
    return withBackend(async (backend) => {
      if (tokenEnv) {
        if (getInstanceByName(backend.store, name)) throw new CommandError(1, `an instance named "${name}" already exists`);
        // Only the variable's name is stored: the token is read from it at every sync.
        addInstance(backend.store, { name, url, flavor, email: email ?? null, credential: 'env', tokenEnv });
      } else {
        const token = (await io.readStdin()).trim();
        if (!token) throw new UsageError('--token-stdin: no token on standard input');
        unwrap(await backend.dispatch('addInstance', { name, url, flavor, token, ...(email ? { email } : {}) }));
      }
      io.out(`added instance ${name} (${flavor}, ${url})`);
      return 0;
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } });
    return withBackend(async (backend) => {
      const instances = listInstances(backend.store).map(publicInstance);
      if (values.json) io.out(json(instances));
      else if (instances.length === 0) io.out('no instances configured (add one with: jira-mirror instance add ...)');
      else
        io.out(
          table(
            ['NAME', 'FLAVOR', 'URL', 'TOKEN'],
            instances.map((i) => [
              i.name,
              i.flavor,
              i.isDemo ? 'built-in demo' : i.url,
              i.credential === 'env' ? `env ${i.tokenEnv}` : i.credential,
            ]),
          ),
        );
      return 0;
    });
  }
  if (sub === 'remove') {
    const { positionals } = parse(rest, {}, 1);
    const name = positionals[0];
    if (!name) throw new UsageError('instance remove needs NAME');
    return withBackend(async (backend) => {
      unwrap(await backend.dispatch('removeInstance', { name }));
      io.out(`removed instance ${name}`);
      return 0;
    });
  }
  throw new UsageError(sub ? `unknown instance subcommand "${sub}"` : 'instance needs a subcommand: add, list or remove');
}

async function syncAndWait(
  backend: Backend,
  request: { instances?: string[]; projects?: string[]; sweep?: boolean },
  io: CliIo,
  quiet: boolean,
): Promise<Run> {
  const { runId } = unwrap<{ runId: string }>(await backend.dispatch('startSync', request));
  const removeInterrupt = io.onInterrupt(() => {
    io.err('stopping the sync (committed pages are kept)...');
    void backend.dispatch('stopSync', { id: runId });
  });
  const unsubscribe = quiet
    ? () => undefined
    : backend.subscribe((event, payload) => {
        if (event !== 'syncProgress') return;
        const progress = payload as SyncProgress;
        const done = progress.projects.filter((p) => p.status !== 'queued' && p.status !== 'running').length;
        const issues = progress.projects.reduce((n, p) => n + p.issues, 0);
        const rate = progress.projects.reduce((n, p) => n + (p.status === 'running' ? p.issuesPerSecond : 0), 0);
        io.progress(`  ${done}/${progress.projects.length} projects, ${issues} issues${rate > 0 ? `, ${rate} issues/s` : ''}`);
      });
  try {
    return await backend.waitForRun(runId);
  } finally {
    io.progress('');
    unsubscribe();
    removeInterrupt();
  }
}

async function syncCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values } = parse(args, {
    instance: { type: 'string', multiple: true },
    project: { type: 'string', multiple: true },
    sweep: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const request = validated(calls.startSync.input, { instances: values.instance, projects: values.project, sweep: values.sweep }, 'sync');
  return withBackend(async (backend) => {
    const run = await syncAndWait(backend, request, io, Boolean(values.json));
    io.out(values.json ? json(runJson(run)) : runSummary(run));
    return run.status === 'completed' ? 0 : 1;
  });
}

async function historyCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values } = parse(args, {
    status: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    offset: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'string' },
    force: { type: 'boolean' },
  });
  const query = {
    status: oneOf(values.status, '--status', RUN_STATUSES),
    from: isoInstant(values.from, '--from'),
    to: isoInstant(values.to, '--to'),
    limit: integer(values.limit, '--limit', 1, 500),
    offset: integer(values.offset, '--offset', 0, Number.MAX_SAFE_INTEGER),
  };
  return withBackend(async (backend) => {
    if (values.csv) {
      // Every matching run, not one page.
      const filter = { status: query.status, from: query.from, to: query.to };
      const request = { kind: 'history', ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) };
      await writeCsvExport(backend, request, values.csv, values.force === true, io);
      return 0;
    }
    const page = unwrap<HistoryPage>(
      await backend.dispatch('listRuns', Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined))),
    );
    if (values.json) io.out(json({ total: page.total, rows: page.rows.map(runJson) }));
    else io.out(page.rows.length === 0 ? 'no runs' : `${runRows(page.rows)}\n(${page.rows.length} of ${page.total} runs)`);
    return 0;
  });
}

async function showCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, csv: { type: 'string' }, force: { type: 'boolean' } }, 1);
  const id = positionals[0];
  if (!id) throw new UsageError('show needs RUN_ID');
  validated(calls.getRun.input, { id }, 'RUN_ID');
  return withBackend(async (backend) => {
    if (values.csv) {
      await writeCsvExport(backend, { kind: 'run-projects', runId: id }, values.csv, values.force === true, io);
      return 0;
    }
    const detail = unwrap<RunDetail>(await backend.dispatch('getRun', { id }));
    if (values.json) {
      io.out(
        json({
          ...runJson(detail),
          projects: detail.projects,
          metrics: detail.metrics,
          performanceConfig: detail.performanceConfig,
          peakRssBytes: detail.peakRssBytes,
          peakHeapBytes: detail.peakHeapBytes,
          notices: detail.notices,
        }),
      );
    } else {
      io.out(runSummary(detail));
      for (const notice of detail.notices) io.out(`  notice: ${notice}`);
      if (detail.projects.length > 0) io.out(`\n${projectRows(detail.projects)}\n\n${runEngineSummary(detail)}`);
    }
    return 0;
  });
}

async function statsCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values } = parse(args, { days: { type: 'string' }, json: { type: 'boolean' } });
  const days = integer(values.days, '--days', 1, 3650) ?? 30;
  return withBackend(async (backend) => {
    const stats = unwrap<StatsSummary>(await backend.dispatch('getStats', { days }));
    if (values.json) io.out(json(stats));
    else {
      const rate = stats.successRate === null ? '-' : `${(stats.successRate * 100).toFixed(1)} %`;
      io.out(
        [
          `Last ${days} days: ${stats.totalRuns} runs, success rate ${rate}`,
          `  by status: ${Object.entries(stats.byStatus)
            .map(([s, n]) => `${s} ${n}`)
            .join(', ')}`,
          `  duration: avg ${duration(stats.avgDurationMs)}, p50 ${duration(stats.p50DurationMs)}, p95 ${duration(stats.p95DurationMs)}`,
          `  issues: ${stats.totalIssues} processed, ${stats.issuesCreated} created, ${stats.issuesUpdated} updated`,
        ].join('\n'),
      );
    }
    return 0;
  });
}

async function issuesCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values } = parse(args, {
    instance: { type: 'string' },
    project: { type: 'string' },
    json: { type: 'boolean' },
    csv: { type: 'string' },
    force: { type: 'boolean' },
  });
  return withBackend(async (backend) => {
    if (values.csv) {
      const request = {
        kind: 'issues',
        ...(values.instance ? { instance: values.instance } : {}),
        ...(values.project ? { project: values.project } : {}),
      };
      await writeCsvExport(backend, request, values.csv, values.force === true, io);
      return 0;
    }
    const instance = values.instance ? getInstanceByName(backend.store, values.instance) : null;
    if (values.instance && !instance) throw new CommandError(1, `no instance named "${values.instance}"`);
    const query = { ...(instance ? { instanceId: instance.id } : {}), ...(values.project ? { project: values.project } : {}) };
    if (values.json) {
      // Streamed row by row: a mirror of any size exports in constant memory.
      io.out('[');
      let first = true;
      for (const issue of iterateIssues(backend.store, query)) {
        io.out(`${first ? '' : ','}${JSON.stringify(issue)}`);
        first = false;
      }
      io.out(']');
    } else {
      const page = listIssues(backend.store, query);
      io.out(
        page.rows.length === 0
          ? 'no issues mirrored'
          : `${table(
              ['INSTANCE', 'KEY', 'STATUS', 'UPDATED', 'SUMMARY'],
              page.rows.map((i) => [i.instance, i.key, i.status, i.updated, i.summary]),
            )}\n(${page.total} issues)`,
      );
    }
    return 0;
  });
}

/** Accepts the seed's snake_case names (batch_size) as well as camelCase (batchSize). */
function performanceKey(raw: string): PerformanceKey {
  const camel = settingKey(raw);
  if (!camel) {
    throw new UsageError(`unknown performance setting "${raw}"; known: ${PERFORMANCE_KEYS.map(settingName).join(', ')}`);
  }
  return camel;
}

async function configCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const [sub, type, ...rest] = args;
  if (sub === 'history') return configHistoryCommand(args.slice(1), io, withBackend);
  if ((type === 'retention' || type === 'metrics') && sub !== 'test') return settingsCommand(sub, type, rest, io, withBackend);
  if (type !== 'performance') {
    throw new UsageError(`config ${sub ?? ''} needs a config type: performance, retention or metrics (or use config history)`);
  }
  if (sub === 'get') {
    const { values } = parse(rest, { json: { type: 'boolean' } });
    return withBackend(async (backend) => {
      const config = getPerformanceConfig(backend.store);
      if (values.json) io.out(json(config));
      else
        io.out(
          table(
            ['SETTING', 'VALUE', 'RANGE', 'MEANING'],
            PERFORMANCE_KEYS.map((key) => {
              const setting = PERFORMANCE_SETTINGS[key];
              const range = setting.kind === 'boolean' ? 'true|false' : `${setting.min}..${setting.max} ${setting.unit}`;
              return [settingName(key), String(config[key]), range, setting.explanation];
            }),
          ),
        );
      return 0;
    });
  }
  if (sub === 'set' || sub === 'test') {
    const { values, positionals } = parse(rest, { probe: { type: 'boolean' }, json: { type: 'boolean' } }, Number.MAX_SAFE_INTEGER);
    if (sub === 'set' && (values.probe || values.json)) throw new UsageError('--probe and --json go with config test');
    if (sub === 'set' && positionals.length === 0) throw new UsageError('config set performance needs KEY=VALUE pairs');
    const changes = parseSettingChanges(positionals);
    return withBackend(async (backend) => {
      const next = { ...getPerformanceConfig(backend.store), ...changes } as PerformanceConfig;
      const checked = performanceConfigSchema.safeParse(next);
      if (!checked.success) throw new UsageError(describeZodError(checked.error));
      if (sub === 'test') {
        const estimate = unwrap<SyncEstimate>(
          await backend.dispatch('estimateSync', { config: checked.data, probe: Boolean(values.probe) }),
        );
        io.out(values.json ? json(estimate) : estimateSummary(estimate));
        return 0;
      }
      savePerformanceConfig(backend.store, checked.data, 'cli');
      io.out(
        `saved: ${Object.entries(changes)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}`,
      );
      return 0;
    });
  }
  throw new UsageError(`unknown config subcommand "${sub ?? ''}" (use get, set or test)`);
}

function parseSettingChanges(pairs: string[]): Partial<Record<PerformanceKey, number | boolean>> {
  const changes: Partial<Record<PerformanceKey, number | boolean>> = {};
  for (const pair of pairs) {
    const match = /^([\w]+)=(.+)$/.exec(pair);
    if (!match) throw new UsageError(`expected KEY=VALUE, got "${pair}"`);
    const key = performanceKey(match[1]!);
    const raw = match[2]!;
    if (PERFORMANCE_SETTINGS[key].kind === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`${match[1]} must be true or false, got "${raw}"`);
      changes[key] = raw === 'true';
    } else {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`${match[1]} must be a number, got "${raw}"`);
      changes[key] = n;
    }
  }
  return changes;
}

async function simulatorCommand(args: string[], io: CliIo): Promise<number> {
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
    prerender: { type: 'boolean' },
  });
  const { startSimulator, validateFaultRules } = await import('../simulator/index.ts');
  const flavor = oneOf(values.flavor, '--flavor', FLAVORS) ?? 'cloud';
  let faults;
  try {
    faults = values.faults === undefined ? [] : validateFaultRules(JSON.parse(values.faults));
  } catch (error) {
    throw new UsageError(`--faults must be a JSON list of fault rules (see src/simulator/types.ts): ${(error as Error).message}`);
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

async function demoCommand(args: string[], io: CliIo, dbFile: string, dbChosen: boolean): Promise<number> {
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

async function webCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
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
    // it is open (with its preferences in memory).
    { initiator: 'preview', schedule: {}, servesMetrics: true },
  );
}

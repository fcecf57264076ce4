/**
 * The mirror's commands: `instance add|list|remove|test`, `sync`, `history`, `show`, `stats`, `issues`.
 */
import { calls, instanceNameSchema, jiraUrlSchema } from '../shared/contract.ts';
import { FLAVORS, RUN_STATUSES, type Run } from '../shared/model.ts';
import type { HistoryPage, RunDetail, StatsSummary, SyncProgress } from '../shared/model.ts';
import type { Backend } from '../service/backend.ts';
import { addInstance, getInstanceByName, listInstances, publicInstance } from '../store/instances.ts';
import { iterateIssues, listIssues } from '../store/issues.ts';
import { integer, isoInstant, oneOf, parse, UsageError } from './args.ts';
import { CommandError, json, unwrap, validated, type CliIo, type WithBackend } from './command.ts';
import { writeCsvExport } from './opsCommands.ts';
import { duration, projectRows, runEngineSummary, runJson, runRows, runSummary, table } from './format.ts';

export async function instanceCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
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

export async function syncAndWait(
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

export async function syncCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
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

export async function historyCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
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

export async function showCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
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
          instances: detail.instances,
        }),
      );
    } else {
      io.out(runSummary(detail));
      for (const notice of detail.notices) io.out(`  notice: ${notice}`);
      for (const instance of detail.instances) io.out(`  ${instance.name}: Jira ${instance.jiraVersion ?? '(version not read)'}`);
      if (detail.projects.length > 0) io.out(`\n${projectRows(detail.projects)}\n\n${runEngineSummary(detail)}`);
    }
    return 0;
  });
}

export async function statsCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
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

export async function issuesCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
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

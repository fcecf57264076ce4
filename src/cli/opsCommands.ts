/**
 * The operations commands: `retention apply`, `metrics [serve]`, `webhook add|list|remove|test|deliveries`,
 * `report`, `config get|set retention|metrics`, `config history`, and the `--csv FILE` exports.
 */
import type { ExportFile, MetricsSettings, RetentionReport, Webhook, WebhookDelivery, WebhookDeliveryPage } from '../shared/operations.ts';
import { CONFIG_TYPES, METRICS_SETTINGS, RETENTION_SETTINGS, WEBHOOK_EVENTS, type ConfigHistoryPage } from '../shared/operations.ts';
import { addWebhookSchema, periodSchema } from '../shared/operationsContract.ts';
import { keyOf, parseSettingValue, snakeName, type SettingTable } from '../shared/settings.ts';
import { createMetricsRegistry, metricsText } from '../ops/metrics.ts';
import { startMetricsServer } from '../ops/metricsServer.ts';
import { convertToIncrementalVacuum, autoVacuumMode } from '../store/retention.ts';
import { findLiveRun } from '../store/runs.ts';
import { isOwnerAlive } from '../service/openBackend.ts';
import { integer, isoInstant, oneOf, parse, UsageError } from './args.ts';
import { CommandError, json, untilInterrupted, unwrap, validated, writeNewFile, type CliIo, type WithBackend } from './command.ts';
import { table } from './format.ts';

const SETTING_TABLES = { retention: RETENTION_SETTINGS, metrics: METRICS_SETTINGS } as const;
type SettingsType = keyof typeof SETTING_TABLES;

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** `config get|set retention|metrics`: the same table-driven parsing and messages as the performance settings. */
export async function settingsCommand(
  sub: string | undefined,
  type: SettingsType,
  args: string[],
  io: CliIo,
  withBackend: WithBackend,
): Promise<number> {
  const settingTable: SettingTable = SETTING_TABLES[type];
  const [getCall, saveCall] =
    type === 'retention'
      ? (['getRetentionPolicy', 'saveRetentionPolicy'] as const)
      : (['getMetricsEndpoint', 'setMetricsEndpoint'] as const);
  if (sub === 'get') {
    const { values } = parse(args, { json: { type: 'boolean' } });
    return withBackend(async (backend) => {
      const current = unwrap<Record<string, unknown>>(await backend.dispatch(getCall, {}));
      if (values.json) io.out(json(current));
      else
        io.out(
          table(
            ['SETTING', 'VALUE', 'RANGE', 'MEANING'],
            Object.entries(settingTable).map(([key, spec]) => [
              snakeName(key),
              String(current[key]),
              spec.kind === 'integer'
                ? `${spec.min}..${spec.max} ${spec.unit}`.trim()
                : spec.kind === 'boolean'
                  ? 'true|false'
                  : 'system|IANA zone',
              spec.explanation,
            ]),
          ),
        );
      return 0;
    });
  }
  if (sub !== 'set') throw new UsageError(`config ${sub ?? ''} ${type}: use get or set`);
  const { positionals } = parse(args, {}, Number.MAX_SAFE_INTEGER);
  if (positionals.length === 0) throw new UsageError(`config set ${type} needs KEY=VALUE pairs`);
  const changes: Record<string, unknown> = {};
  for (const pair of positionals) {
    const match = /^(\w+)=(.*)$/.exec(pair);
    if (!match) throw new UsageError(`expected KEY=VALUE, got "${pair}"`);
    const key = keyOf(settingTable, match[1]!);
    if (!key) throw new UsageError(`unknown ${type} setting "${match[1]}"; known: ${Object.keys(settingTable).map(snakeName).join(', ')}`);
    const parsed = parseSettingValue(settingTable[key]!, match[1]!, match[2]!);
    if ('error' in parsed) throw new UsageError(parsed.error);
    changes[key] = parsed.value;
  }
  return withBackend(async (backend) => {
    const current = unwrap<Record<string, unknown>>(await backend.dispatch(getCall, {}));
    const merged = Object.fromEntries(Object.keys(settingTable).map((key) => [key, key in changes ? changes[key] : current[key]]));
    const result = await backend.dispatch(saveCall, type === 'retention' ? { policy: merged } : { settings: merged });
    if (!result.ok && result.error.code === 'VALIDATION') throw new UsageError(result.error.message);
    const saved = unwrap<Record<string, unknown>>(result);
    io.out(
      `saved: ${Object.keys(changes)
        .map((k) => `${snakeName(k)}=${String(saved[k])}`)
        .join(', ')}`,
    );
    return 0;
  });
}

/** `config history [--type T] [--limit N] [--json]`: who changed what, when, before → after. */
export async function configHistoryCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values } = parse(args, { type: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
  const type = oneOf(values.type, '--type', CONFIG_TYPES);
  const limit = integer(values.limit, '--limit', 1, 200) ?? 20;
  return withBackend(async (backend) => {
    const page = unwrap<ConfigHistoryPage>(await backend.dispatch('getConfigHistory', { ...(type ? { type } : {}), limit }));
    if (values.json) {
      io.out(json(page));
      return 0;
    }
    if (page.rows.length === 0) {
      io.out('no configuration changes recorded');
      return 0;
    }
    const show = (value: unknown) => (value === null ? '-' : typeof value === 'object' ? JSON.stringify(value) : String(value));
    const rows = page.rows.flatMap((entry) => {
      const who = entry.reason ? `${entry.changedBy} (${entry.reason})` : entry.changedBy;
      const changes = entry.changes.length > 0 ? entry.changes : [{ setting: '(no change)', before: null, after: null }];
      return changes.map((change, i) => [
        i === 0 ? entry.changedAt.replace('T', ' ').slice(0, 19) : '',
        i === 0 ? who : '',
        i === 0 ? entry.configType : '',
        change.setting,
        `${show(change.before)} -> ${show(change.after)}`,
      ]);
    });
    io.out(
      `${table(['CHANGED (UTC)', 'BY', 'CONFIG', 'SETTING', 'BEFORE -> AFTER'], rows)}\n(${page.rows.length} of ${page.total} changes)`,
    );
    return 0;
  });
}

function retentionSummary(report: RetentionReport): string {
  const r = report.removed;
  const verb = report.dryRun ? 'would remove' : 'removed';
  const lines = [
    `${report.dryRun ? 'Dry run: nothing was changed.\n' : ''}Retention: details and samples ${report.policy.detailsDays}/${report.policy.metricsDays} days, runs ${report.policy.runsDays} days (days in ${report.timeZone})`,
    `  summarized: ${report.daysSummarized} day${report.daysSummarized === 1 ? '' : 's'}${report.summarizedUntil ? ` (every run before ${report.summarizedUntil} is in the daily summaries)` : ''}`,
    `  ${verb}: ${r.runs} runs, ${r.projectDetails} project details, ${r.metricSamples} performance samples, ${r.growthSamples} growth samples, ${r.webhookDeliveries} webhook deliveries`,
  ];
  if (report.keptUnsummarized > 0)
    lines.push(`  kept: ${report.keptUnsummarized} older runs whose day is not summarized yet (a run was still running then)`);
  if (!report.dryRun) {
    lines.push(
      report.database.autoVacuum === 'incremental'
        ? `  database: ${mb(report.database.bytesBefore)} -> ${mb(report.database.bytesAfter)} (${report.database.pagesReleased} free pages given back)`
        : `  database: ${mb(report.database.bytesAfter)}; freed space is reused but not given back (auto_vacuum ${report.database.autoVacuum})`,
    );
  }
  return lines.join('\n');
}

/** `retention apply [--dry-run] [--json]`. An older database file is converted to incremental vacuum first (once). */
export async function retentionCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'apply') throw new UsageError(sub ? `unknown retention subcommand "${sub}"` : 'retention needs a subcommand: apply');
  const { values } = parse(rest, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } });
  const dryRun = values['dry-run'] === true;
  return withBackend(async (backend) => {
    if (!dryRun && autoVacuumMode(backend.store) === 'none') {
      if (findLiveRun(backend.store, isOwnerAlive)) {
        io.err('a sync is running: the database file is converted to give space back on a later "retention apply"');
      } else {
        io.err('converting the database file to give freed space back (a one-time VACUUM)...');
        convertToIncrementalVacuum(backend.store);
      }
    }
    const report = unwrap<RetentionReport>(await backend.dispatch('applyRetention', { dryRun }));
    io.out(values.json ? json(report) : retentionSummary(report));
    return 0;
  });
}

/** `metrics` prints the text once; `metrics serve [--port N]` serves it on 127.0.0.1 until Ctrl-C. */
export async function metricsCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) {
    return withBackend(async (backend) => {
      io.out((await metricsText(backend.store)).trimEnd());
      return 0;
    });
  }
  if (sub !== 'serve') throw new UsageError(`unknown metrics subcommand "${sub}" (use: metrics, or metrics serve --port N)`);
  const { values } = parse(rest, { port: { type: 'string' } });
  return withBackend(async (backend) => {
    const settings = unwrap<MetricsSettings>(await backend.dispatch('getMetricsEndpoint', {}));
    const port = integer(values.port, '--port', 0, 65535) ?? settings.port;
    let server;
    try {
      server = await startMetricsServer(createMetricsRegistry(backend.store), port);
    } catch (error) {
      throw new CommandError(
        1,
        `could not listen on 127.0.0.1:${port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    io.out(server.url);
    io.err('serving Prometheus metrics on loopback; press Ctrl-C to stop');
    await untilInterrupted(io);
    await server.close();
    return 0;
  });
}

function webhookRows(hooks: Webhook[]): string {
  return table(
    ['ID', 'URL', 'EVENTS', 'ADDED BY', 'SIGNS HERE'],
    hooks.map((h) => [
      h.id,
      h.url,
      h.events.join(','),
      `${h.createdBy} ${h.createdAt.slice(0, 10)}`,
      h.secretAvailable ? 'yes' : 'no (desktop app keychain)',
    ]),
  );
}

function deliveryLine(d: WebhookDelivery): string {
  const code = d.lastStatusCode === null ? 'no answer' : `HTTP ${d.lastStatusCode}`;
  const next = d.nextAttemptAt ? `, next attempt ${d.nextAttemptAt}` : '';
  return `${d.state} after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'} (${code}${d.lastError ? `: ${d.lastError}` : ''}${next})`;
}

/** `webhook add|list|remove|test|deliveries`. */
export async function webhookCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') {
    const { values } = parse(rest, {
      url: { type: 'string' },
      event: { type: 'string', multiple: true },
      'secret-env': { type: 'string' },
      'secret-stdin': { type: 'boolean' },
    });
    if (!values.url) throw new UsageError('webhook add needs --url');
    if (!values.event || values.event.length === 0)
      throw new UsageError(`webhook add needs --event (one or more of ${WEBHOOK_EVENTS.join(', ')})`);
    for (const event of values.event) oneOf(event, '--event', WEBHOOK_EVENTS);
    if (Boolean(values['secret-env']) === Boolean(values['secret-stdin']))
      throw new UsageError('give exactly one of --secret-env VAR or --secret-stdin');
    const secret = values['secret-env'] ? io.env[values['secret-env']] : (await io.readStdin()).trim();
    if (!secret)
      throw new UsageError(
        values['secret-env']
          ? `the environment variable ${values['secret-env']} is not set`
          : '--secret-stdin: no secret on standard input',
      );
    const input = validated(addWebhookSchema, { url: values.url, events: [...new Set(values.event)], secret }, 'webhook add');
    return withBackend(async (backend) => {
      const hook = unwrap<Webhook>(await backend.dispatch('addWebhook', input));
      io.out(`added webhook ${hook.id} (${hook.events.join(', ')} -> ${hook.url})`);
      return 0;
    });
  }
  if (sub === 'list') {
    const { values } = parse(rest, { json: { type: 'boolean' } });
    return withBackend(async (backend) => {
      const hooks = unwrap<Webhook[]>(await backend.dispatch('listWebhooks', {}));
      if (values.json) io.out(json(hooks));
      else io.out(hooks.length === 0 ? 'no webhooks (add one with: jira-mirror webhook add ...)' : webhookRows(hooks));
      return 0;
    });
  }
  if (sub === 'remove' || sub === 'test') {
    const { values, positionals } = parse(rest, { json: { type: 'boolean' } }, 1);
    const id = positionals[0];
    if (!id) throw new UsageError(`webhook ${sub} needs the webhook ID (see webhook list)`);
    if (sub === 'remove' && values.json) throw new UsageError('--json goes with webhook test');
    return withBackend(async (backend) => {
      if (sub === 'remove') {
        unwrap(await backend.dispatch('removeWebhook', { id }));
        io.out(`removed webhook ${id}`);
        return 0;
      }
      const delivery = unwrap<WebhookDelivery>(await backend.dispatch('testWebhook', { id }));
      io.out(values.json ? json(delivery) : `test delivery ${delivery.id}: ${deliveryLine(delivery)}`);
      return delivery.state === 'delivered' ? 0 : 1;
    });
  }
  if (sub === 'deliveries') {
    const { values, positionals } = parse(rest, { limit: { type: 'string' }, json: { type: 'boolean' } }, 1);
    const limit = integer(values.limit, '--limit', 1, 200) ?? 20;
    return withBackend(async (backend) => {
      const page = unwrap<WebhookDeliveryPage>(
        await backend.dispatch('listWebhookDeliveries', { limit, ...(positionals[0] ? { webhookId: positionals[0] } : {}) }),
      );
      if (values.json) io.out(json(page));
      else if (page.rows.length === 0) io.out('no deliveries');
      else
        io.out(
          `${table(
            ['CREATED (UTC)', 'WEBHOOK', 'EVENT', 'RESULT'],
            page.rows.map((d) => [d.createdAt.replace('T', ' ').slice(0, 19), d.webhookId.slice(0, 8), d.event, deliveryLine(d)]),
          )}\n(${page.rows.length} of ${page.total} deliveries)`,
        );
      return 0;
    });
  }
  throw new UsageError(sub ? `unknown webhook subcommand "${sub}"` : 'webhook needs a subcommand: add, list, remove, test or deliveries');
}

/** `report --from ISO --to ISO --out FILE.pdf [--force]`. */
export async function reportCommand(args: string[], io: CliIo, withBackend: WithBackend): Promise<number> {
  const { values } = parse(args, { from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } });
  const from = isoInstant(values.from, '--from');
  const to = isoInstant(values.to, '--to');
  if (!from || !to) throw new UsageError('report needs --from and --to (ISO-8601 dates, e.g. 2026-11-01)');
  if (!values.out) throw new UsageError('report needs --out FILE.pdf');
  if (!values.out.toLowerCase().endsWith('.pdf')) throw new UsageError(`--out must name a .pdf file, got "${values.out}"`);
  const period = validated(periodSchema, { from, to }, 'report');
  return withBackend(async (backend) => {
    const file = unwrap<ExportFile>(await backend.dispatch('createReport', period));
    writeNewFile(values.out!, Buffer.from(file.content, 'base64'), values.force === true);
    io.out(`wrote ${values.out} (${file.bytes} bytes, ${file.rows} days)`);
    return 0;
  });
}

/** The `--csv FILE` of history, show and issues: the same export the UI offers, written where the user said. */
export async function writeCsvExport(
  backend: Parameters<Parameters<WithBackend>[0]>[0],
  request: Record<string, unknown>,
  file: string,
  force: boolean,
  io: CliIo,
): Promise<void> {
  const exported = unwrap<ExportFile>(await backend.dispatch('exportCsv', request));
  writeNewFile(file, exported.content, force);
  io.out(`wrote ${file} (${exported.rows} rows)`);
}

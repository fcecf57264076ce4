import { parse as parseCsv } from 'csv-parse/sync';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main.ts';
import type { RetentionReport, Webhook, WebhookDeliveryPage } from '../../src/shared/operations.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { openStore } from '../../src/store/db.ts';
import { pdfPages } from '../ops/pdfText.ts';
import { signatureValid, startReceiver, type Receiver } from '../ops/receiver.ts';
import { tempDir } from '../helpers/tempDb.ts';

const TOKEN = 'cli-ops-token-5e21b9';
const SECRET = 'cli-ops-webhook-secret-77a1';
const env = { JIRA_TOKEN: TOKEN, HOOK_SECRET: SECRET };

let sim: RunningSimulator;
let receiver: Receiver;
let temp: ReturnType<typeof tempDir>;
let interrupt: (() => void) | null = null;
/** What the command running now has printed so far. */
let printed: string[] = [];

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  printed = out;
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    progress: () => undefined,
    env,
    readStdin: async () => stdin,
    onInterrupt: (handler) => {
      interrupt = handler;
      return () => {
        interrupt = null;
      };
    },
  };
  const code = await runCli(['--db', temp.dbFile, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  sim = await startSimulator({
    flavor: 'cloud',
    projects: [
      { key: 'CORE', issues: 30 },
      { key: 'APP', issues: 10 },
    ],
    auth: { email: 'me@example.com', apiToken: TOKEN },
  });
  receiver = await startReceiver();
  temp = tempDir();
  const add = await cli([
    'instance',
    'add',
    '--name',
    'acme',
    '--url',
    sim.url,
    '--flavor',
    'cloud',
    '--email',
    'me@example.com',
    '--token-env',
    'JIRA_TOKEN',
  ]);
  expect(add.code).toBe(0);
});
afterAll(async () => {
  await receiver.close();
  await sim.close();
  temp.cleanup();
});

describe('jira-mirror operations commands', () => {
  it('config set/get retention: validated like the performance settings, saved with an audit entry', async () => {
    expect(await cli(['config', 'set', 'retention', 'details_days=400'])).toMatchObject({
      code: 2,
      err: 'jira-mirror: details_days must not exceed runs_days (365) (see jira-mirror --help)',
    });
    expect((await cli(['config', 'set', 'retention', 'keep_forever=true'])).err).toBe(
      'jira-mirror: unknown retention setting "keep_forever"; known: details_days, metrics_days, runs_days, apply_after_sync, time_zone (see jira-mirror --help)',
    );
    expect((await cli(['config', 'set', 'retention', 'runs_days=0'])).err).toBe(
      'jira-mirror: runs_days must be a whole number from 1 to 36500 days (see jira-mirror --help)',
    );
    expect(await cli(['config', 'set', 'retention', 'details_days=14', 'time_zone=UTC'])).toMatchObject({
      code: 0,
      out: 'saved: details_days=14, time_zone=UTC',
    });
    const policy = JSON.parse((await cli(['config', 'get', 'retention', '--json'])).out) as Record<string, unknown>;
    expect(policy).toEqual({ detailsDays: 14, metricsDays: 30, runsDays: 365, applyAfterSync: true, timeZone: 'UTC' });
    expect(await cli(['config', 'set', 'metrics', 'port=80'])).toMatchObject({
      code: 2,
      err: 'jira-mirror: port must be a whole number from 1024 to 65535 (see jira-mirror --help)',
    });
  });

  it('webhook add/list/test, then a sync delivers run.finished signed; growth and retention follow every run', async () => {
    expect((await cli(['webhook', 'add', '--url', receiver.url, '--event', 'run.done', '--secret-env', 'HOOK_SECRET'])).err).toBe(
      'jira-mirror: --event must be one of run.finished, run.failed, anomaly.opened, anomaly.resolved; got "run.done" (see jira-mirror --help)',
    );
    expect((await cli(['webhook', 'add', '--url', 'ftp://x', '--event', 'run.finished', '--secret-stdin'], 'short')).code).toBe(2);
    const added = await cli([
      'webhook',
      'add',
      '--url',
      receiver.url,
      '--event',
      'run.finished',
      '--event',
      'run.failed',
      '--secret-env',
      'HOOK_SECRET',
    ]);
    expect(added.code).toBe(0);
    const [hook] = JSON.parse((await cli(['webhook', 'list', '--json'])).out) as Webhook[];
    expect(hook).toMatchObject({ url: receiver.url, events: ['run.finished', 'run.failed'], createdBy: 'cli', secretAvailable: true });
    expect(added.out).toBe(`added webhook ${hook!.id} (run.finished, run.failed -> ${receiver.url})`);

    const test = await cli(['webhook', 'test', hook!.id]);
    expect(test.code).toBe(0);
    expect(test.out).toMatch(/^test delivery [0-9a-f-]{36}: delivered after 1 attempt \(HTTP 200\)$/);

    const sync = await cli(['sync', '--json']);
    expect(sync.code).toBe(0);
    const run = JSON.parse(sync.out) as { id: string; status: string };
    // The CLI waited for the first attempt before exiting.
    await receiver.waitFor(2);
    const delivered = receiver.received[1]!;
    expect(delivered.headers['x-jira-mirror-event']).toBe('run.finished');
    expect(signatureValid(SECRET, delivered.body, delivered.headers['x-jira-mirror-signature-256'])).toBe(true);
    expect(JSON.parse(delivered.body).run).toEqual(run);
    const log = JSON.parse((await cli(['webhook', 'deliveries', hook!.id, '--json'])).out) as WebhookDeliveryPage;
    expect(log.rows.map((d) => [d.event, d.state, d.lastStatusCode])).toEqual([
      ['run.finished', 'delivered', 200],
      ['webhook.test', 'delivered', 200],
    ]);

    const store = openStore({ file: temp.dbFile });
    try {
      expect(store.sqlite.prepare(`SELECT sync_id AS runId, mirrored_issues AS issues FROM database_growth`).all()).toEqual([
        { runId: run.id, issues: 40 },
      ]);
      // Applied after the sync (apply_after_sync): the state row exists, nothing was old enough to prune.
      expect(store.sqlite.prepare(`SELECT time_zone AS zone, last_applied_at IS NOT NULL AS applied FROM retention_state`).get()).toEqual({
        zone: 'UTC',
        applied: 1,
      });
    } finally {
      store.close();
    }
    expect(await cli(['webhook', 'remove', hook!.id])).toMatchObject({ code: 0, out: `removed webhook ${hook!.id}` });
    expect(await cli(['webhook', 'remove', hook!.id])).toMatchObject({ code: 1, err: `jira-mirror: no webhook with id ${hook!.id}` });
  });

  it('retention apply --dry-run --json reports what it would remove and changes nothing', async () => {
    const result = await cli(['retention', 'apply', '--dry-run', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out) as RetentionReport;
    expect(report).toMatchObject({ dryRun: true, timeZone: 'UTC', removed: { runs: 0, projectDetails: 0, metricSamples: 0 } });
    const text = await cli(['retention', 'apply']);
    expect(text.out).toContain('removed: 0 runs, 0 project details, 0 performance samples, 0 growth samples, 0 webhook deliveries');
  });

  it('report --out writes a PDF, never replacing a file unless --force', async () => {
    const file = join(temp.dir, 'report.pdf');
    const period = [
      '--from',
      new Date(Date.now() - 20 * 86_400_000).toISOString(),
      '--to',
      new Date(Date.now() + 86_400_000).toISOString(),
    ];
    expect((await cli(['report', ...period, '--out', join(temp.dir, 'report.txt')])).code).toBe(2);
    expect((await cli(['report', '--from', '2026-02-01', '--to', '2026-01-01', '--out', file])).err).toBe(
      'jira-mirror: report: to must be after from (see jira-mirror --help)',
    );
    const written = await cli(['report', ...period, '--out', file]);
    expect(written.code).toBe(0);
    expect(written.out).toMatch(new RegExp(`^wrote ${file} \\(\\d+ bytes, \\d+ days\\)$`));
    const text = (await pdfPages(readFileSync(file))).join(' ');
    expect(text).toContain('Runs 1 (completed 1, partial 0, failed 0, stopped 0, interrupted 0)');
    expect(text).toContain('acme/CORE healthy');
    const size = statSync(file).size;
    expect(await cli(['report', ...period, '--out', file])).toMatchObject({
      code: 1,
      err: `jira-mirror: ${file} already exists: choose another file, or pass --force to replace it`,
    });
    expect(statSync(file).size).toBe(size);
    expect((await cli(['report', ...period, '--out', file, '--force'])).code).toBe(0);
  });

  it('history, show and issues --csv write what the UI exports', async () => {
    const history = join(temp.dir, 'history.csv');
    expect((await cli(['history', '--csv', history])).out).toBe(`wrote ${history} (1 rows)`);
    const [runRow] = parseCsv(readFileSync(history), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(runRow).toMatchObject({ status: 'completed', total_issues: '40', initiated_by: 'cli' });
    const projects = join(temp.dir, 'projects.csv');
    expect((await cli(['show', runRow!.run_id!, '--csv', projects])).code).toBe(0);
    expect(
      (parseCsv(readFileSync(projects), { bom: true, columns: true }) as Array<Record<string, string>>).map((r) => [
        r.project,
        r.issues_processed,
      ]),
    ).toEqual([
      ['APP', '10'],
      ['CORE', '30'],
    ]);
    const issues = join(temp.dir, 'issues.csv');
    expect((await cli(['issues', '--project', 'APP', '--csv', issues])).out).toBe(`wrote ${issues} (10 rows)`);
    expect((await cli(['issues', '--csv', issues])).code).toBe(1);
    expect(existsSync(issues)).toBe(true);
  });

  it('config history lists every change with who, what, before and after', async () => {
    const result = await cli(['config', 'history', '--json']);
    const page = JSON.parse(result.out) as {
      rows: Array<{ configType: string; changedBy: string; changes: Array<{ setting: string; before: unknown; after: unknown }> }>;
    };
    expect(page.rows.map((r) => [r.configType, r.changedBy, r.changes.map((c) => c.setting)])).toEqual([
      ['webhooks', 'cli', [expect.stringMatching(/^webhook [0-9a-f-]{36}$/)]],
      ['webhooks', 'cli', [expect.stringMatching(/^webhook [0-9a-f-]{36}$/)]],
      ['retention', 'cli', ['details_days', 'time_zone']],
    ]);
    expect(page.rows[2]!.changes).toEqual([
      { setting: 'details_days', before: 30, after: 14 },
      { setting: 'time_zone', before: 'system', after: 'UTC' },
    ]);
    expect(page.rows[1]!.changes[0]!.after).toEqual({ url: receiver.url, events: ['run.finished', 'run.failed'] });
    const table = (await cli(['config', 'history', '--type', 'retention'])).out;
    expect(table).toContain('details_days  30 -> 14');
  });

  it('metrics prints the text format once; metrics serve answers on loopback until interrupted', async () => {
    const once = await cli(['metrics']);
    const families = parsePrometheus(once.out) as Array<{
      name: string;
      metrics: Array<{ value: string; labels: Record<string, string> }>;
    }>;
    expect(families.find((f) => f.name === 'jira_mirror_issues_processed_total')!.metrics).toEqual([
      { labels: { instance: 'acme', project: 'APP' }, value: '10' },
      { labels: { instance: 'acme', project: 'CORE' }, value: '30' },
    ]);
    expect(families.find((f) => f.name === 'jira_mirror_mirrored_issues')!.metrics.map((m) => m.value)).toEqual(['10', '30']);
    const serving = cli(['metrics', 'serve', '--port', '0']);
    while (!interrupt || printed.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const url = printed[0]!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const scraped = parsePrometheus(await (await fetch(url)).text()) as typeof families;
    expect(scraped.find((f) => f.name === 'jira_mirror_sync_runs_total')!.metrics.find((m) => m.labels.status === 'completed')!.value).toBe(
      '1',
    );
    interrupt!();
    expect((await serving).code).toBe(0);
    await expect(fetch(url)).rejects.toThrow();
  });
});

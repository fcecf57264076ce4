/**
 * No secret leaves through an operations output: syncs that succeed and fail (a wrong token, server
 * errors), then every export, the report, the webhook deliveries as received, the metrics text,
 * the configuration history and the delivery log — and the database file itself — are searched
 * for the API tokens (also Base64-encoded, as Basic auth carries them) and the webhook secret.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/service/openBackend.ts';
import type { Backend } from '../../src/service/backend.ts';
import type { ExportFile, Webhook } from '../../src/shared/operations.ts';
import type { Run } from '../../src/shared/model.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { addInstance } from '../../src/store/instances.ts';
import { tempDir } from '../helpers/tempDb.ts';
import { pdfPages } from './pdfText.ts';
import { startReceiver, type Receiver } from './receiver.ts';

const EMAIL = 'ops@example.com';
const TOKEN = 'grep-me-api-token-4b7e1d93';
const WRONG_TOKEN = 'grep-me-wrong-token-8c2f05aa';
const WEBHOOK_SECRET = 'grep-me-webhook-secret-1d9e44';
const SECRETS = [TOKEN, WRONG_TOKEN, WEBHOOK_SECRET];
const FORMS = SECRETS.flatMap((secret) => [secret, Buffer.from(`${EMAIL}:${secret}`).toString('base64'), encodeURIComponent(secret)]);

let sim: RunningSimulator;
let receiver: Receiver;
let temp: ReturnType<typeof tempDir>;
let backend: Backend;
const runs: Run[] = [];

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await backend.dispatch(name, input);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.data as T;
}

async function sync(instances: string[]): Promise<Run> {
  const { runId } = await call<{ runId: string }>('startSync', { instances });
  const run = await backend.waitForRun(runId);
  runs.push(run);
  return run;
}

beforeAll(async () => {
  sim = await startSimulator({
    flavor: 'cloud',
    projects: [
      { key: 'CORE', issues: 25 },
      { key: 'OPS', issues: 8 },
    ],
    auth: { email: EMAIL, apiToken: TOKEN },
  });
  receiver = await startReceiver();
  temp = tempDir();
  backend = openBackend({ dbFile: temp.dbFile, initiator: 'cli', env: { GOOD: TOKEN, WRONG: WRONG_TOKEN } });
  addInstance(backend.store, { name: 'good', url: sim.url, flavor: 'cloud', email: EMAIL, credential: 'env', tokenEnv: 'GOOD' });
  addInstance(backend.store, { name: 'wrong', url: sim.url, flavor: 'cloud', email: EMAIL, credential: 'env', tokenEnv: 'WRONG' });
  await call<Webhook>('addWebhook', { url: receiver.url, events: ['run.finished', 'run.failed'], secret: WEBHOOK_SECRET });
  expect((await sync(['good'])).status).toBe('completed');
  expect((await sync(['good', 'wrong'])).status).toBe('partial');
  sim.control.setFaults([{ kind: 'status', status: 500, probability: 1, pathIncludes: '/search/jql' }]);
  expect((await sync(['good'])).status).toBe('failed');
  sim.control.setFaults([]);
  // Every run: run.finished; the partial and the failed one: run.failed too.
  await receiver.waitFor(5);
}, 120_000);
afterAll(async () => {
  await backend.close();
  await receiver.close();
  await sim.close();
  temp.cleanup();
});

function expectNoSecret(what: string, text: string): void {
  for (const form of FORMS) expect(text.includes(form), `${what} contains a secret (${form.slice(0, 12)}…)`).toBe(false);
}

describe('no secret in any operations output', () => {
  it('the runs did fail for the reasons the outputs are about', () => {
    expect(runs.map((r) => [r.status, r.errorCategory])).toEqual([
      ['completed', null],
      ['partial', 'Authentication'],
      ['failed', 'Server'],
    ]);
  });

  it('CSV exports, the PDF report and the metrics text', async () => {
    const files = [
      await call<ExportFile>('exportCsv', { kind: 'history' }),
      await call<ExportFile>('exportCsv', { kind: 'issues' }),
      ...(await Promise.all(runs.map((r) => call<ExportFile>('exportCsv', { kind: 'run-projects', runId: r.id })))),
    ];
    expect(files.map((f) => f.rows)).toEqual([3, 33, 2, 2, 2]);
    for (const file of files) expectNoSecret(file.fileName, file.content);
    expect(files[0]!.content).toContain('Authentication');

    const report = await call<ExportFile>('createReport', {
      from: new Date(Date.now() - 86_400_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    });
    const pdf = Buffer.from(report.content, 'base64');
    const text = (await pdfPages(pdf)).join(' ');
    expect(text).toContain('Authentication');
    expectNoSecret('report text', text);
    expectNoSecret('report bytes', pdf.toString('latin1'));

    const { text: metrics } = await call<{ text: string }>('getMetricsText', {});
    expect(metrics).toContain('jira_mirror_sync_failures_total{category="Authentication"} 1');
    expectNoSecret('metrics', metrics);
  });

  it('webhook deliveries as the receiver got them, the delivery log and the configuration history', async () => {
    expect(receiver.received.map((r) => r.headers['x-jira-mirror-event']).sort()).toEqual([
      'run.failed',
      'run.failed',
      'run.finished',
      'run.finished',
      'run.finished',
    ]);
    for (const request of receiver.received) {
      expectNoSecret('webhook body', request.body);
      expectNoSecret('webhook headers', JSON.stringify(request.headers));
    }
    expectNoSecret('delivery log', JSON.stringify(await call('listWebhookDeliveries', { limit: 50 })));
    expectNoSecret('webhook list', JSON.stringify(await call('listWebhooks', {})));
    expectNoSecret('config history', JSON.stringify(await call('getConfigHistory', { limit: 50 })));
    expectNoSecret(
      'daily summaries',
      JSON.stringify(
        await call('getDailySummaries', { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString() }),
      ),
    );
  });

  it('the database file and its write-ahead log', () => {
    backend.store.sqlite.pragma('wal_checkpoint(PASSIVE)');
    for (const file of [temp.dbFile, `${temp.dbFile}-wal`]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      expectNoSecret(file, bytes.toString('latin1'));
    }
    // The webhook secret lives only in the secret store beside the database.
    expect(readFileSync(join(temp.dir, 'mirror.db.secrets.json'), 'utf8')).toContain(WEBHOOK_SECRET);
  });
});

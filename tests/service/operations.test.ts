import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import type { ConfigHistoryPage, MetricsEndpoint, Webhook, WebhookDelivery } from '../../src/shared/operations.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { tempDir } from '../helpers/tempDb.ts';
import { signatureValid, startReceiver } from '../ops/receiver.ts';

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

let lastDbFile = '';
function backend(servesMetrics: boolean): Backend {
  const temp = tempDir();
  lastDbFile = temp.dbFile;
  const opened = openBackend({ dbFile: temp.dbFile, initiator: 'app', env: {}, servesMetrics });
  cleanups.push(temp.cleanup, () => opened.close());
  return opened;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the operations calls', () => {
  it('refuse bad input with the field and what is wrong, changing nothing', async () => {
    const b = backend(false);
    expect(
      await b.dispatch('saveRetentionPolicy', {
        policy: { detailsDays: 0, metricsDays: 30, runsDays: 365, applyAfterSync: true, timeZone: 'Nowhere/City' },
      }),
    ).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'details_days must be a whole number from 1 to 36500 days; time_zone must be "system" or an IANA time zone such as Europe/Berlin, got "Nowhere/City"',
        fields: {
          'policy.detailsDays': 'details_days must be a whole number from 1 to 36500 days',
          'policy.timeZone': 'time_zone must be "system" or an IANA time zone such as Europe/Berlin, got "Nowhere/City"',
        },
      },
    });
    expect(await b.dispatch('addWebhook', { url: 'https://user:pw@hooks.example.com/x', events: [], secret: 'short' })).toEqual({
      ok: false,
      error: {
        code: 'VALIDATION',
        message:
          'url must not contain credentials: deliveries are signed with the secret instead; events must name at least one event; secret must be at least 16 characters',
        fields: {
          url: 'url must not contain credentials: deliveries are signed with the secret instead',
          events: 'events must name at least one event',
          secret: 'secret must be at least 16 characters',
        },
      },
    });
    expect(await b.dispatch('createReport', { from: '2026-01-01T00:00:00Z', to: '2036-06-01T00:00:00Z' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: 'from: a period covers at most 3660 days' },
    });
    expect(await b.dispatch('testWebhook', { id: '3f1c0b9e-1111-4111-8111-123456789abc' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no webhook with id 3f1c0b9e-1111-4111-8111-123456789abc' },
    });
    expect((await b.dispatch('getConfigHistory', {})) as { data: ConfigHistoryPage }).toMatchObject({
      ok: true,
      data: { total: 0, rows: [] },
    });
  });

  it('serve the metrics endpoint where the host runs one, and say why when it cannot', async () => {
    const port = await freePort();
    const app = backend(true);
    expect(await app.dispatch('getMetricsEndpoint', {})).toEqual({
      ok: true,
      data: { enabled: false, port: 9464, state: 'off', url: null, error: null },
    });
    const on = (await app.dispatch('setMetricsEndpoint', { settings: { enabled: true, port } })) as { data: MetricsEndpoint };
    expect(on.data).toEqual({ enabled: true, port, state: 'serving', url: `http://127.0.0.1:${port}/metrics`, error: null });
    expect((await fetch(on.data.url!)).status).toBe(200);
    // A second host on the same port: the port is taken.
    const other = backend(true);
    const taken = (await other.dispatch('setMetricsEndpoint', { settings: { enabled: true, port } })) as { data: MetricsEndpoint };
    expect(taken.data).toMatchObject({ state: 'failed', url: null, error: `could not listen on 127.0.0.1:${port}: EADDRINUSE` });
    const off = (await app.dispatch('setMetricsEndpoint', { settings: { enabled: false, port } })) as { data: MetricsEndpoint };
    expect(off.data.state).toBe('off');
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
    // The CLI's Backend serves none (it has `metrics serve`).
    const cli = backend(false);
    expect(((await cli.dispatch('getMetricsEndpoint', {})) as { data: MetricsEndpoint }).data.state).toBe('unavailable');
  });

  it('record who changed a setting, and a recommendation as the reason', async () => {
    const b = backend(false);
    await b.dispatch('savePerformanceConfig', {
      config: { ...DEFAULT_PERFORMANCE_CONFIG, maxWorkers: 12 },
      recommendation: 'raise-workers',
    });
    await b.dispatch('saveRetentionPolicy', {
      policy: { detailsDays: 10, metricsDays: 10, runsDays: 90, applyAfterSync: false, timeZone: 'system' },
    });
    const history = (await b.dispatch('getConfigHistory', { limit: 10 })) as { data: ConfigHistoryPage };
    expect(history.data.rows.map((r) => [r.configType, r.changedBy, r.reason, r.changes])).toEqual([
      [
        'retention',
        'app',
        null,
        [
          { setting: 'details_days', before: 30, after: 10 },
          { setting: 'metrics_days', before: 30, after: 10 },
          { setting: 'runs_days', before: 365, after: 90 },
          { setting: 'apply_after_sync', before: true, after: false },
        ],
      ],
      ['performance', 'app', 'recommendation raise-workers', [{ setting: 'max_workers', before: 8, after: 12 }]],
    ]);
    const performanceOnly = (await b.dispatch('getConfigHistory', { type: 'performance' })) as { data: ConfigHistoryPage };
    expect(performanceOnly.data.total).toBe(1);
  });

  it('keep a webhook secret in the secret store only, tell the UI of each delivery, and forget the secret on removal', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const b = backend(false);
    const secret = 'service-test-secret-0a9b8c7d';
    const events: WebhookDelivery[] = [];
    b.subscribe((event, payload) => {
      if (event === 'webhookDeliveryUpdated') events.push(payload as WebhookDelivery);
    });
    const added = (await b.dispatch('addWebhook', { url: receiver.url, events: ['run.failed'], secret })) as { ok: true; data: Webhook };
    expect(added.data).toMatchObject({ url: receiver.url, events: ['run.failed'], createdBy: 'app', secretAvailable: true });
    expect(JSON.stringify(added.data)).not.toContain(secret);
    const secretsFile = `${lastDbFile}.secrets.json`;
    expect(readFileSync(secretsFile, 'utf8')).toContain(secret);
    const tested = (await b.dispatch('testWebhook', { id: added.data.id })) as { ok: true; data: WebhookDelivery };
    expect(tested.data).toMatchObject({ event: 'webhook.test', state: 'delivered', lastStatusCode: 200 });
    expect(signatureValid(secret, receiver.received[0]!.body, receiver.received[0]!.headers['x-jira-mirror-signature-256'])).toBe(true);
    expect(events.map((e) => [e.id, e.state])).toEqual([[tested.data.id, 'delivered']]);
    expect(await b.dispatch('removeWebhook', { id: added.data.id })).toEqual({ ok: true, data: { removed: true } });
    expect(readFileSync(secretsFile, 'utf8')).not.toContain(secret);
    expect(await b.dispatch('listWebhooks', {})).toEqual({ ok: true, data: [] });
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WebhookDispatcher, webhookSecretKey } from '../../src/ops/webhooks.ts';
import { systemClock } from '../../src/service/clock.ts';
import { FileSecretStore } from '../../src/service/secrets.ts';
import type { WebhookEvent } from '../../src/shared/operations.ts';
import { runJson } from '../../src/shared/runJson.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { getRun } from '../../src/store/runs.ts';
import { insertWebhook, listAttempts, listDeliveries } from '../../src/store/webhooks.ts';
import { seedHistory } from '../helpers/seedHistory.ts';
import { tempDir } from '../helpers/tempDb.ts';
import { signatureValid, startReceiver, type Receiver } from './receiver.ts';

const SECRET = 'whsec-test-3f9a1c77e2b04d5a';
let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

interface Setup {
  store: Store;
  secrets: FileSecretStore;
  receiver: Receiver;
  dir: string;
  dispatcher(options?: { maxAttempts?: number }): WebhookDispatcher;
  hook(events: WebhookEvent[], url?: string): string;
}

async function setup(): Promise<Setup> {
  const temp = tempDir();
  const store = openStore({ file: temp.dbFile });
  const secrets = new FileSecretStore(join(temp.dir, 'secrets.json'));
  const receiver = await startReceiver();
  cleanups.push(
    temp.cleanup,
    () => store.close(),
    () => receiver.close(),
  );
  // Runs 0..3 of the seeded pattern: completed, partial, completed, failed.
  seedHistory(store, { startMs: Date.parse('2026-11-01T08:00:00Z'), runs: 4, intervalMs: 3_600_000 });
  let n = 0;
  return {
    store,
    secrets,
    receiver,
    dir: temp.dir,
    dispatcher: (options = {}) => {
      const dispatcher = new WebhookDispatcher({ store, secrets, clock: systemClock, baseDelayMs: 20, ...options });
      cleanups.push(() => dispatcher.close());
      return dispatcher;
    },
    hook: (events, url = receiver.url) => {
      const id = `00000000-0000-4000-9000-00000000000${n++}`;
      insertWebhook(store, { id, url, events, createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'test' });
      secrets.set(webhookSecretKey(id), SECRET);
      return id;
    },
  };
}

const runAt = (store: Store, i: number) => getRun(store, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)!;

describe('webhook deliveries', () => {
  it('POST the run as the CLI prints it, signed with HMAC-SHA256 of the exact body, per subscribed event', async () => {
    const s = await setup();
    const all = s.hook(['run.finished', 'run.failed']);
    const failuresOnly = s.hook(['run.failed']);
    const dispatcher = s.dispatcher();
    const completed = runAt(s.store, 0);
    const partial = runAt(s.store, 1);
    expect(completed.status).toBe('completed');
    expect(partial.status).toBe('partial');
    expect(dispatcher.runFinished(completed)).toBe(1);
    expect(dispatcher.runFinished(partial)).toBe(3);
    // The same run's final update seen again queues nothing twice.
    expect(dispatcher.runFinished(partial)).toBe(0);
    await s.receiver.waitFor(4);
    await dispatcher.idle();

    const byHook = (id: string) => listDeliveries(s.store, { webhookId: id, limit: 10, offset: 0 }).rows;
    expect(
      byHook(all)
        .map((d) => [d.event, d.runId, d.state, d.attempts, d.lastStatusCode])
        .sort(),
    ).toEqual(
      [
        ['run.finished', completed.id, 'delivered', 1, 200],
        ['run.finished', partial.id, 'delivered', 1, 200],
        ['run.failed', partial.id, 'delivered', 1, 200],
      ].sort(),
    );
    expect(byHook(failuresOnly).map((d) => [d.event, d.runId])).toEqual([['run.failed', partial.id]]);

    for (const request of s.receiver.received) {
      expect(signatureValid(SECRET, request.body, request.headers['x-jira-mirror-signature-256'])).toBe(true);
      expect(signatureValid('another-secret-of-16+', request.body, request.headers['x-jira-mirror-signature-256'])).toBe(false);
      const payload = JSON.parse(request.body) as { event: string; deliveryId: string; run: unknown };
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-jira-mirror-event']).toBe(payload.event);
      expect(request.headers['x-jira-mirror-delivery']).toBe(payload.deliveryId);
      expect(Object.keys(payload).sort()).toEqual(['deliveryId', 'event', 'occurredAt', 'run']);
    }
    const failedPayload = JSON.parse(s.receiver.received.find((r) => r.headers['x-jira-mirror-event'] === 'run.failed')!.body) as {
      run: unknown;
    };
    expect(failedPayload.run).toEqual(runJson(partial));
  });

  it('retries 5xx with exponential backoff until delivered, logging every status code', async () => {
    const s = await setup();
    const id = s.hook(['run.finished']);
    s.receiver.answers.push(503, 502, 200);
    const dispatcher = s.dispatcher();
    dispatcher.runFinished(runAt(s.store, 0));
    await s.receiver.waitFor(3);
    await dispatcher.idle();
    const [delivery] = listDeliveries(s.store, { webhookId: id, limit: 10, offset: 0 }).rows;
    expect(delivery).toMatchObject({ state: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null, nextAttemptAt: null });
    const attempts = listAttempts(s.store, delivery!.id);
    expect(attempts.map((a) => [a.attempt, a.statusCode, a.error])).toEqual([
      [1, 503, 'answered 503'],
      [2, 502, 'answered 502'],
      [3, 200, null],
    ]);
    // Each wait at least doubles the base (20 ms, then 40 ms).
    const gap = (i: number) => Date.parse(attempts[i + 1]!.attemptedAt) - Date.parse(attempts[i]!.attemptedAt);
    expect(gap(0)).toBeGreaterThanOrEqual(20);
    expect(gap(1)).toBeGreaterThanOrEqual(40);
    // The body signed and sent was the same every time.
    expect(new Set(s.receiver.received.map((r) => r.body)).size).toBe(1);
  });

  it('fails at once on a 4xx other than 408/429, and after the last attempt when nobody answers', async () => {
    const s = await setup();
    const rejecting = s.hook(['run.finished']);
    s.receiver.answers.push(410);
    // A port nothing listens on: the receiver's, closed.
    const gone = await startReceiver();
    await gone.close();
    const unreachable = s.hook(['run.finished'], gone.url);
    const dispatcher = s.dispatcher({ maxAttempts: 3 });
    dispatcher.runFinished(runAt(s.store, 0));
    await s.receiver.waitFor(1);
    while (listDeliveries(s.store, { limit: 10, offset: 0 }).rows.some((d) => d.state === 'pending'))
      await dispatcher.idle().then(() => new Promise((r) => setTimeout(r, 10)));
    const [rejected] = listDeliveries(s.store, { webhookId: rejecting, limit: 10, offset: 0 }).rows;
    expect(rejected).toMatchObject({ state: 'failed', attempts: 1, lastStatusCode: 410, lastError: 'answered 410' });
    const [lost] = listDeliveries(s.store, { webhookId: unreachable, limit: 10, offset: 0 }).rows;
    expect(lost).toMatchObject({ state: 'failed', attempts: 3, lastStatusCode: null, lastError: 'could not deliver: ECONNREFUSED' });
  });

  it('keeps pending deliveries across a restart, and the next process sends them', async () => {
    const s = await setup();
    const id = s.hook(['run.finished']);
    s.receiver.answers.push(500);
    const first = new WebhookDispatcher({ store: s.store, secrets: s.secrets, clock: systemClock, baseDelayMs: 60_000 });
    first.runFinished(runAt(s.store, 0));
    await s.receiver.waitFor(1);
    await first.close();
    const [pending] = listDeliveries(s.store, { webhookId: id, limit: 10, offset: 0 }).rows;
    expect(pending).toMatchObject({ state: 'pending', attempts: 1, lastStatusCode: 500 });
    // The next start finds it due (its wait is over) and delivers it.
    s.store.sqlite.prepare(`UPDATE webhook_deliveries SET next_attempt_at = '2026-01-01T00:00:00.000Z'`).run();
    const next = s.dispatcher();
    next.kick();
    await s.receiver.waitFor(2);
    await next.idle();
    expect(listDeliveries(s.store, { webhookId: id, limit: 10, offset: 0 }).rows[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('leaves a delivery it cannot sign to the process that can (a secret sealed by the desktop keychain)', async () => {
    const s = await setup();
    const id = s.hook(['run.finished']);
    writeFileSync(join(s.dir, 'secrets.json'), JSON.stringify({ [webhookSecretKey(id)]: { encrypted: 'djEwAAAA' } }));
    const dispatcher = s.dispatcher();
    dispatcher.runFinished(runAt(s.store, 0));
    await dispatcher.idle();
    const [waiting] = listDeliveries(s.store, { webhookId: id, limit: 10, offset: 0 }).rows;
    expect(waiting).toMatchObject({
      state: 'pending',
      attempts: 0,
      lastError: 'waiting for a process that can read the signing secret (stored by the desktop app)',
    });
    expect(s.receiver.received).toHaveLength(0);
  });

  it('answers the Test button with the outcome of one attempt', async () => {
    const s = await setup();
    const id = s.hook(['anomaly.opened']);
    const dispatcher = s.dispatcher();
    expect(await dispatcher.test(id)).toMatchObject({ event: 'webhook.test', state: 'delivered', attempts: 1, lastStatusCode: 200 });
    s.receiver.answers.push(503);
    expect(await dispatcher.test(id)).toMatchObject({ state: 'failed', attempts: 1, lastStatusCode: 503 });
    expect(JSON.parse(s.receiver.received[0]!.body)).toMatchObject({ event: 'webhook.test', message: 'A test delivery from Jira Mirror.' });
    // Anomaly events go to hooks subscribed to them.
    expect(dispatcher.anomaly('anomaly.opened', { project: 'ALPHA', metric: 'duration per issue' })).toBe(1);
    await s.receiver.waitFor(3);
    expect(JSON.parse(s.receiver.received[2]!.body)).toMatchObject({ event: 'anomaly.opened', anomaly: { project: 'ALPHA' } });
  });
});

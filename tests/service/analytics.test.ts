/**
 * The analytics wired into the Backend: after each run it finishes, the anomaly detection judges the
 * run's project syncs; an anomaly opened by two slow syncs in a row is pushed once as `anomalyChanged`
 * and delivered once to the webhooks subscribed to `anomaly.opened` (a loopback receiver checks the
 * signature). Real simulator over HTTP, real SQLite file.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnomalyChangeEvent } from '../../src/shared/analytics.ts';
import { mirrorFixture, type MirrorFixture } from '../helpers/mirror.ts';
import { seedHistory } from '../helpers/seedHistory.ts';
import { signatureValid, startReceiver, type Receiver } from '../ops/receiver.ts';

const SECRET = 'analytics-webhook-secret-31f0';
let fixture: MirrorFixture;
let receiver: Receiver;
afterEach(async () => {
  await fixture?.close();
  await receiver?.close();
});

describe('anomaly detection after each run', () => {
  it('opens one anomaly on the second slow sync in a row: one event, one webhook delivery', async () => {
    fixture = await mirrorFixture({ projects: [{ key: 'PROJ', issues: 30 }], latencyMs: 40 });
    receiver = await startReceiver();
    const hook = await fixture.backend.dispatch('addWebhook', { url: receiver.url, events: ['anomaly.opened'], secret: SECRET });
    expect(hook.ok).toBe(true);
    const events: AnomalyChangeEvent[] = [];
    fixture.backend.subscribe((event, payload) => {
      if (event === 'anomalyChanged') events.push(payload as AnomalyChangeEvent);
    });
    expect((await fixture.sync()).status).toBe('completed');
    // Ten earlier incremental syncs of PROJ that saw 1 ms responses: the baseline (under 20 syncs: the percent rule).
    const instanceId = (fixture.backend.store.sqlite.prepare(`SELECT id FROM instances WHERE name = 'sim'`).get() as { id: string }).id;
    seedHistory(fixture.backend.store, {
      startMs: Date.now() - 20 * 3_600_000,
      runs: 10,
      intervalMs: 3_600_000,
      projects: ['PROJ'],
      instanceId,
      instanceName: 'sim',
      samplesPerRun: 0,
      shape: () => ({
        durationMs: 2_000,
        projects: { PROJ: { issues: 5, created: 0, updated: 5, p50: 1, p95: 2, max: 3, pages: 1, calls: 2 } },
      }),
    });
    expect((await fixture.sync()).status).toBe('completed');
    expect(events).toEqual([]);
    const third = await fixture.sync();
    await vi.waitFor(() => expect(events).toHaveLength(1), { timeout: 10_000 });
    expect(events[0]).toMatchObject({
      change: 'opened',
      anomaly: {
        instance: 'sim',
        project: 'PROJ',
        kind: 'incremental',
        metric: 'latency',
        status: 'open',
        openedRunId: third.id,
        rule: 'percent',
      },
    });
    expect(events[0]!.anomaly.baselineMedian).toBe(1);
    await receiver.waitFor(1);
    const delivery = receiver.received[0]!;
    expect(delivery.headers['x-jira-mirror-event']).toBe('anomaly.opened');
    expect(signatureValid(SECRET, delivery.body, delivery.headers['x-jira-mirror-signature-256'])).toBe(true);
    expect(JSON.parse(delivery.body)).toMatchObject({ event: 'anomaly.opened', anomaly: { id: events[0]!.anomaly.id, metric: 'latency' } });
    // A fourth slow sync keeps it open: no second event, no second delivery.
    await fixture.sync();
    const list = await fixture.backend.call('listAnomalies', { days: 30, utcOffsetMinutes: 0 });
    expect(list.open.map((a) => a.id)).toEqual([events[0]!.anomaly.id]);
    expect(events).toHaveLength(1);
    expect(receiver.received).toHaveLength(1);
  });
});

/** The anomaly notifications: what an opening and a recovery say, the gate, and the monitor raising each event once. */
import { describe, expect, it } from 'vitest';
import { startDesktopMonitor } from '../../src/desktop/monitor.ts';
import { decideOnAnomaly, type Notice, type NotifyContext } from '../../src/desktop/notifications.ts';
import type { EventListener } from '../../src/service/events.ts';
import type { Anomaly, AnomalyChangeEvent } from '../../src/shared/analytics.ts';
import { appPreferences, memoryPreferenceStore } from '../../src/service/preferences.ts';
import { FakeClock } from '../helpers/fakeClock.ts';

const background: NotifyContext = { enabled: true, windowFocused: false, instanceNames: ['seed'] };
const OPENED_RUN = '00000000-0000-4000-8000-000000000961';
const RESOLVED_RUN = '00000000-0000-4000-8000-000000000986';

const anomaly = (status: Anomaly['status']): Anomaly => ({
  id: '5b0f7f57-4d0e-4a43-9b43-0e1e4bb7a111',
  instance: 'seed',
  project: 'BETA',
  kind: 'incremental',
  metric: 'latency',
  status,
  openedAt: '2026-10-11T01:00:39.000Z',
  openedRunId: OPENED_RUN,
  resolvedAt: status === 'resolved' ? '2026-10-12T02:00:51.000Z' : null,
  resolvedRunId: status === 'resolved' ? RESOLVED_RUN : null,
  value: 402,
  lastValue: 402,
  baselineMedian: 204,
  baselineMad: 2,
  baselineRuns: 50,
  threshold: 244.8,
  rule: 'mad',
  description:
    'seed/BETA (incremental syncs): API latency p50 402 ms against a usual 204 ms (threshold 245 ms, 50 syncs, median + 3 × 1.4826 × MAD)',
});
const opened: AnomalyChangeEvent = { change: 'opened', anomaly: anomaly('open') };
const resolved: AnomalyChangeEvent = { change: 'resolved', anomaly: anomaly('resolved') };

describe('anomaly notifications', () => {
  it('an opening names the project and the figure, with the numbers; a click opens the run that opened it', () => {
    expect(decideOnAnomaly(opened, background)).toEqual({
      kind: 'anomaly',
      title: 'Unusual seed/BETA: API latency',
      body: opened.anomaly.description,
      runId: OPENED_RUN,
    });
  });

  it('a recovery says so and opens the run that resolved it', () => {
    expect(decideOnAnomaly(resolved, background)).toEqual({
      kind: 'anomaly-resolved',
      title: 'Back to normal: seed/BETA: API latency',
      body: 'Normal again in the last 2 syncs (it was API latency p50 402 ms against a usual 204 ms (threshold 245 ms, 50 syncs, median + 3 × 1.4826 × MAD)).',
      runId: RESOLVED_RUN,
    });
  });

  it('nothing while notifications are off or the window is focused', () => {
    expect(decideOnAnomaly(opened, { ...background, enabled: false })).toBeNull();
    expect(decideOnAnomaly(opened, { ...background, windowFocused: true })).toBeNull();
  });

  it('the monitor raises one notice per state change the Backend pushes', async () => {
    let push: EventListener | null = null;
    const notices: Notice[] = [];
    const answers: Record<string, unknown> = {
      listRuns: { rows: [], total: 0 },
      getActiveSync: { runId: null },
      listInstances: [],
      getPreferences: appPreferences(memoryPreferenceStore({}, 'linux')),
      getSchedule: null,
    };
    const monitor = await startDesktopMonitor(
      {
        call: (async (name: string) => answers[name]) as never,
        subscribe: (listener) => {
          push = listener;
          return () => undefined;
        },
      },
      { showTray: () => undefined, notify: (notice) => notices.push(notice), isWindowFocused: () => false, log: () => undefined },
      { clock: new FakeClock('2026-10-12T03:00:00Z'), time: () => '03:00' },
    );
    push!('anomalyChanged', opened);
    push!('anomalyChanged', resolved);
    monitor.stop();
    expect(notices.map((n) => [n.kind, n.runId])).toEqual([
      ['anomaly', OPENED_RUN],
      ['anomaly-resolved', RESOLVED_RUN],
    ]);
  });
});

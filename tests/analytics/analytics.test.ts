/**
 * The analytics over a generated history in a real SQLite file (tests/helpers/analyticsHistory.ts:
 * 1,440 hourly runs, a project failing nightly, a latency regression from day 40, a rate-limited
 * hour, a slow project that starts failing after a settings change). Every expected figure is
 * derived from the generator's rules, as the comments say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBestTime } from '../../src/analytics/bestTime.ts';
import { getFailurePatterns } from '../../src/analytics/failurePatterns.ts';
import { getHealth } from '../../src/analytics/health.ts';
import { predictDuration } from '../../src/analytics/prediction.ts';
import { createAnalytics, currentRecommendations } from '../../src/service/handlers/analytics.ts';
import { EventHub } from '../../src/service/events.ts';
import type { AnomalyChangeEvent } from '../../src/shared/analytics.ts';
import type { Run } from '../../src/shared/model.ts';
import { writeCells } from '../../src/store/analyticsCells.ts';
import { getPerformanceConfig } from '../../src/store/config.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { listConfigHistory } from '../../src/store/settings.ts';
import {
  COST_PER_ISSUE,
  FIXED_MS,
  GAMMA_FAILING,
  HISTORY_NOW_MS,
  HISTORY_RUNS,
  NIGHTLY_HOUR,
  projectShape,
  PROJECTS,
  QUICK_HOUR,
  RATE_LIMITED_HOUR,
  REGRESSION_FROM,
  seedAnalyticsHistory,
} from '../helpers/analyticsHistory.ts';
import type { SeededRun } from '../helpers/seedHistory.ts';
import { seedRun } from '../helpers/seedRuns.ts';
import { tempDir } from '../helpers/tempDb.ts';

let temp: ReturnType<typeof tempDir>;
let store: Store;
let runs: SeededRun[];
const events: AnomalyChangeEvent[] = [];
const webhookEvents: string[] = [];
let analytics: ReturnType<typeof createAnalytics>;
const scope = { days: 30, utcOffsetMinutes: 0 };
/** The 30-day window covers runs 720–1439 (2026-10-01 to 2026-10-30, UTC). */
const FIRST_IN_WINDOW = 720;
const clock = { now: () => HISTORY_NOW_MS, setTimeout: () => ({}) as never, clearTimeout: () => undefined };

beforeAll(() => {
  temp = tempDir();
  store = openStore({ file: temp.dbFile });
  runs = seedAnalyticsHistory(store);
  // September as the runs' finalize would have summed it (October is still open at "now").
  expect(writeCells(store, HISTORY_NOW_MS)).toBe(1);
  const hub = new EventHub();
  hub.subscribe((event, payload) => {
    if (event === 'anomalyChanged') events.push(payload as AnomalyChangeEvent);
  });
  analytics = createAnalytics({
    store,
    events: hub,
    clock,
    initiator: 'cli',
    scheduleIntervalMs: () => null,
    changeSchedule: null,
    notifyWebhooks: (event) => webhookEvents.push(event),
  });
  // Each run as the host finishes it, in order: detection runs after every one.
  for (const run of runs) {
    const completedAt = new Date(Date.parse(run.startedAt) + run.durationMs).toISOString();
    analytics.runFinished({ id: run.id, status: run.status, completedAt } as Run);
  }
}, 60_000);

afterAll(() => {
  store.close();
  temp.cleanup();
});

describe('failure patterns', () => {
  it('finds the nightly failure, the new Timeout streak and its onset after the settings change', () => {
    const p = getFailurePatterns(store, scope, HISTORY_NOW_MS);
    expect(p.projectSyncs).toBe(720 * 3);
    // ALPHA fails once a night for 30 nights; GAMMA the last 3 runs.
    expect(p.projectFailures).toBe(30 + GAMMA_FAILING);
    expect(p.runFailures).toBe(0);
    expect(p.byCategory).toEqual([
      { category: 'Network', failures: 30 },
      { category: 'Timeout', failures: 3 },
    ]);
    expect(p.byProject.map((r) => [r.key, r.failures, r.syncs])).toEqual([
      ['ALPHA', 30, 720],
      ['GAMMA', 3, 720],
      ['BETA', 0, 720],
    ]);
    expect(p.byHour[NIGHTLY_HOUR]).toEqual({ key: NIGHTLY_HOUR, failures: 30, syncs: 90 });
    expect(p.byHour.filter((h) => h.failures > 0).map((h) => [h.key, h.failures])).toEqual([
      [NIGHTLY_HOUR, 30],
      [21, 1],
      [22, 1],
      [23, 1],
    ]);
    // October 2026 starts on a Thursday: Thursdays and Fridays occur 5 times in the window, the rest 4;
    // GAMMA's 3 failures fall on Friday the 30th.
    expect(p.byWeekday.map((d) => d.failures)).toEqual([4, 4, 4, 4, 5, 5 + 3, 4]);
    expect(p.byWeekday.map((d) => d.syncs)).toEqual([4, 4, 4, 4, 5, 5, 4].map((days) => days * 72));
    expect(p.streaks).toEqual([
      { instance: 'seed', project: 'GAMMA', longest: 3, current: 3, lastSuccessAt: '2026-10-30T20:00:35.000Z' },
      { instance: 'seed', project: 'ALPHA', longest: 1, current: 0, lastSuccessAt: '2026-10-30T23:00:09.000Z' },
    ]);
    expect(p.recurring.map((r) => [r.pattern, r.category, r.occurrences, r.projects])).toEqual([
      ['connect ETIMEDOUT <ip>:<n> after <n> ms', 'Network', 30, 1],
      ['the project took longer than project_timeout (<n> s)', 'Timeout', 3, 1],
    ]);
    expect(p.onsets).toEqual([
      {
        instance: 'seed',
        project: 'GAMMA',
        startedAt: '2026-10-30T21:00:00.000Z',
        runId: runs[HISTORY_RUNS - GAMMA_FAILING]!.id,
        category: 'Timeout',
        lastSuccessAt: '2026-10-30T20:00:35.000Z',
        failuresSince: 3,
        changes: [
          { kind: 'config', at: '2026-10-30T20:30:00.000Z', description: 'performance settings changed by cli: project_timeout 1800 → 30' },
          { kind: 'jira-version', at: '2026-10-30T21:00:00.000Z', description: 'seed reported Jira 10.3.1 (was 9.12.15)' },
        ],
      },
    ]);
  });

  it('narrows to one project and shifts hours to the user’s offset', () => {
    const p = getFailurePatterns(store, { ...scope, project: 'ALPHA', utcOffsetMinutes: 120 }, HISTORY_NOW_MS);
    expect(p.projectFailures).toBe(30);
    expect(p.byHour.filter((h) => h.failures > 0)).toEqual([{ key: NIGHTLY_HOUR + 2, failures: 30, syncs: 30 }]);
  });
});

describe('health score', () => {
  it('scores each project from its components and explains the weak ones', () => {
    const health = getHealth(store, scope, HISTORY_NOW_MS);
    expect(health.intervalSource).toBe('history');
    expect(health.expectedIntervalMs).toBe(3_600_000);
    const gamma = health.projects.find((p) => p.project === 'GAMMA')!;
    const byId = Object.fromEntries(gamma.components.map((c) => [c.id, c.score]));
    // Weights 20…1 over the last 20 syncs; the newest 3 failed: (210 − 20 − 19 − 18) / 210.
    expect(byId.successRate).toBe(72.9);
    // Last success 20:00:35 (11 issues × 3 s + 2 s), now 00:00: 3.99 intervals → (6 − 3.99) / 4.5.
    expect(byId.freshness).toBe(44.7);
    expect(byId.durationRegression).toBe(100);
    // 30 rate-limited hours × 3 retried 429s of 690 × 3 + 30 × 5 = 2,220 requests: 4.05 %.
    expect(byId.retries).toBe(79.7);
    expect(byId.rateLimits).toBe(59.5);
    expect(gamma.score).toBe(70);
    expect(gamma.band).toBe('warning');
    expect(gamma.reason).toMatch(
      /^Freshness: last good sync 3 h 59 min ago \(syncs are expected every 60 min\); Rate limits \(429\): 90 of 2,220 requests/,
    );
    expect(health.projects.map((p) => [p.project, p.score, p.band])).toEqual([
      ['ALPHA', 92, 'healthy'],
      ['BETA', 92, 'healthy'],
      ['GAMMA', 70, 'warning'],
    ]);
    expect(health.instances.map((p) => [p.instance, p.score])).toEqual([['seed', health.overall.score]]);
    // Overall: the last 20 project syncs (7 runs × 3, GAMMA newest in each) hold GAMMA's failures at ranks 1, 4 and 7.
    const overallSuccess = health.overall.components.find((c) => c.id === 'successRate')!;
    expect(overallSuccess.score).toBe(Math.round(((210 - 20 - 17 - 14) / 210) * 1000) / 10);
    expect(health.overall.score).toBe(71);
  });

  it('judges freshness against the schedule when syncs are scheduled', () => {
    const health = getHealth(store, { ...scope, project: 'ALPHA' }, HISTORY_NOW_MS, { scheduleIntervalMs: 15 * 60_000 });
    expect(health.intervalSource).toBe('schedule');
    // 59 min 51 s since ALPHA's last success is 3.99 intervals of 15 minutes: (6 − 3.99) / 4.5.
    expect(health.overall.components.find((c) => c.id === 'freshness')!.score).toBe(44.7);
  });

  it('tells a scope whose syncs stopped (degraded) from one never synced (no score yet)', () => {
    const DAY = 86_400_000;
    const stopped = getHealth(store, scope, HISTORY_NOW_MS + 40 * DAY).overall;
    expect([stopped.score, stopped.band, stopped.reason]).toEqual([0, 'degraded', 'no sync in the last 30 days']);
    const neverProject = getHealth(store, { ...scope, project: 'NEVER' }, HISTORY_NOW_MS).overall;
    expect([neverProject.score, neverProject.band, neverProject.reason]).toEqual([0, 'none', 'no sync has finished yet']);
    // Before the first of the 1,440 hourly runs (60 days before "now"), nothing had finished.
    const before = getHealth(store, scope, HISTORY_NOW_MS - HISTORY_RUNS * 3_600_000 - DAY).overall;
    expect(before.band).toBe('none');
  });
});

describe('best time to sync', () => {
  it('prefers the quick morning hour, avoids the nightly failure and the rate-limited hour', () => {
    const best = getBestTime(store, scope, HISTORY_NOW_MS);
    expect(best.granularity).toBe('hour-of-week');
    expect(best.buckets).toHaveLength(168);
    expect(best.best).toMatchObject({ weekday: 6, hour: QUICK_HOUR, syncs: 12, failureRate: 0, rateLimitShare: 0, confidence: 'high' });
    expect(best.worst).toMatchObject({ weekday: 0, hour: NIGHTLY_HOUR, failureRate: 1 / 3 });
    const limited = best.buckets.filter((b) => b.hour === RATE_LIMITED_HOUR);
    expect(limited.map((b) => b.rateLimitShare)).toEqual(new Array(7).fill(3 / 5));
    expect(Math.min(...limited.map((b) => b.cost))).toBeGreaterThan(
      Math.max(...best.buckets.filter((b) => b.hour === 12).map((b) => b.cost)),
    );
  });

  it('falls back to hours of the day with too little history behind each hour of the week', () => {
    const best = getBestTime(store, { ...scope, days: 5 }, HISTORY_NOW_MS);
    expect(best.granularity).toBe('hour-of-day');
    expect(best.syncs).toBe(5 * 24 * 3);
    expect(best.buckets).toHaveLength(24);
    expect(best.best).toMatchObject({ weekday: null, hour: QUICK_HOUR, syncs: 15, confidence: 'high' });
  });
});

describe('duration prediction', () => {
  it('fits each project’s cost per issue and schedules the projects onto the workers', () => {
    const prediction = predictDuration(store, scope, HISTORY_NOW_MS, getPerformanceConfig(store));
    // The generator's durations are exactly 2 s + issues × cost: the fit recovers both, with no spread.
    expect(prediction.projects.map((p) => [p.project, p.fixedMs, p.msPerIssue, p.expectedIssues, p.durationMs, p.lowMs, p.highMs])).toEqual(
      [
        ['ALPHA', FIXED_MS, COST_PER_ISSUE.ALPHA, 13, 8_500, 8_500, 8_500],
        ['BETA', FIXED_MS, COST_PER_ISSUE.BETA + 500, 13, 15_000, 15_000, 15_000],
        ['GAMMA', FIXED_MS, COST_PER_ISSUE.GAMMA, 12.8, 40_400, 40_400, 40_400],
      ],
    );
    expect(prediction.workers).toBe(8);
    expect(prediction.durationMs).toBe(40_400);
  });

  it('measures its accuracy over the last 200 project syncs, each predicted from the 10 before it', () => {
    // The same replay from the generator's rules.
    const history = new Map<string, number[]>();
    const judged: number[] = [];
    for (let i = FIRST_IN_WINDOW; i < HISTORY_RUNS; i += 1) {
      for (const key of PROJECTS) {
        const shape = projectShape(i, key, HISTORY_RUNS);
        if (shape.status !== 'completed') continue;
        const before = history.get(key) ?? [];
        const window = before.slice(-10);
        if (window.length >= 3)
          judged.push(Math.abs(shape.durationMs! - window.reduce((a, b) => a + b, 0) / window.length) / shape.durationMs!);
        history.set(key, [...before, shape.durationMs!]);
      }
    }
    const last = judged.slice(-200);
    const mape = last.reduce((a, b) => a + b, 0) / last.length;
    const { accuracy } = predictDuration(store, scope, HISTORY_NOW_MS, getPerformanceConfig(store));
    expect(accuracy.syncs).toBe(200);
    expect(accuracy.mape).toBe(Math.round(mape * 10_000) / 10_000);
  });
});

describe('anomalies', () => {
  it('opens one anomaly per regressed figure on the second slow run and resolves it once the baseline has moved', () => {
    // BETA slows from run 960: runs 960 and 961 breach, so 961 opens; once 25 of the 50 baseline syncs are
    // slow, the median moves and runs 985 and 986 are normal, so 986 resolves. Nothing else breaches twice.
    expect(events.map((e) => [e.change, e.anomaly.project, e.anomaly.metric, e.anomaly.kind])).toEqual([
      ['opened', 'BETA', 'durationPerIssue', 'incremental'],
      ['opened', 'BETA', 'latency', 'incremental'],
      ['resolved', 'BETA', 'durationPerIssue', 'incremental'],
      ['resolved', 'BETA', 'latency', 'incremental'],
    ]);
    expect(events.slice(0, 2).every((e) => e.anomaly.openedRunId === runs[REGRESSION_FROM + 1]!.id)).toBe(true);
    expect(events.slice(2).every((e) => e.anomaly.resolvedRunId === runs[REGRESSION_FROM + 26]!.id)).toBe(true);
    expect(webhookEvents).toEqual(['anomaly.opened', 'anomaly.opened', 'anomaly.resolved', 'anomaly.resolved']);
    const latency = events[1]!.anomaly;
    // Latency 200–208 ms (202 at run 961 + 200 ms); median 204, MAD 2; the floor of 20 % of the median wins.
    expect(latency).toMatchObject({ value: 402, baselineMedian: 204, baselineMad: 2, baselineRuns: 50, rule: 'mad' });
    expect(latency.threshold).toBeCloseTo(204 * 1.2, 6);
    expect(latency.description).toBe(
      'seed/BETA (incremental syncs): API latency p50 402 ms against a usual 204 ms (threshold 245 ms, 50 syncs, median + 3 × 1.4826 × MAD)',
    );
  });

  it('never repeats an alert: one opening and one recovery per anomaly', async () => {
    const ids = events.map((e) => `${e.change}:${e.anomaly.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    const list = await analytics.handlers.listAnomalies({ days: 90, utcOffsetMinutes: 0 });
    expect(list.open).toEqual([]);
    expect(list.recent.map((a) => [a.metric, a.status])).toEqual([
      ['durationPerIssue', 'resolved'],
      ['latency', 'resolved'],
    ]);
    // Finishing the last run again changes nothing.
    const last = runs.at(-1)!;
    expect(analytics.runFinished({ id: last.id, status: last.status, completedAt: last.startedAt } as Run)).toEqual([]);
  });
});

describe('recommendations', () => {
  it('proposes raising project_timeout for the slow project and applies it through the audited path', async () => {
    const { recommendations } = currentRecommendations(store, null);
    expect(recommendations.map((r) => [r.id, r.change])).toEqual([['raise-project-timeout', { projectTimeout: 120 }]]);
    const { config, applied } = await analytics.handlers.applyRecommendation({ id: 'raise-project-timeout' });
    expect(applied.id).toBe('raise-project-timeout');
    expect(config.projectTimeout).toBe(120);
    const audit = listConfigHistory(store, { type: 'performance', limit: 1, offset: 0 }).rows[0]!;
    expect(audit).toMatchObject({ changedBy: 'cli', reason: 'recommendation raise-project-timeout' });
    expect(audit.changes).toEqual([{ setting: 'project_timeout', before: 30, after: 120 }]);
    await expect(analytics.handlers.applyRecommendation({ id: 'raise-workers' })).rejects.toThrow(
      'recommendation "raise-workers" does not apply to the current history and settings (applicable now: none)',
    );
    // The timeouts recorded under 30 s say nothing about 120 s: nothing more to propose.
    expect(currentRecommendations(store, null).recommendations).toEqual([]);
    // One under the new value (and a request timeout, which is not project_timeout's) proposes again.
    const runId = seedRun(store, {
      startedAtMs: HISTORY_NOW_MS + 60_000,
      status: 'partial',
      durationMs: 125_000,
      projects: [
        { key: 'GAMMA', status: 'failed', errorCategory: 'Timeout', durationMs: 120_000 },
        { key: 'ALPHA', status: 'failed', errorCategory: 'Timeout', durationMs: 1000 },
        { key: 'BETA', issues: 10, durationMs: 5000 },
      ],
    });
    const message = store.sqlite.prepare(`UPDATE sync_project_details SET error_message = ? WHERE sync_id = ? AND project_key = ?`);
    message.run('the project took longer than project_timeout (120 s)', runId, 'GAMMA');
    message.run('no response from /rest/api/3/search/jql within 60 s', runId, 'ALPHA');
    store.sqlite
      .prepare(`UPDATE sync_runs SET performance_config = ? WHERE sync_id = ?`)
      .run(JSON.stringify(getPerformanceConfig(store)), runId);
    const again = currentRecommendations(store, null).recommendations.find((r) => r.id === 'raise-project-timeout');
    expect(again?.evidence.find((e) => e.label === 'Projects failed with Timeout')?.value).toBe(1);
  });
});

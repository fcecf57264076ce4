/**
 * The Analytics view and the dashboard's health card in Chromium, through the browser preview,
 * against a generated history (tests/helpers/analyticsHistory.ts) that ends now and stops while
 * BETA's regression is still open: what the screen shows is compared with what the back end answers.
 * Then the schedule recommendation, on a preview that runs a schedule (tests/helpers/scheduledRuns.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../src/analytics/anomalies.ts';
import type { AnomalyList, HealthReport } from '../../src/shared/analytics.ts';
import type { PerformanceConfig, Schedule } from '../../src/shared/model.ts';
import { addInstance } from '../../src/store/instances.ts';
import { HOUR_MS, REGRESSION_FROM, seedAnalyticsHistory } from '../helpers/analyticsHistory.ts';
import { seedIdleSchedule } from '../helpers/scheduledRuns.ts';
import { backendData, startE2E, WAIT, type E2E } from './fixture.ts';

let e2e: E2E;
const RUNS = REGRESSION_FROM + 10;
const scope = { days: 30, utcOffsetMinutes: 0 };

describe('the Analytics view', () => {
  beforeAll(async () => {
    e2e = await startE2E({ viewport: { width: 1024, height: 700 } });
    const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const runs = seedAnalyticsHistory(e2e.backend.store, { runs: RUNS, startMs: hour - RUNS * HOUR_MS });
    // As the host does after each run it finishes.
    for (const run of runs) detectAnomalies(e2e.backend.store, run.id, Date.parse(run.startedAt) + run.durationMs);
    await e2e.page.goto(`${e2e.server.url}#/analytics`);
  }, 60_000);
  afterAll(async () => {
    await e2e?.close();
  });

  it('shows the health score, failure charts, the heatmap, the prediction and the open anomalies', async () => {
    const { page } = e2e;
    await e2e.open('#/analytics');
    const health = await backendData<HealthReport>(e2e.backend, 'getHealth', scope);
    await expect
      .poll(() => page.getByTestId('analytics-health').getByTestId('score-badge').first().textContent(), WAIT)
      .toBe(`${health.overall.score} of 100, ${health.overall.band[0]!.toUpperCase()}${health.overall.band.slice(1)}`);
    expect(await page.getByTestId('health-component').count()).toBe(5);
    expect(await page.locator('[data-testid="heatmap"] tbody td').count()).toBe(7 * 24);
    expect(await page.locator('[data-testid="heatmap"] td[data-best="true"]').count()).toBe(1);
    expect(await page.getByTestId('chart-failures-hour').locator('canvas').count()).toBe(1);
    const anomalies = await backendData<AnomalyList>(e2e.backend, 'listAnomalies', scope);
    expect(anomalies.open.map((a) => a.metric)).toEqual(['durationPerIssue', 'latency']);
    expect(await page.getByTestId('analytics-anomalies').locator('[data-testid="anomaly"][data-status="open"]').count()).toBe(2);
    await expect.poll(() => page.getByTestId('prediction-project').count(), WAIT).toBe(3);
    await e2e.screenshot('analytics');
    await page.getByTestId('analytics-best-time').scrollIntoViewIfNeeded();
    await e2e.screenshot('analytics-best-time');
    expect(e2e.pageErrors).toEqual([]);
  });

  it('applies a recommendation with its Apply button, through the audited path', async () => {
    const { page } = e2e;
    await e2e.open('#/analytics');
    const item = page.locator('[data-testid="analytics-recommendation"][data-id="raise-project-timeout"]');
    await item.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('apply-result').textContent(), WAIT).toBe('Applied: Raise project_timeout to 120 s.');
    expect((await backendData<PerformanceConfig>(e2e.backend, 'getPerformanceConfig', {})).projectTimeout).toBe(120);
    const audit = await backendData<{ rows: Array<{ reason: string | null }> }>(e2e.backend, 'getConfigHistory', {
      type: 'performance',
      limit: 1,
    });
    expect(audit.rows[0]!.reason).toBe('recommendation raise-project-timeout');
  });

  it('the dashboard shows the health score and the open anomalies', async () => {
    const { page } = e2e;
    await e2e.open('#/dashboard');
    const card = page.getByTestId('dashboard-health');
    await expect.poll(() => card.locator('[data-testid="anomaly"]').count(), WAIT).toBe(2);
    const health = await backendData<HealthReport>(e2e.backend, 'getHealth', scope);
    expect(await card.getByTestId('score-badge').textContent()).toContain(`${health.overall.score} of 100`);
    await card.scrollIntoViewIfNeeded();
    await e2e.screenshot('dashboard-health');
    await page.getByTestId('nav-analytics').click();
    await page.getByTestId('analytics').waitFor();
    expect(page.url()).toMatch(/#\/analytics$/);
    expect(e2e.pageErrors).toEqual([]);
  });
});

describe('the schedule recommendation in the Analytics view', () => {
  let scheduled: E2E;
  beforeAll(async () => {
    scheduled = await startE2E({ viewport: { width: 1024, height: 700 }, host: { schedule: {} } });
    // An instance makes the schedule active; no sync runs during the test (the next is 15 minutes away).
    addInstance(scheduled.backend.store, {
      name: 'acme',
      url: 'http://127.0.0.1:9',
      flavor: 'cloud',
      email: 'bot@example.com',
      credential: 'env',
      tokenEnv: 'JIRA_TOKEN',
    });
    await seedIdleSchedule(scheduled.backend);
    await scheduled.page.goto(`${scheduled.server.url}#/analytics`);
  }, 60_000);
  afterAll(async () => {
    await scheduled?.close();
  });

  it('shows its price per day and applies it to the schedule with one click', async () => {
    const { page } = scheduled;
    await scheduled.open('#/analytics');
    const item = page.locator('[data-testid="analytics-recommendation"][data-id="schedule-interval"]');
    await expect.poll(() => item.locator('p.sub').textContent(), WAIT).toBe('Per day: 96 → 48 scheduled syncs, 320 → 176 API calls.');
    await item.scrollIntoViewIfNeeded();
    await scheduled.screenshot('analytics-schedule-recommendation');
    await item.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => page.getByTestId('apply-result').textContent(), WAIT).toBe('Applied: Sync every 30 minutes instead of 15.');
    expect(await backendData<Schedule>(scheduled.backend, 'getSchedule', {})).toMatchObject({ intervalMinutes: 30, state: 'scheduled' });
    expect(scheduled.pageErrors).toEqual([]);
  });
});

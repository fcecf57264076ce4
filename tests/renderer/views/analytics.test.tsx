// @vitest-environment jsdom
/**
 * The Analytics view and the dashboard card, answered with the real analytics over the generated
 * history (tests/helpers/analyticsHistory.ts, computed in a child process: the store does not open
 * under jsdom) through the fake transport.
 */
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalyticsView } from '../../../src/renderer/views/analytics/AnalyticsView.tsx';
import { DashboardHealthCard } from '../../../src/renderer/views/analytics/DashboardHealthCard.tsx';
import { analyticsDays, heatLevel, heatmapRows } from '../../../src/renderer/views/analytics/analyticsModel.ts';
import { parseHash } from '../../../src/renderer/lib/router.ts';
import { execFileSync } from 'node:child_process';
import type { CallName } from '../../../src/shared/contract.ts';
import { installFakeApi } from '../fakeApi.ts';

const fake = installFakeApi();
// jsdom has no canvas: the charts stand in as their accessible names (the E2E test draws them in Chromium).
vi.mock('../../../src/renderer/components/Chart.tsx', () => ({
  Chart: ({ label, testId }: { label: string; testId?: string }) => <div role="img" aria-label={label} data-testid={testId} />,
}));

beforeAll(() => {
  const answers = JSON.parse(
    execFileSync(process.execPath, ['tests/helpers/analyticsAnswers.ts'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }),
  ) as Record<CallName, unknown>;
  for (const [name, data] of Object.entries(answers)) fake.respond(name as CallName, data);
}, 60_000);
afterEach(cleanup);

describe('the Analytics view', () => {
  it('shows the health score with its components, the failure patterns, the heatmap and the prediction', async () => {
    render(<AnalyticsView route={parseHash('#/analytics')} />);
    const health = await screen.findByTestId('analytics-health');
    expect(within(health).getAllByTestId('score-badge')[0]!.textContent).toBe('71 of 100, Warning');
    expect(
      within(health)
        .getAllByTestId('health-component')
        .map((row) => row.dataset.id),
    ).toEqual(['successRate', 'freshness', 'durationRegression', 'retries', 'rateLimits']);
    const failures = await screen.findByTestId('analytics-failures');
    expect(within(failures).getByTestId('failure-summary').textContent).toBe('33 of 2,160 project syncs failed.');
    expect(within(failures).getByTestId('failure-onset').textContent).toContain('seed / GAMMA started failing at');
    expect(within(failures).getByTestId('failure-onset').textContent).toContain('project_timeout 1800 → 30');
    expect(within(failures).getByTestId('failure-onset').textContent).toContain('seed reported Jira 10.3.1 (was 9.12.15)');
    const heatmap = await screen.findByTestId('heatmap');
    expect(heatmap.querySelectorAll('tbody td')).toHaveLength(7 * 24);
    const best = heatmap.querySelectorAll('td[data-best="true"]');
    expect(best).toHaveLength(1);
    expect(best[0]!.getAttribute('title')).toMatch(/^Sat 06:00: cost /);
    expect((await screen.findByTestId('best-time')).textContent).toMatch(/^Sat 06:00 — high confidence \(12 syncs/);
    expect((await screen.findByTestId('prediction-total')).textContent).toBe(
      '40 s expected (90 %: 40 s – 40 s) on 8 workers; off by 13.2 % on average over the last 200 project syncs.',
    );
    expect(await screen.findAllByTestId('prediction-project')).toHaveLength(3);
    expect((await screen.findByTestId('analytics-anomalies')).textContent).toContain('No anomaly in the period.');
  });

  it('applies a recommendation with one click and says so', async () => {
    render(<AnalyticsView route={parseHash('#/analytics')} />);
    const item = await screen.findByTestId('analytics-recommendation');
    expect(item.dataset.id).toBe('raise-project-timeout');
    await userEvent.click(within(item).getByRole('button', { name: 'Apply' }));
    expect((await screen.findByTestId('apply-result')).textContent).toBe('Applied: Raise project_timeout to 120 s.');
    expect(fake.calls.filter((c) => c.name === 'applyRecommendation').map((c) => c.input)).toEqual([{ id: 'raise-project-timeout' }]);
  });

  it('the dashboard card shows the score and that no anomaly is open', async () => {
    render(<DashboardHealthCard />);
    const card = await screen.findByTestId('dashboard-health');
    await waitFor(() => expect(within(card).getByTestId('score-badge').textContent).toBe('71 of 100, Warning'));
    expect(card.textContent).toContain('No open anomaly.');
    expect(within(card).getByRole('link', { name: 'Analytics' }).getAttribute('href')).toBe('#/analytics');
  });

  it('the dashboard card shows no score, not a degraded 0, before any sync has finished', async () => {
    const overall = { instance: null, project: null, score: 0, band: 'none', reason: 'no sync has finished yet', syncs: 0, components: [] };
    fake.respond('getHealth', {
      scope: { days: 30, utcOffsetMinutes: 0 },
      at: '',
      expectedIntervalMs: null,
      intervalSource: 'none',
      overall,
      instances: [],
      projects: [],
    });
    fake.respond('listAnomalies', { open: [], recent: [] });
    render(<DashboardHealthCard />);
    const card = await screen.findByTestId('dashboard-health');
    await waitFor(() => expect(within(card).getByTestId('score-badge').textContent).toBe('No score yet'));
    expect(within(card).getByTestId('score-badge').className).toBe('score score-neutral');
    expect(card.textContent).toContain('no sync has finished yet');
  });
});

describe('the view model', () => {
  it('reads the period from the URL, 30 days by default', () => {
    expect(analyticsDays(parseHash('#/analytics?days=7'))).toBe(7);
    expect(analyticsDays(parseHash('#/analytics?days=13'))).toBe(30);
    expect(analyticsDays(parseHash('#/analytics'))).toBe(30);
  });

  it('shades costs into five levels between the cheapest and the dearest bucket', () => {
    expect([0, 0.19, 0.2, 0.5, 0.99, 1].map((c) => heatLevel(c, 0, 1))).toEqual([0, 0, 1, 2, 4, 4]);
    expect(heatLevel(3, 3, 3)).toBe(0);
    const rows = heatmapRows({
      scope: { days: 1, utcOffsetMinutes: 0 },
      granularity: 'hour-of-day',
      minSyncsPerBucket: 3,
      syncs: 6,
      buckets: [
        { weekday: null, hour: 1, syncs: 3, failureRate: 0, rateLimitShare: 0, latencyMs: 1, msPerIssue: 1, cost: 0.5 },
        { weekday: null, hour: 5, syncs: 3, failureRate: 1, rateLimitShare: 0, latencyMs: 1, msPerIssue: 1, cost: 1.5 },
      ],
      best: null,
      worst: null,
      weights: { failureRate: 0.4, rateLimitShare: 0.3, latency: 0.2, msPerIssue: 0.1 },
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.cells.map((c) => c.level)).toEqual([null, 0, null, null, null, 4, ...new Array(18).fill(null)]);
  });
});

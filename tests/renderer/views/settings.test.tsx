// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsView } from '../../../src/renderer/views/settings/SettingsView.tsx';
import type { PerformanceConfig, SyncEstimate } from '../../../src/shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG, performanceConfigSchema } from '../../../src/shared/performance.ts';
import { fail, installFakeApi, ok } from '../fakeApi.ts';

const fake = installFakeApi();

const estimate = (durationMs: number): SyncEstimate => ({
  basis: 'history',
  runsConsidered: 3,
  projects: 2,
  expectedIssues: 500,
  apiCalls: 12,
  durationMs,
  peakConcurrency: 2,
  latencyMs: 150,
  warnings: [],
});

let saved: PerformanceConfig;

beforeEach(() => {
  fake.reset();
  saved = { ...DEFAULT_PERFORMANCE_CONFIG };
  fake.handle('getPerformanceConfig', () => ok(saved));
  // The real validation, as the back end answers it.
  fake.handle('estimateSync', (input) => {
    const parsed = performanceConfigSchema.safeParse((input as { config: unknown }).config);
    if (parsed.success) return ok(estimate(parsed.data.maxWorkers === saved.maxWorkers ? 60_000 : 30_000));
    const fields = Object.fromEntries(parsed.error.issues.map((issue) => [`config.${issue.path.join('.')}`, issue.message]));
    return fail({ code: 'VALIDATION', message: Object.values(fields).join('; '), fields });
  });
  fake.handle('savePerformanceConfig', (input) => {
    saved = (input as { config: PerformanceConfig }).config;
    return ok(saved);
  });
  fake.respond('getConfigHistory', { rows: [], total: 0 });
  fake.respond('getRecommendations', {
    runsConsidered: 3,
    current: estimate(60_000),
    recommendations: [
      {
        id: 'raise-workers',
        title: 'Raise max_workers to 10',
        reason: 'Requests take 400 ms while Jira never answered 429.',
        change: { maxWorkers: 10 },
        evidence: [{ label: 'API latency p50', value: 400, unit: 'ms' }],
        estimate: estimate(30_000),
      },
    ],
  });
});
afterEach(cleanup);

describe('Settings → Performance', () => {
  it('shows the contract message next to the field as the user types, and blocks Save until it is fixed', async () => {
    const user = userEvent.setup();
    render(<SettingsView route={{ view: 'settings', segments: [], params: {} }} />);
    const workers = await screen.findByTestId('input-max_workers');
    await user.clear(workers);
    await user.type(workers, '40');
    expect(await screen.findByText('max_workers must be between 1 and 32 workers')).toBeTruthy();
    expect(workers.getAttribute('aria-invalid')).toBe('true');
    expect((screen.getByTestId('save-settings') as HTMLButtonElement).disabled).toBe(true);
    await user.clear(workers);
    await user.type(workers, '12');
    await waitFor(() => expect(screen.queryByTestId('error-max_workers')).toBeNull());
    // The dry run prices the proposal beside the saved settings.
    await waitFor(() => expect(screen.getByTestId('proposed-duration').textContent).toBe('30 s'));
    const save = screen.getByTestId('save-settings') as HTMLButtonElement;
    expect(save.textContent).toContain('(1 changed)');
    await user.click(save);
    expect(await screen.findByTestId('settings-saved')).toBeTruthy();
    expect(
      fake.calls.filter((c) => c.name === 'savePerformanceConfig').map((c) => (c.input as { config: PerformanceConfig }).config.maxWorkers),
    ).toEqual([12]);
  });

  it('resets to defaults, and applies a recommendation to the form without saving it', async () => {
    const user = userEvent.setup();
    saved = { ...DEFAULT_PERFORMANCE_CONFIG, batchSize: 25 };
    render(<SettingsView route={{ view: 'settings', segments: [], params: {} }} />);
    const batch = (await screen.findByTestId('input-batch_size')) as HTMLInputElement;
    expect(batch.value).toBe('25');
    await user.click(screen.getByTestId('reset-defaults'));
    expect(batch.value).toBe('100');
    await user.click(await screen.findByTestId('apply-recommendation'));
    expect((screen.getByTestId('input-max_workers') as HTMLInputElement).value).toBe('10');
    expect(batch.value).toBe('100');
    expect(fake.calls.some((c) => c.name === 'savePerformanceConfig')).toBe(false);
  });
});

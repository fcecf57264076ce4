// @vitest-environment jsdom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DesktopSection } from '../../../src/renderer/views/settings/DesktopSection.tsx';
import { RetentionSection } from '../../../src/renderer/views/settings/RetentionSection.tsx';
import { SettingsView } from '../../../src/renderer/views/settings/SettingsView.tsx';
import { WebhooksSection } from '../../../src/renderer/views/settings/WebhooksSection.tsx';
import { scheduleUpdateSchema } from '../../../src/shared/contract.ts';
import type { AppPreferences, Schedule } from '../../../src/shared/model.ts';
import { DEFAULT_RETENTION_POLICY, retentionPolicySchema, type RetentionPolicy, type Webhook } from '../../../src/shared/operations.ts';
import { addWebhookSchema } from '../../../src/shared/operationsContract.ts';
import type { Result } from '../../../src/shared/contract.ts';
import { fail, installFakeApi, ok } from '../fakeApi.ts';

const fake = installFakeApi();

/** Validates as the back end does (the contract's zod schema), answering its messages per field as the transports do. */
function validated<T>(schema: z.ZodType<T>, input: unknown, prefix = ''): { value: T } | { error: Result<never> } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { value: parsed.data };
  const fields = Object.fromEntries(parsed.error.issues.map((i) => [`${prefix}${i.path.join('.')}`, i.message]));
  return { error: fail({ code: 'VALIDATION', message: Object.values(fields).join('; '), fields }) };
}

afterEach(cleanup);
beforeEach(() => fake.reset());

describe('Settings → Retention', () => {
  let saved: RetentionPolicy;
  beforeEach(() => {
    saved = { ...DEFAULT_RETENTION_POLICY };
    fake.handle('getRetentionPolicy', () => ok(saved));
    fake.handle('saveRetentionPolicy', (input) => {
      const result = validated(retentionPolicySchema, (input as { policy: unknown }).policy, 'policy.');
      if ('error' in result) return result.error;
      saved = result.value;
      return ok(saved);
    });
  });

  it("shows the contract's message at the field, saves once fixed, and previews only the saved policy", async () => {
    const user = userEvent.setup();
    const notices: string[] = [];
    render(<RetentionSection onSaved={(n) => notices.push(n)} />);
    const details = await screen.findByTestId('input-details_days');
    await user.clear(details);
    await user.type(details, '400');
    expect((screen.getByTestId('retention-preview') as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByTestId('save-retention'));
    expect((await screen.findByTestId('error-details_days')).textContent).toBe('details_days must not exceed runs_days (365)');
    expect(details.getAttribute('aria-invalid')).toBe('true');
    await user.clear(details);
    expect(screen.queryByTestId('error-details_days')).toBeNull();
    await user.type(details, '14');
    await user.click(screen.getByTestId('save-retention'));
    await waitFor(() => expect(notices).toEqual(['Saved the retention policy (1 changed).']));
    expect(saved.detailsDays).toBe(14);
    await waitFor(() => expect((screen.getByTestId('retention-preview') as HTMLButtonElement).disabled).toBe(false));
  });
});

describe('Settings → Desktop & schedule', () => {
  let schedule: Schedule;
  let preferences: AppPreferences;
  beforeEach(() => {
    schedule = {
      enabled: false,
      intervalMinutes: 60,
      paused: false,
      state: 'off',
      nextDueAt: null,
      lastScheduledRunId: null,
      lastError: null,
    };
    preferences = { theme: 'system', closeToTray: false, notifyOnFailure: true };
    fake.handle('getSchedule', () => ok(schedule));
    fake.handle('setSchedule', (input) => {
      const result = validated(scheduleUpdateSchema, input);
      if ('error' in result) return result.error;
      schedule = { ...schedule, ...result.value, state: 'scheduled', nextDueAt: '2026-12-02T12:00:00.000Z' };
      return ok(schedule);
    });
    fake.handle('getPreferences', () => ok(preferences));
    fake.handle('setPreferences', (input) => {
      preferences = { ...preferences, ...(input as Partial<AppPreferences>) };
      return ok(preferences);
    });
  });

  it('checks the interval (not a number here; out of range by the contract), then saves and shows the next due time', async () => {
    const user = userEvent.setup();
    render(<DesktopSection onSaved={() => undefined} />);
    const interval = await screen.findByTestId('schedule-interval');
    await user.click(screen.getByTestId('schedule-enabled'));
    await user.clear(interval);
    await user.type(interval, 'hourly');
    expect(screen.getByTestId('schedule-interval-error').textContent).toBe('Enter a number of minutes.');
    expect((screen.getByTestId('save-schedule') as HTMLButtonElement).disabled).toBe(true);
    await user.clear(interval);
    await user.type(interval, '2000');
    await user.click(screen.getByTestId('save-schedule'));
    expect((await screen.findByTestId('schedule-interval-error')).textContent).toBe('intervalMinutes must be at most 1440 (one day)');
    await user.clear(interval);
    await user.type(interval, '30');
    await user.click(screen.getByTestId('save-schedule'));
    await waitFor(() => expect(screen.getByTestId('schedule-next').getAttribute('data-state')).toBe('scheduled'));
    expect(fake.calls.filter((c) => c.name === 'setSchedule').map((c) => c.input)).toEqual([
      { enabled: true, intervalMinutes: 2000 },
      { enabled: true, intervalMinutes: 30 },
    ]);
  });

  it('saves each preference as it is changed', async () => {
    const user = userEvent.setup();
    render(<DesktopSection onSaved={() => undefined} />);
    await user.click(await screen.findByTestId('pref-notify'));
    await user.selectOptions(screen.getByTestId('pref-theme'), 'dark');
    await waitFor(() => expect((screen.getByTestId('pref-theme') as HTMLSelectElement).value).toBe('dark'));
    expect(fake.calls.filter((c) => c.name === 'setPreferences').map((c) => c.input)).toEqual([
      { notifyOnFailure: false },
      { theme: 'dark' },
    ]);
    // The fake API stands where Electron's preload does: no preview note.
    expect(screen.queryByTestId('preview-note')).toBeNull();
  });
});

describe('Settings → Webhooks', () => {
  const hooks: Webhook[] = [];
  beforeEach(() => {
    hooks.length = 0;
    fake.handle('listWebhooks', () => ok([...hooks]));
    fake.respond('listWebhookDeliveries', { rows: [], total: 0 });
    fake.handle('addWebhook', (input) => {
      const result = validated(addWebhookSchema, input);
      if ('error' in result) return result.error;
      const hook: Webhook = {
        id: '3f1c0b9e-1111-4111-8111-123456789abc',
        url: result.value.url,
        events: result.value.events,
        createdAt: '2026-12-02T10:00:00.000Z',
        createdBy: 'app',
        secretAvailable: true,
      };
      hooks.push(hook);
      return ok(hook);
    });
    fake.handle('testWebhook', () =>
      ok({
        id: 'd1',
        webhookId: hooks[0]!.id,
        event: 'webhook.test',
        runId: null,
        state: 'failed',
        attempts: 1,
        createdAt: '2026-12-02T10:01:00.000Z',
        completedAt: '2026-12-02T10:01:00.000Z',
        nextAttemptAt: null,
        lastStatusCode: 404,
        lastError: null,
      }),
    );
  });

  it("shows each field's message, adds with a generated secret shown once, and reports a test delivery", async () => {
    const user = userEvent.setup();
    render(<WebhooksSection route={{ view: 'settings', segments: ['webhooks'], params: {} }} />);
    await screen.findByText('No webhook yet');
    await user.click(screen.getByTestId('add-webhook'));
    expect((await screen.findByTestId('webhook-error-url')).textContent).toBe(
      '"" is not a valid URL (expected e.g. https://hooks.example.com/jira-mirror)',
    );
    expect(screen.getByTestId('webhook-error-secret').textContent).toBe('secret must be at least 16 characters');
    await user.type(screen.getByLabelText('URL'), 'https://hooks.example.com/jm');
    await user.click(screen.getByTestId('generate-secret'));
    const secret = (screen.getByLabelText('Secret') as HTMLInputElement).value;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await user.click(screen.getByTestId('add-webhook'));
    expect((await screen.findByTestId('webhook-added')).textContent).toContain(secret);
    expect((screen.getByLabelText('Secret') as HTMLInputElement).value).toBe('');
    await user.click(await screen.findByTestId('test-webhook'));
    expect((await screen.findByTestId('webhook-test-result')).textContent).toBe('Test: Failed (HTTP 404) after 1 attempt');
  });
});

describe('Settings view', () => {
  it('opens the section the URL names, with its tab selected', async () => {
    fake.respond('getConfigHistory', { rows: [], total: 0 });
    render(<SettingsView route={{ view: 'settings', segments: ['audit'], params: { type: 'webhooks' } }} />);
    expect(screen.getByTestId('tab-audit').getAttribute('aria-selected')).toBe('true');
    expect(await screen.findByText('No change yet: the defaults are in force.')).toBeTruthy();
    expect(fake.calls.find((c) => c.name === 'getConfigHistory')?.input).toEqual({ type: 'webhooks', limit: 10, offset: 0 });
    expect((screen.getByTestId('audit-type') as HTMLSelectElement).value).toBe('webhooks');
  });
});

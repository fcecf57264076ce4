/**
 * End to end, the operations UI through the browser preview (with its schedule and metrics endpoint,
 * as `jira-mirror web` runs them) on the demo instance and a seeded quarter of older runs: the
 * schedule's next due time on the dashboard, retention preview and apply, a webhook received and
 * verified by a loopback receiver, the metrics text, a CSV download parsed back, and the audit.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/shared/model.ts';
import type { IssueSearchPage } from '../../src/shared/issues.ts';
import type { ConfigHistoryPage, MetricsEndpoint, RetentionReport } from '../../src/shared/operations.ts';
import { seedHistory } from '../helpers/seedHistory.ts';
import { startReceiver, signatureValid, type Receiver } from '../ops/receiver.ts';
import { backendData, startE2E, WAIT, type E2E } from './fixture.ts';

const DAY = 86_400_000;
const SEEDED_RUNS = 60;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('operations in the browser: schedule, retention, webhooks, metrics, exports, audit', () => {
  let e2e: E2E;
  let receiver: Receiver;

  beforeAll(async () => {
    e2e = await startE2E({ viewport: { width: 1024, height: 700 }, host: { schedule: {}, servesMetrics: true } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await e2e?.close();
    await receiver?.close();
  });

  it('the dashboard shows the schedule, "No schedule" once it is off; one saved in Settings shows its next due time there', async () => {
    const { page, server, backend } = e2e;
    await page.goto(server.url);
    await page.getByTestId('try-demo').click();
    await page.getByTestId('dashboard').waitFor();
    await page.locator('[data-testid="sync-now"]:not([disabled])').waitFor(WAIT);
    await page.waitForFunction(() => !document.querySelector('[data-testid="live-progress"]'), undefined, WAIT);
    // Then one run a day from 90 days ago: older than the retention cutoffs chosen below.
    seedHistory(backend.store, { startMs: Date.now() - 90 * DAY, runs: SEEDED_RUNS, intervalMs: DAY, samplesPerRun: 2 });
    // On by default (every hour) once an instance exists; turned off, the dashboard says so and links to the settings.
    await page.locator('[data-testid="schedule-card-next"][data-state="scheduled"]').waitFor();
    await page.getByTestId('schedule-card-link').click();
    await page.waitForURL(/#\/settings\/desktop$/);
    await page.getByTestId('preview-note').waitFor();
    await page.getByTestId('schedule-enabled').uncheck();
    await page.getByTestId('save-schedule').click();
    await page.locator('[data-testid="schedule-next"][data-state="off"]').waitFor();
    await page.getByTestId('nav-dashboard').click();
    await expect(page.getByTestId('schedule-card-next').textContent()).resolves.toBe('No schedule');
    await expect(page.getByTestId('schedule-card-link').textContent()).resolves.toBe('Set up a schedule');
    await page.getByTestId('schedule-card-link').click();
    await page.waitForURL(/#\/settings\/desktop$/);

    // Inline validation with the contract's message.
    const interval = page.getByTestId('schedule-interval');
    await interval.fill('2');
    await page.getByTestId('schedule-enabled').check();
    await page.getByTestId('save-schedule').click();
    await expect(page.getByTestId('schedule-interval-error').textContent()).resolves.toBe('intervalMinutes must be at least 5');
    await interval.fill('90');
    await page.getByTestId('save-schedule').click();
    await page.getByTestId('settings-saved').waitFor();
    const schedule = await backendData<Schedule>(backend, 'getSchedule', {});
    expect(schedule).toMatchObject({ enabled: true, intervalMinutes: 90, state: 'scheduled' });
    await page.locator('[data-testid="schedule-next"][data-state="scheduled"]').waitFor();
    await e2e.screenshot('settings-desktop');

    await page.getByTestId('nav-dashboard').click();
    const due = page.locator('[data-testid="schedule-card-next"][data-state="scheduled"] time');
    await expect(due.getAttribute('datetime')).resolves.toBe(schedule.nextDueAt);
    const shown = await page.evaluate(
      (iso) => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso)),
      schedule.nextDueAt!,
    );
    await expect(due.textContent()).resolves.toBe(shown);
    await expect(page.getByTestId('schedule-card').textContent()).resolves.toMatch(/in 1 h (29|30) min · every 1 h 30 min/);
    await page.getByTestId('period-90').click();
    await page.getByTestId('chart-growth').locator('canvas').waitFor();
    await expect(page.getByTestId('growth-latest').textContent()).resolves.toMatch(/now \d[\d,]* (KB|MB), [\d,]+ issues/);
    await e2e.screenshot('dashboard-operations');
  });

  it('retention: a cross-field message, then Preview predicts exactly what Apply now removes', async () => {
    const { page, backend } = e2e;
    await e2e.open('#/settings/retention');
    await page.getByTestId('retention-form').waitFor();
    await page.getByTestId('input-details_days').fill('400');
    await page.getByTestId('save-retention').click();
    await expect(page.getByTestId('error-details_days').textContent()).resolves.toBe('details_days must not exceed runs_days (365)');
    await page.getByTestId('input-details_days').fill('20');
    await page.getByTestId('input-runs_days').fill('45');
    await page.getByTestId('input-metrics_days').fill('20');
    await page.getByTestId('save-retention').click();
    await page.getByTestId('settings-saved').waitFor();

    const predicted = await backendData<RetentionReport>(backend, 'applyRetention', { dryRun: true });
    expect(predicted.removed.runs).toBeGreaterThan(0);
    await page.getByTestId('retention-preview').click();
    const preview = page.locator('[data-testid="retention-report"][data-dry-run="true"]');
    await preview.waitFor();
    const removed = async (what: string) =>
      Number((await page.locator(`[data-testid="retention-removed"][data-what="${what}"] td.num`).textContent())!.replace(/\D/g, ''));
    expect(await removed('Runs')).toBe(predicted.removed.runs);
    expect(await removed('Project details')).toBe(predicted.removed.projectDetails);
    expect(await removed('Metric samples')).toBe(predicted.removed.metricSamples);
    await e2e.screenshot('settings-retention');

    const before = (backend.store.sqlite.prepare('SELECT COUNT(*) AS n FROM sync_runs').get() as { n: number }).n;
    await page.getByTestId('retention-apply').click();
    await page.locator('[data-testid="retention-report"][data-dry-run="false"]').waitFor();
    expect(await removed('Runs')).toBe(predicted.removed.runs);
    const after = (backend.store.sqlite.prepare('SELECT COUNT(*) AS n FROM sync_runs').get() as { n: number }).n;
    expect(before - after).toBe(predicted.removed.runs);
    await expect(page.getByTestId('retention-summarized-until').textContent()).resolves.toMatch(/^every run started before /);
  });

  it('webhooks: add with a generated secret, Test is received and verified by a loopback receiver, the log shows it', async () => {
    const { page } = e2e;
    await e2e.open('#/settings/webhooks');
    await page.getByTestId('webhook-form').waitFor();
    await page.getByTestId('add-webhook').click();
    await page.getByTestId('webhook-error-url').waitFor();
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByTestId('webhook-event-run.finished').check();
    await page.getByTestId('generate-secret').click();
    await page.getByTestId('add-webhook').click();
    const added = page.getByTestId('webhook-added');
    await added.waitFor();
    const secret = (await added.locator('code').textContent())!;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);

    await page.getByTestId('test-webhook').click();
    const result = page.locator('[data-testid="webhook-test-result"][data-state="delivered"]');
    await result.waitFor();
    await expect(result.textContent()).resolves.toBe('Test: Delivered (HTTP 200)');
    await receiver.waitFor(1);
    const [delivery] = receiver.received;
    expect(delivery!.headers['x-jira-mirror-event']).toBe('webhook.test');
    expect(signatureValid(secret, delivery!.body, delivery!.headers['x-jira-mirror-signature-256'])).toBe(true);
    await page.locator('[data-testid="delivery-row"][data-state="delivered"]').waitFor();
    await expect(page.getByTestId('delivery-result').first().textContent()).resolves.toBe('Delivered (HTTP 200)');
    await e2e.screenshot('settings-webhooks');
    // The secret is shown once: a reload shows the webhook, not the secret.
    await page.reload();
    await page.getByTestId('webhook').waitFor();
    expect(await page.content()).not.toContain(secret);
  });

  it('metrics: the endpoint serves on the chosen port when enabled, and the text is shown', async () => {
    const { page, backend } = e2e;
    const port = await freePort();
    await e2e.open('#/settings/metrics');
    await page.getByTestId('metrics-form').waitFor();
    await expect(page.getByTestId('metrics-state').textContent()).resolves.toBe('Off');
    await page.getByTestId('input-port').fill('80');
    await page.getByTestId('field-enabled').locator('input').check();
    await page.getByTestId('save-metrics').click();
    await expect(page.getByTestId('error-port').textContent()).resolves.toBe('port must be a whole number from 1024 to 65535');
    await page.getByTestId('input-port').fill(String(port));
    await page.getByTestId('save-metrics').click();
    await page.locator('[data-testid="metrics-state"][data-state="serving"]').waitFor();
    const url = `http://127.0.0.1:${port}/metrics`;
    await expect(page.getByTestId('metrics-url').textContent()).resolves.toBe(url);
    expect((await backendData<MetricsEndpoint>(backend, 'getMetricsEndpoint', {})).url).toBe(url);
    const served = await (await fetch(url)).text();

    await page.getByTestId('show-metrics').click();
    const text = (await page.getByTestId('metrics-text').textContent())!;
    expect(text).toContain('# TYPE jira_mirror_sync_runs_total counter');
    const completed = (body: string) => /^jira_mirror_sync_runs_total\{status="completed"\} (\d+)$/m.exec(body)?.[1];
    expect(completed(text)).toBeDefined();
    expect(completed(text)).toBe(completed(served));
    await e2e.screenshot('settings-metrics');
  });

  it('exports: the Issues view downloads exactly its filtered issues as CSV; the run detail its projects', async () => {
    const { page, backend } = e2e;
    const { summary } = backend.store.sqlite.prepare(`SELECT summary FROM issues WHERE project_key = 'WEB' ORDER BY key LIMIT 1`).get() as {
      summary: string;
    };
    const word = summary
      .split(/\s+/)
      .find((w) => w.length > 4)!
      .replace(/\W/g, '');
    await e2e.open(`#/issues?project=WEB&q=${word}`);
    await page.getByTestId('issue-row').first().waitFor();
    const truth = await backendData<IssueSearchPage>(backend, 'searchIssues', { text: word, project: 'WEB', limit: 200 });
    expect(truth.total).toBeGreaterThan(0);
    const download = page.waitForEvent('download');
    await page.getByTestId('export-issues-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^jira-mirror-issues-.*\.csv$/);
    const records = parse(readFileSync((await file.path())!, 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(records.map((r) => r.key)).toEqual(truth.rows.map((r) => r.key));
    expect(records.every((r) => r.project === 'WEB')).toBe(true);

    const runId = (
      backend.store.sqlite.prepare(`SELECT sync_id AS id FROM sync_runs ORDER BY started_at DESC LIMIT 1`).get() as { id: string }
    ).id;
    await e2e.open(`#/runs/${runId}/projects`);
    await page.getByTestId('project-table').waitFor();
    const projects = page.waitForEvent('download');
    await page.getByTestId('export-projects-csv').click();
    const rows = parse(readFileSync((await (await projects).path())!, 'utf8'), { bom: true, columns: true }) as Array<
      Record<string, string>
    >;
    expect(rows.map((r) => r.project)).toEqual(
      await page.getByTestId('project-row').evaluateAll((els) => els.map((el) => el.dataset.project)),
    );
  });

  it('the PDF report of a chosen period downloads as a PDF', async () => {
    const { page } = e2e;
    await e2e.open('#/dashboard');
    await page.getByTestId('open-report').click();
    await page.waitForURL(/dialog=report/);
    const download = page.waitForEvent('download');
    await page.getByTestId('create-report').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^jira-mirror-report-.*\.pdf$/);
    expect(
      readFileSync((await file.path())!)
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });

  it('audit: every change made above, newest first, filterable by configuration', async () => {
    const { page, backend } = e2e;
    await e2e.open('#/settings/audit');
    await page.getByTestId('audit-row').first().waitFor();
    const history = await backendData<ConfigHistoryPage>(backend, 'getConfigHistory', { limit: 10 });
    // The schedule was switched off, then on every 90 minutes (its changes are audited too).
    const types = ['metrics', 'webhooks', 'retention', 'schedule', 'schedule'];
    expect(history.rows.map((r) => r.configType)).toEqual(types);
    expect(history.rows.filter((r) => r.configType === 'schedule').map((r) => r.changes)).toEqual([
      [
        { setting: 'enabled', before: false, after: true },
        { setting: 'interval_minutes', before: 60, after: 90 },
      ],
      [{ setting: 'enabled', before: true, after: false }],
    ]);
    await expect(page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.dataset.type))).resolves.toEqual(types);
    const retention = page.locator('[data-testid="audit-row"][data-type="retention"]');
    await expect(retention.textContent()).resolves.toContain('details_days 30 → 20');
    await expect(retention.textContent()).resolves.toContain('runs_days 365 → 45');
    await expect(page.locator('[data-testid="audit-row"][data-type="webhooks"]').textContent()).resolves.toContain(
      `— → ${receiver.url} (run.failed, run.finished)`,
    );
    await e2e.screenshot('settings-audit');
    await page.getByTestId('audit-type').selectOption('retention');
    await page.waitForURL(/#\/settings\/audit\?type=retention$/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="audit-row"]').length === 1, undefined, WAIT);
    expect(e2e.pageErrors).toEqual([]);
  });
});

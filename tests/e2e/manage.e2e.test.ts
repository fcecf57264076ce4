/**
 * End to end with a real Jira simulator: add an instance with "Test connection", choose its
 * projects, settings validation / dry run / save, a sync shown live whose settings change applies
 * while it runs, then stopped; a failed sync shows its category; removal after a confirmation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PerformanceConfig, RunDetail } from '../../src/shared/model.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { backendData, startE2E, WAIT, type E2E } from './fixture.ts';

const EMAIL = 'bot@example.com';
const TOKEN = 'e2e-token-91c2d7';

describe('managing instances, settings and syncs in the browser', () => {
  let e2e: E2E;
  let sim: RunningSimulator;
  let stoppedRunId = '';

  beforeAll(async () => {
    sim = await startSimulator({
      // Large enough that the live sync below is still running after a trip through Settings
      // on a slow CI machine (at pages of 50 and 2 workers, ~9 s of the simulator's latency).
      projects: [
        { key: 'DEMO', issues: 3000 },
        { key: 'OPS', issues: 30 },
        { key: 'WEB', issues: 3000 },
      ],
      latencyMs: 150,
      auth: { email: EMAIL, apiToken: TOKEN },
    });
    // A small window: the app must stay usable at 1024×700.
    e2e = await startE2E({ viewport: { width: 1024, height: 700 } });
  });
  afterAll(async () => {
    await e2e?.close();
    await sim?.close();
  });

  it('adds an instance from the first screen after testing the connection', async () => {
    const { page, server } = e2e;
    await page.goto(server.url);
    const form = page.getByTestId('first-run').getByTestId('instance-form');
    await form.getByLabel('Name').fill('acme');
    await form.getByLabel('Jira URL').fill(sim.url);
    await form.getByLabel('Atlassian account e-mail').fill(EMAIL);
    await form.getByLabel('API token').fill('wrong-token');
    await form.getByTestId('test-connection').click();
    await form.locator('[data-testid="connection-result"][data-ok="false"]').waitFor();
    await expect(form.getByTestId('connection-category').textContent()).resolves.toBe('Authentication');
    await form.getByLabel('API token').fill(TOKEN);
    await form.getByTestId('test-connection').click();
    await form.locator('[data-testid="connection-result"][data-ok="true"]').waitFor();
    await expect(form.getByTestId('connection-deployment').textContent()).resolves.toBe('Cloud');
    await form.getByTestId('add-instance-submit').click();
    await page.getByTestId('dashboard').waitFor();
    // The token never reaches the page again.
    expect(await page.content()).not.toContain(TOKEN);
  });

  it('chooses the projects to mirror from the server list', async () => {
    const { page } = e2e;
    await page.getByTestId('nav-instances').click();
    const card = page.locator('[data-testid="instance-card"][data-name="acme"]');
    await expect(card.getByTestId('instance-projects').textContent()).resolves.toBe('all the server lists');
    await card.getByTestId('choose-projects').click();
    const dialog = page.getByTestId('projects-dialog');
    await dialog.getByTestId('project-WEB').waitFor();
    expect(page.url()).toContain('dialog=projects');
    await dialog.getByTestId('all-projects').uncheck();
    await dialog.getByTestId('project-OPS').uncheck();
    await dialog.getByTestId('save-projects').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="instance-projects"]')?.textContent === 'DEMO, WEB',
      undefined,
      WAIT,
    );
  });

  it('adds a second instance from the Instances view and disables it, leaving it out of "sync all"', async () => {
    const { page, backend } = e2e;
    await page.getByTestId('open-add-instance').click();
    const dialog = page.getByRole('dialog', { name: 'Add a Jira instance' });
    expect(page.url()).toContain('dialog=add');
    await dialog.getByLabel('Name').fill('bad name');
    await dialog.getByLabel('Jira URL').fill(sim.url);
    await dialog.getByLabel('Atlassian account e-mail').fill(EMAIL);
    await dialog.getByLabel('API token').fill(TOKEN);
    await dialog.getByTestId('add-instance-submit').click();
    await expect(dialog.getByTestId('instance-error').textContent()).resolves.toContain('name may contain only');
    await dialog.getByLabel('Name').fill('spare');
    await dialog.getByTestId('test-connection').click();
    await dialog.locator('[data-testid="connection-result"][data-ok="true"]').waitFor();
    await dialog.getByTestId('add-instance-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    const card = page.locator('[data-testid="instance-card"][data-name="spare"]');
    await card.getByTestId('instance-enabled').click();
    await card.locator('.switch', { hasText: 'Disabled' }).waitFor();
    const instances = await backendData<Array<{ name: string; enabled: boolean }>>(backend, 'listInstances', {});
    expect(instances.map((i) => [i.name, i.enabled])).toEqual([
      ['acme', true],
      ['spare', false],
    ]);
    await e2e.screenshot('instances');
  });

  it('settings: inline validation with the contract message, dry run, save with an audit entry', async () => {
    const { page, backend } = e2e;
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('input-max_workers').fill('0');
    await page.getByTestId('error-max_workers').waitFor();
    await expect(page.getByTestId('error-max_workers').textContent()).resolves.toBe('max_workers must be between 1 and 32 workers');
    expect(await page.getByTestId('save-settings').isDisabled()).toBe(true);
    await page.getByTestId('input-max_workers').fill('abc');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="error-max_workers"]')?.textContent === 'max_workers must be a number',
    );
    await page.getByTestId('input-max_workers').fill('2');
    await page.getByTestId('input-batch_size').fill('10');
    await page.getByTestId('error-max_workers').waitFor({ state: 'detached' });
    await page.getByTestId('test-configuration').click();
    await page.getByTestId('dry-run-basis').waitFor();
    await expect(page.getByTestId('dry-run-basis').textContent()).resolves.toContain('nothing yet');
    // The live probe asks the server: 2 chosen projects of 3,000 issues, pages of 10.
    await page.getByTestId('probe').check();
    await page.getByTestId('test-configuration').click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="dry-run-basis"]')?.textContent?.includes('live probe'),
      undefined,
      WAIT,
    );
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-saved').waitFor();
    const saved = await backendData<PerformanceConfig>(backend, 'getPerformanceConfig', {});
    expect(saved).toMatchObject({ maxWorkers: 2, batchSize: 10 });
    await page.getByTestId('audit-row').first().waitFor();
    await expect(page.getByTestId('audit-row').first().textContent()).resolves.toMatch(/previewbatch_size 100 → 10max_workers 8 → 2$/);
    await page.waitForFunction(() => document.querySelector('[data-testid="proposed-api-calls"]')?.textContent !== '…');
    await page.evaluate(() => window.scrollTo(0, 0));
    await e2e.screenshot('settings');
  });

  it('shows a sync live, applies a settings change while it runs, and stops it', async () => {
    const { page, backend } = e2e;
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('sync-now').click();
    await page.getByTestId('live-project').first().waitFor();
    const projects = await page.getByTestId('live-project').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-project')));
    expect(projects.sort()).toEqual(['DEMO', 'WEB']);
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="live-total"]')?.textContent?.replace(/\D.*$/, '')) > 20,
      undefined,
      WAIT,
    );
    await e2e.screenshot('live-progress');
    stoppedRunId = (await page.getByTestId('live-progress').getAttribute('data-run-id'))!;
    expect(await page.getByTestId('nav-live').isVisible()).toBe(true);

    // Bigger pages from the next request on, while the sync runs.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('input-batch_size').fill('50');
    await page.getByTestId('error-batch_size').waitFor({ state: 'detached' });
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.getByTestId('nav-dashboard').click();
    await page.getByTestId('stop-sync').click();
    await page.getByTestId('live-progress').waitFor({ state: 'detached', ...WAIT });
    const run = await backendData<RunDetail>(backend, 'getRun', { id: stoppedRunId });
    // The message too: a run that failed on its own before Stop says why.
    expect({ status: run.status, errorMessage: run.errorMessage }).toEqual({
      status: 'stopped',
      errorMessage: 'Stopped by the user; committed pages were kept.',
    });
    expect(run.performanceConfig?.batchSize).toBe(10);
    const pages = run.projects.reduce((n, p) => n + p.pages, 0);
    // Pages of 10 only would give at most 10 issues a page: more proves the change applied mid-run.
    expect(run.totalIssues).toBeGreaterThan(pages * 10);
    await page.getByTestId('nav-history').click();
    await page.locator(`[data-testid="history-row"][data-run-id="${stoppedRunId}"][data-status="stopped"]`).waitFor();
  });

  it("a failed sync shows its category on the dashboard and in the run's Errors tab", async () => {
    const { page } = e2e;
    await page.getByTestId('nav-instances').click();
    await page.locator('[data-testid="instance-card"][data-name="acme"]').getByTestId('edit-instance').click();
    const dialog = page.getByTestId('edit-dialog');
    await dialog.getByLabel('API token').fill('revoked-token');
    await dialog.getByTestId('add-instance-submit').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('nav-dashboard').click();
    await page.locator('[data-testid="sync-now"]:not([disabled])').click();
    const failure = page.getByTestId('failure').first();
    await failure.waitFor(WAIT);
    await expect(failure.getByTestId('failure-category').textContent()).resolves.toBe('Authentication');
    await failure.locator('a').click();
    await page.getByTestId('panel-errors').waitFor();
    const group = page.locator('[data-testid="error-group"][data-category="Authentication"]');
    await expect(group.getByTestId('error-advice').textContent()).resolves.toContain('new API token');
    expect(await page.content()).not.toContain('revoked-token');
    await e2e.screenshot('run-failed');
  });

  it('removes the instance and its mirror after a confirmation', async () => {
    const { page, backend } = e2e;
    const mirrored = backend.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM issues`).get() as { n: number };
    expect(mirrored.n).toBeGreaterThan(0);
    await page.getByTestId('nav-instances').click();
    await page.locator('[data-testid="instance-card"][data-name="acme"]').getByTestId('remove-instance').click();
    const dialog = page.getByTestId('remove-dialog');
    const count = (await dialog.getByTestId('remove-count').textContent())!.match(/^(.+) issues in/)?.[1];
    // Formatted in the browser's locale: compare the digits.
    expect(count?.replace(/\D/g, '')).toBe(String(mirrored.n));
    await dialog.getByTestId('confirm-remove').click();
    await page.locator('[data-testid="instance-card"][data-name="acme"]').waitFor({ state: 'detached' });
    expect(backend.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM issues`).get()).toEqual({ n: 0 });
    // With the last instance gone, the app opens on the first-run screen again.
    await page.locator('[data-testid="instance-card"][data-name="spare"]').getByTestId('remove-instance').click();
    await page.getByTestId('remove-dialog').getByTestId('confirm-remove').click();
    await page.getByTestId('first-run').waitFor();
  });

  it('ran without page errors', () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});

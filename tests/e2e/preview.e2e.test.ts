/**
 * End to end: the real back end (temp SQLite + built-in demo Jira) behind the browser preview
 * server, driven in Debian's Chromium through playwright-core. Needs `npx electron-vite build` first
 * (for out/renderer) and Chromium (/usr/bin/chromium, or CHROMIUM_PATH); fails loudly, never skips, when either is missing.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/service/backend.ts';
import { openBackend } from '../../src/service/openBackend.ts';
import { startPreviewServer, type PreviewServer } from '../../src/web/previewServer.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER_DIR = join(ROOT, 'out/renderer');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// Every run saves its screenshot under test-results/; UPDATE_SCREENSHOT=1 refreshes the README's copy.
const SCREENSHOT = join(ROOT, process.env.UPDATE_SCREENSHOT === '1' ? 'docs/screenshot.png' : 'test-results/screenshot.png');
const WAIT = { timeout: 20_000 };

const ROWS = '[data-testid="history-row"]';

describe('browser preview end to end', () => {
  let dir: string;
  let backend: Backend;
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
      throw new Error(`${RENDERER_DIR}/index.html is missing: run \`npx electron-vite build\` before the E2E tests.`);
    }
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium); never \`npx playwright install\`.`);
    }
    dir = mkdtempSync(join(tmpdir(), 'jm-e2e-'));
    backend = openBackend({ dbFile: join(dir, 'mirror.db'), initiator: 'preview' });
    server = await startPreviewServer({ backend, port: 0, rendererDir: RENDERER_DIR });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(WAIT.timeout);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()} for ${response.url()}`);
    });
    page.on('console', (message) => {
      // A meta CSP cannot carry frame-ancestors (the HTTP header does); Chromium says so at error level.
      if (message.type() === 'error' && !message.text().includes('frame-ancestors')) pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await backend?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Waits until the top row has finished; if it did not complete, fails with the run's own error details. */
  async function expectTopRunCompleted(): Promise<void> {
    const finished = page.locator(`${ROWS}:not([data-status="running"])`).first();
    await finished.waitFor();
    const top = page.locator(ROWS).first();
    const status = await top.getAttribute('data-status');
    if (status === 'completed') return;
    const id = await top.getAttribute('data-run-id');
    const detail = await backend.dispatch('getRun', { id });
    throw new Error(
      `the top run ended "${status}" instead of "completed" (a back-end problem, not the UI's):\n${JSON.stringify(detail, null, 2).slice(0, 4000)}`,
    );
  }

  const rowStatuses = () => page.locator(ROWS).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));

  it('shows the first-run screen and hides the token from the address bar', async () => {
    await page.goto(server.url);
    await page.getByTestId('first-run').waitFor();
    await expect(page.getByRole('heading', { name: 'Welcome to Jira Mirror' }).isVisible()).resolves.toBe(true);
    expect(page.url()).not.toContain('token=');
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('"Try the demo instance" adds the demo, syncs it and shows a completed run', async () => {
    await page.getByTestId('try-demo').click();
    await page.getByTestId('history-table').waitFor();
    await expectTopRunCompleted();
    expect(await rowStatuses()).toEqual(['completed']);
    await expect(page.getByTestId('instance-list').textContent()).resolves.toMatch(/demo/);

    const issues = Number((await page.locator(ROWS).first().getByTestId('run-issues').textContent())?.replace(/\D/g, ''));
    expect(issues).toBeGreaterThan(0);
    await expect(page.getByTestId('run-projects').first().textContent()).resolves.toBe('3/3');
    // The button is enabled again once the run has finished.
    await page.locator('[data-testid="sync-now"]:not([disabled])').waitFor();
  });

  it('"Sync now" adds a second run that completes at the top of the table', async () => {
    const firstId = await page.locator(ROWS).first().getAttribute('data-run-id');
    await page.getByTestId('sync-now').click();
    await page.waitForFunction(
      ([selector, first]) => {
        const rows = [...document.querySelectorAll(selector)];
        return rows.length === 2 && rows[0]?.getAttribute('data-run-id') !== first && rows[0]?.getAttribute('data-status') !== 'running';
      },
      [ROWS, firstId] as const,
      WAIT,
    );
    await expectTopRunCompleted();
    expect(await page.locator(ROWS).count()).toBe(2);
    expect(await page.locator(ROWS).first().getAttribute('data-status')).toBe('completed');
    expect(await page.locator(ROWS).nth(1).getAttribute('data-run-id')).toBe(firstId);
    const firstRunIssues = Number((await page.locator(ROWS).nth(1).getByTestId('run-issues').textContent())?.replace(/\D/g, ''));
    expect(firstRunIssues).toBeGreaterThan(0);
    await expect(page.getByTestId('pagination-range').textContent()).resolves.toBe('1–2 of 2');
    await page.locator('[data-testid="sync-now"]:not([disabled])').waitFor();

    await page.locator('[data-testid="stats"]').waitFor();
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(SCREENSHOT)).toBe(true);
  });

  it('opens a run detail panel with the per-project table', async () => {
    await page.locator(ROWS).nth(1).click();
    const panel = page.getByTestId('run-detail');
    await panel.getByTestId('project-table').waitFor();
    const projects = await panel.locator('[data-testid="project-table"] tbody tr td.mono').allTextContents();
    expect(projects.sort()).toEqual(['DEMO', 'OPS', 'WEB']);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
  });

  it('filters by status', async () => {
    await page.getByTestId('status-filter').selectOption('failed');
    await page.getByTestId('empty-state').waitFor();
    await expect(page.getByTestId('empty-state').textContent()).resolves.toContain('No runs match');
    expect(await page.locator(ROWS).count()).toBe(0);

    await page.getByTestId('status-filter').selectOption('completed');
    await page.locator(ROWS).nth(1).waitFor();
    expect(await rowStatuses()).toEqual(['completed', 'completed']);
    await expect(page.getByTestId('pagination-range').textContent()).resolves.toBe('1–2 of 2');

    await page.getByTestId('clear-filters').click();
    await page.locator(ROWS).nth(1).waitFor();
    expect(await page.locator(ROWS).count()).toBe(2);
  });

  it('filters by date range', async () => {
    await page.getByTestId('date-to').fill('2000-01-01');
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('clear-filters').click();
    await page.locator(ROWS).nth(1).waitFor();
  });

  it('shows the back end\'s validation message in the "Add instance" dialog', async () => {
    await page.getByTestId('open-add-instance').click();
    const dialog = page.getByRole('dialog', { name: 'Add a Jira instance' });
    await dialog.getByLabel('Name').fill('bad name');
    await dialog.getByLabel('Jira URL').fill('https://acme.atlassian.net');
    await dialog.getByLabel('Atlassian account e-mail').fill('me@acme.example');
    await dialog.getByLabel('API token').fill('not-a-real-token');
    await dialog.getByTestId('add-instance-submit').click();
    await dialog.getByTestId('instance-error').waitFor();
    await expect(dialog.getByTestId('instance-error').textContent()).resolves.toContain('name may contain only');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expect(page.getByTestId('instance-list').locator('li').count()).resolves.toBe(1);
  });

  it('ran without page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

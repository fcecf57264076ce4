/**
 * End to end through the browser preview with the built-in demo Jira: first run, dashboard (its
 * numbers equal the database's), history (filters in the URL, sorting, CSV), run detail tabs and
 * the issue browser's full-text search. Needs `npx electron-vite build` first and Chromium.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssueSearchPage } from '../../src/shared/issues.ts';
import type { Dashboard, HistoryPage } from '../../src/shared/model.ts';
import { backendData, startE2E, WAIT, type E2E } from './fixture.ts';

const ROWS = '[data-testid="history-row"]';
const OFFSET = -new Date().getTimezoneOffset();

describe('browser preview end to end (demo instance)', () => {
  let e2e: E2E;

  beforeAll(async () => {
    // With a scheduler, as `jira-mirror web` runs (off until the user sets one up).
    e2e = await startE2E({ host: { schedule: {} } });
  });
  afterAll(async () => {
    await e2e?.close();
  });

  const text = (testId: string) => e2e.page.getByTestId(testId).first().textContent();
  const number = async (testId: string) => Number((await text(testId))?.replace(/\D/g, ''));

  it('shows the first-run screen and hides the token from the address bar', async () => {
    const { page, server } = e2e;
    await page.goto(server.url);
    await page.getByTestId('first-run').waitFor();
    await expect(page.getByRole('heading', { name: 'Welcome to Jira Mirror' }).isVisible()).resolves.toBe(true);
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('"Try the demo instance" syncs at once and lands on the dashboard, whose numbers equal the database\'s', async () => {
    const { page, backend } = e2e;
    await page.getByTestId('try-demo').click();
    await page.getByTestId('dashboard').waitFor();
    expect(page.url()).toContain('#/dashboard');
    // The first sync finishes; the dashboard refreshes itself.
    await page.getByTestId('sync-now').and(page.locator(':not([disabled])')).waitFor(WAIT);
    await page.waitForFunction(() => document.querySelector('[data-testid="card-syncs-value"]')?.textContent === '1', undefined, WAIT);
    await page.getByTestId('sync-now').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="card-syncs-value"]')?.textContent === '2', undefined, WAIT);
    await page.locator('[data-testid="sync-now"]:not([disabled])').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="live-progress"]'));

    const truth = await backendData<Dashboard>(backend, 'getDashboard', { days: 7, utcOffsetMinutes: OFFSET });
    const sql = backend.store.sqlite.prepare(`SELECT COUNT(*) AS runs, SUM(total_issues) AS issues FROM sync_runs`).get() as {
      runs: number;
      issues: number;
    };
    expect(truth.summary.totalRuns).toBe(sql.runs);
    await page.waitForFunction(
      (issues) => document.querySelector('[data-testid="card-issues-value"]')?.textContent?.replace(/\D/g, '') === String(issues),
      sql.issues,
      WAIT,
    );
    // The last run's totals can be on screen before its end is: the dashboard refreshes (throttled) after the final update.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="card-last"] [data-testid="status-badge"]')?.textContent === 'Completed',
      undefined,
      WAIT,
    );
    expect(await number('card-syncs-value')).toBe(2);
    expect(await text('card-success-value')).toBe('100 %');
    expect(await number('card-issues-value')).toBe(sql.issues);
    expect(sql.issues).toBeGreaterThan(245);
    expect(await page.getByTestId('card-last').getByTestId('status-badge').textContent()).toBe('Completed');
    expect(await page.getByTestId('no-failures').isVisible()).toBe(true);
    for (const chart of ['chart-success', 'chart-issues', 'chart-duration', 'chart-latency']) {
      await expect(page.getByTestId(chart).locator('canvas').getAttribute('role')).resolves.toBe('img');
    }
    await e2e.screenshot('dashboard');
    await page.emulateMedia({ colorScheme: 'dark' });
    await e2e.screenshot('dashboard-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // The period switch is in the URL.
    await page.getByTestId('period-30').click();
    await page.waitForURL(/#\/dashboard\?days=30$/);
    expect(await page.getByTestId('period-30').getAttribute('aria-pressed')).toBe('true');
  });

  it('history: filters and sort live in the URL and survive a reload; CSV exports exactly the filtered rows', async () => {
    const { page, backend } = e2e;
    await page.getByTestId('nav-history').click();
    await page.locator(ROWS).nth(1).waitFor();
    expect(await page.getByTestId('nav-history').getAttribute('aria-current')).toBe('page');
    await expect(text('pagination-range')).resolves.toBe('1–2 of 2');

    await page.getByTestId('status-filter').selectOption('failed');
    await page.getByTestId('empty-state').waitFor();
    expect(page.url()).toContain('status=failed');
    await page.getByTestId('status-filter').selectOption('');
    await page.getByTestId('initiator-filter').selectOption('cli');
    await page.getByTestId('empty-state').waitFor();
    await page.getByTestId('initiator-filter').selectOption('preview');
    await page.getByTestId('instance-filter').selectOption('demo');
    await page.locator(ROWS).nth(1).waitFor();
    await page.getByTestId('sort-durationMs').click();
    await page.waitForURL(/sort=durationMs/);
    await page.reload();
    await page.locator(ROWS).nth(1).waitFor();
    expect(page.url()).toMatch(/by=preview/);
    expect(await page.getByTestId('instance-filter').inputValue()).toBe('demo');
    const truth = await backendData<HistoryPage>(backend, 'listRuns', {
      instance: 'demo',
      initiatedBy: 'preview',
      sort: 'durationMs',
      order: 'desc',
    });
    const shown = await page.locator(ROWS).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-run-id')));
    expect(shown).toEqual(truth.rows.map((r) => r.id));
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('Duration');

    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const file = await (await download).path();
    const lines = readFileSync(file, 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]!.startsWith('run_id,started_at,')).toBe(true);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(truth.rows.map((r) => r.id));
    await expect(page.getByTestId('history-charts').locator('canvas').count()).resolves.toBe(2);
    await e2e.screenshot('history');
  });

  it('run detail: a deep link per run and tab — overview, sortable projects, metrics charts, errors', async () => {
    const { page, backend } = e2e;
    await page.locator(ROWS).first().click();
    await page.getByTestId('panel-overview').waitFor();
    const id = await page.getByTestId('run-detail').getAttribute('data-run-id');
    expect(page.url()).toContain(`#/runs/${id}`);
    await page.getByTestId('run-config').waitFor();
    await expect(page.getByTestId('run-config').locator('tr').count()).resolves.toBe(12);
    await e2e.screenshot('run-overview');

    await page.getByTestId('tab-projects').click();
    await page.getByTestId('project-table').waitFor();
    expect(page.url()).toContain(`#/runs/${id}/projects`);
    const keys = () => page.getByTestId('project-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-project')));
    expect(await keys()).toEqual(['DEMO', 'OPS', 'WEB']);
    await page.getByTestId('sort-issuesProcessed').click();
    const detail = await backendData<{ projects: Array<{ projectKey: string; issuesProcessed: number }> }>(backend, 'getRun', { id });
    const byProcessed = [...detail.projects].sort((a, b) => b.issuesProcessed - a.issuesProcessed).map((p) => p.projectKey);
    await page.waitForFunction(
      (first) => document.querySelector('[data-testid="project-row"]')?.getAttribute('data-project') === first,
      byProcessed[0],
    );
    expect(await keys()).toEqual(byProcessed);
    await e2e.screenshot('run-projects');

    await page.getByTestId('tab-metrics').click();
    await page.getByTestId('chart-metric-memory').locator('canvas').waitFor();
    await e2e.screenshot('run-metrics');
    // Keyboard: arrow keys move between tabs.
    await page.getByTestId('tab-metrics').focus();
    await page.keyboard.press('ArrowRight');
    await page.getByTestId('panel-errors').waitFor();
    await expect(page.getByTestId('empty-state').textContent()).resolves.toContain('No errors');
    await e2e.screenshot('run-errors');
    // A reload keeps the tab.
    await page.reload();
    await page.getByTestId('panel-errors').waitFor();
  });

  it('issues: full-text search finds a seeded issue and shows its fields', async () => {
    const { page, backend } = e2e;
    const seeded = backend.store.sqlite.prepare(`SELECT key, summary FROM issues WHERE project_key = 'WEB' ORDER BY key LIMIT 1`).get() as {
      key: string;
      summary: string;
    };
    await page.getByTestId('nav-issues').click();
    await page.getByTestId('issue-row').first().waitFor();
    const total = backend.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM issues WHERE deleted_at IS NULL`).get() as { n: number };
    await expect(text('pagination-range')).resolves.toBe(`1–50 of ${total.n.toLocaleString('en-US')}`);
    await page.getByTestId('issue-search').fill(seeded.key);
    await page.waitForURL(new RegExp(`q=${seeded.key}`));
    await page.locator(`[data-testid="issue-row"][data-key="${seeded.key}"]`).first().click();
    await page.getByTestId('issue-detail-summary').waitFor();
    await expect(page.getByTestId('issue-detail-summary').textContent()).resolves.toBe(seeded.summary);
    expect(page.url()).toMatch(/issue=demo%3A\d+|issue=demo:\d+/);
    // A word of the summary finds it too, with the project filter.
    const word = seeded.summary
      .split(/\s+/)
      .find((w) => w.length > 4)!
      .replace(/\W/g, '');
    await page.getByTestId('issue-project').selectOption('WEB');
    await page.getByTestId('issue-search').fill(word);
    await page.waitForURL(new RegExp(`q=${word}`));
    // The page shows the search's answer (not the project's list from before the words arrived).
    const answer = await backendData<IssueSearchPage>(backend, 'searchIssues', { text: word, project: 'WEB', limit: 50, order: 'desc' });
    const web = backend.store.sqlite.prepare(`SELECT COUNT(*) AS n FROM issues WHERE project_key = 'WEB' AND deleted_at IS NULL`).get() as {
      n: number;
    };
    expect(answer.rows.map((row) => row.key)).toContain(seeded.key);
    expect(answer.total).toBeLessThan(web.n);
    await page.waitForFunction(
      (keys) => [...document.querySelectorAll('[data-testid="issue-row"]')].map((r) => r.getAttribute('data-key')).join() === keys.join(),
      answer.rows.map((row) => row.key),
      WAIT,
    );
    await expect(text('pagination-range')).resolves.toBe(`1–${Math.min(50, answer.total)} of ${answer.total.toLocaleString('en-US')}`);
    await e2e.screenshot('issues');
  });

  it('ran without page errors', () => {
    expect(e2e.pageErrors).toEqual([]);
  });
});

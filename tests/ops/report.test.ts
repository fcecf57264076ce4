import { afterEach, describe, expect, it } from 'vitest';
import { renderReportPdf } from '../../src/ops/reports/pdfReport.ts';
import { buildReport } from '../../src/ops/reports/reportData.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { applyRetention } from '../../src/store/retention.ts';
import { DEFAULT_RETENTION_POLICY } from '../../src/shared/operations.ts';
import { seededStatus, seedHistory } from '../helpers/seedHistory.ts';
import { tempDir } from '../helpers/tempDb.ts';
import { pdfPages } from './pdfText.ts';

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

const START = Date.parse('2026-08-01T01:00:00Z');
const PERIOD = { from: '2026-08-01T00:00:00.000Z', to: '2026-10-30T12:00:00.000Z' };

function seeded(): Store {
  const temp = tempDir();
  const store = openStore({ file: temp.dbFile });
  cleanups.push(temp.cleanup, () => store.close());
  seedHistory(store, { startMs: START, runs: 540, intervalMs: 4 * 3_600_000 });
  return store;
}

describe('the PDF sync report', () => {
  it("shows the period's figures, trend charts, failures and project health, as text a reader finds", async () => {
    const store = seeded();
    const report = buildReport(store, 'UTC', PERIOD, Date.parse('2026-10-30T12:00:00Z'));
    const pdf = await renderReportPdf(report);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await pdfPages(pdf)).join(' ');
    const n = (status: string) => [...Array(540).keys()].filter((i) => seededStatus(i) === status).length;
    expect(text).toContain('Jira Mirror sync report');
    expect(text).toContain('Period 2026-08-01 to 2026-10-30 (days in UTC)');
    expect(text).toContain(
      `540 (completed ${n('completed')}, partial ${n('partial')}, failed ${n('failed')}, stopped ${n('stopped')}, interrupted 0)`,
    );
    expect(text).toContain(`Success rate ${((n('completed') / 540) * 100).toFixed(1)} %`);
    for (const title of [
      'Runs per day by status',
      'Sync duration per day, p95 (seconds)',
      'Issues processed per day',
      'Database size at the end of each day (MB)',
    ]) {
      expect(text).toContain(title);
    }
    expect(text).toContain(`Timeout ${n('partial')}`);
    expect(text).toContain(`Authentication ${n('failed')}`);
    expect(text).toContain('seed: Jira rejected the credentials (401)');
    // GAMMA fails on every partial run: a warning; the others never fail.
    expect(text).toMatch(/seed\/ALPHA healthy/);
    expect(text).toMatch(/seed\/GAMMA warning/);
  });

  it('says the same after retention pruned the period’s runs and details', async () => {
    const store = seeded();
    const text = async () => (await pdfPages(await renderReportPdf(buildReport(store, 'UTC', PERIOD, 0)))).join(' ');
    const before = await text();
    await applyRetention(
      store,
      { ...DEFAULT_RETENTION_POLICY, detailsDays: 10, metricsDays: 10, runsDays: 20, timeZone: 'UTC' },
      { dryRun: false, nowMs: Date.parse(PERIOD.to) },
    );
    // Only the list of latest failed runs may differ (it lists runs still held); here it keeps the newest 15.
    expect(await text()).toBe(before);
  });
});

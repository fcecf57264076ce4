import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_BOM, csvField, toCsv } from '../../src/shared/csv.ts';
import type { ExportFile } from '../../src/shared/operations.ts';
import type { Run, RunDetail } from '../../src/shared/model.ts';
import { listIssues } from '../../src/store/issues.ts';
import { getSyncHistory } from '../../src/store/runHistory.ts';
import { mirrorFixture, type MirrorFixture } from '../helpers/mirror.ts';
import { seedHistory } from '../helpers/seedHistory.ts';

const TRICKY = 'Crash on "Save", then =SUM(A1)\nsecond line; Grüße, 東京';

let fixture: MirrorFixture;
let run: Run;
beforeAll(async () => {
  fixture = await mirrorFixture({
    projects: [
      { key: 'CORE', issues: 45 },
      { key: 'WEB', issues: 12 },
    ],
  });
  fixture.sim.control.updateIssue('CORE-7', { summary: TRICKY });
  run = await fixture.sync();
  // 130 older runs: more than any page of the history.
  seedHistory(fixture.backend.store, { startMs: Date.parse('2026-06-01T00:00:00Z'), runs: 130, intervalMs: 3_600_000, samplesPerRun: 0 });
});
afterAll(() => fixture.close());

async function exported(input: unknown): Promise<{ file: ExportFile; records: Array<Record<string, string>> }> {
  const result = await fixture.backend.dispatch('exportCsv', input);
  if (!result.ok) throw new Error(result.error.message);
  const file = result.data as ExportFile;
  expect(file.content.startsWith(CSV_BOM)).toBe(true);
  expect(file.bytes).toBe(Buffer.byteLength(file.content));
  return { file, records: parse(file.content, { bom: true, columns: true }) as Array<Record<string, string>> };
}

describe('the CSV writer', () => {
  it('quotes what needs quoting, keeps UTF-8, defuses formulas, and parses back to the same values', () => {
    const rows = [
      { a: 'plain', b: 42, c: null },
      { a: 'comma, and "quotes"', b: -1.5, c: 'line\r\nbreak' },
      { a: '=HYPERLINK("x")', b: 0, c: '@cmd' },
      { a: 'Grüße 東京 🚀', b: 7, c: '+1' },
    ];
    const { text, rows: count } = toCsv(
      [
        { header: 'a', value: (r: (typeof rows)[number]) => r.a },
        { header: 'b', value: (r: (typeof rows)[number]) => r.b },
        { header: 'c', value: (r: (typeof rows)[number]) => r.c },
      ],
      rows,
    );
    expect(count).toBe(4);
    expect(text.split('\r\n')[0]).toBe(`${CSV_BOM}a,b,c`);
    expect(parse(text, { bom: true, columns: true })).toEqual([
      { a: 'plain', b: '42', c: '' },
      { a: 'comma, and "quotes"', b: '-1.5', c: 'line\r\nbreak' },
      { a: `'=HYPERLINK("x")`, b: '0', c: `'@cmd` },
      { a: 'Grüße 東京 🚀', b: '7', c: `'+1` },
    ]);
    expect(csvField('-1')).toBe(`'-1`);
    expect(csvField(-1)).toBe('-1');
  });
});

describe('exports', () => {
  it('the history: every run the filter matches, not one page, newest first', async () => {
    const total = getSyncHistory(fixture.backend.store, {}).total;
    expect(total).toBe(131);
    const { file, records } = await exported({ kind: 'history' });
    expect(file).toMatchObject({ mimeType: 'text/csv; charset=utf-8', encoding: 'utf8', rows: 131 });
    expect(file.fileName).toMatch(/^jira-mirror-history-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/);
    expect(records).toHaveLength(131);
    expect(records[0]).toMatchObject({ run_id: run.id, status: 'completed', total_issues: '57', issues_created: '57', error_message: '' });
    const failed = await exported({ kind: 'history', status: 'failed' });
    const expected = getSyncHistory(fixture.backend.store, { status: 'failed', limit: 500 });
    expect(failed.records.map((r) => r.run_id)).toEqual(expected.rows.map((r) => r.id));
    expect(failed.records[0]).toMatchObject({
      status: 'failed',
      error_category: 'Authentication',
      error_message: 'seed: Jira rejected the credentials (401)',
    });
  });

  it("a run's project breakdown, as the run detail has it", async () => {
    const detail = (await fixture.backend.dispatch('getRun', { id: run.id })) as { ok: true; data: RunDetail };
    const { records } = await exported({ kind: 'run-projects', runId: run.id });
    expect(records.map((r) => [r.instance, r.project, r.status, r.issues_processed, r.api_calls, r.verification])).toEqual(
      detail.data.projects.map((p) => [
        'sim',
        p.projectKey,
        'completed',
        String(p.issuesProcessed),
        String(p.apiCalls),
        p.verification!.result,
      ]),
    );
    expect(records.map((r) => r.issues_processed)).toEqual(['45', '12']);
    expect(await fixture.backend.dispatch('exportCsv', { kind: 'run-projects', runId: '3f1c0b9e-1111-4111-8111-123456789abc' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no run with id 3f1c0b9e-1111-4111-8111-123456789abc' },
    });
  });

  it('the mirrored issues, with a summary full of commas, quotes, line breaks and accents intact', async () => {
    const { records } = await exported({ kind: 'issues' });
    const mirror = listIssues(fixture.backend.store, {});
    expect(records).toHaveLength(57);
    expect(records.map((r) => [r.instance, r.key, r.id, r.project, r.status, r.updated])).toEqual(
      mirror.rows.map((i) => [i.instance, i.key, i.id, i.projectKey, i.status, i.updated]),
    );
    expect(records.find((r) => r.key === 'CORE-7')!.summary).toBe(TRICKY);
    const web = await exported({ kind: 'issues', instance: 'sim', project: 'WEB' });
    expect(web.records.map((r) => r.key)).toEqual(listIssues(fixture.backend.store, { project: 'WEB' }).rows.map((i) => i.key));
    expect(await fixture.backend.dispatch('exportCsv', { kind: 'issues', instance: 'nope' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'no instance named "nope"' },
    });
    expect(await fixture.backend.dispatch('exportCsv', { kind: 'everything' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it("the Issues view's search: exactly the issues it lists, text and filters included, in its order", async () => {
    const search = { text: 'Save', project: 'CORE', sort: 'key' as const, order: 'asc' as const };
    const listed = await fixture.backend.dispatch('searchIssues', { ...search, limit: 200 });
    if (!listed.ok) throw new Error(listed.error.message);
    const rows = (listed.data as { rows: Array<{ key: string }>; total: number }).rows;
    const { file, records } = await exported({ kind: 'issues', ...search });
    expect(rows.map((r) => r.key)).toContain('CORE-7');
    expect(records.map((r) => r.key)).toEqual(rows.map((r) => r.key));
    expect(file.rows).toBe(rows.length);
    // A status no issue has: the header alone.
    const none = await exported({ kind: 'issues', status: 'No such status' });
    expect(none.records).toEqual([]);
    expect(none.file.rows).toBe(0);
  });
});

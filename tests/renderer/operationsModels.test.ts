import { describe, expect, it } from 'vitest';
import { exportFileBlob } from '../../src/renderer/lib/download.ts';
import { dueIn, parseInterval, scheduleText } from '../../src/renderer/lib/schedule.ts';
import { periodOfDays } from '../../src/renderer/views/dashboard/dashboardPeriod.ts';
import { issueExport, issueSearch } from '../../src/renderer/views/issues/issueParams.ts';
import { auditValue } from '../../src/renderer/views/settings/auditModel.ts';
import { auditFilter, settingsSection } from '../../src/renderer/views/settings/settingsSections.ts';
import { changedTableKeys, fromTableDraft, tableFieldErrors, toTableDraft } from '../../src/renderer/views/settings/tableDraft.ts';
import { deliveryText, generateSecret } from '../../src/renderer/views/settings/webhookModel.ts';
import type { Schedule } from '../../src/shared/model.ts';
import { DEFAULT_RETENTION_POLICY, RETENTION_SETTINGS, retentionPolicySchema } from '../../src/shared/operations.ts';

describe('settings sections from the URL', () => {
  it('reads the section from the path; #/settings and unknown sections are Performance', () => {
    expect(settingsSection({ segments: ['webhooks'] })).toBe('webhooks');
    expect(settingsSection({ segments: ['audit', 'extra'] })).toBe('audit');
    expect(settingsSection({ segments: [] })).toBe('performance');
    expect(settingsSection({ segments: ['tray'] })).toBe('performance');
  });

  it("reads the audit's configuration filter and page, ignoring what is invalid", () => {
    expect(auditFilter({ type: 'retention', page: '2' })).toEqual({ type: 'retention', page: 2 });
    expect(auditFilter({ type: 'secrets', page: '-1' })).toEqual({ page: 0 });
  });
});

describe('a settings-table form (retention policy)', () => {
  it('sends numbers as numbers and anything else as typed, so the back end names the problem', () => {
    const draft = {
      ...toTableDraft(RETENTION_SETTINGS, DEFAULT_RETENTION_POLICY),
      detailsDays: ' 14 ',
      runsDays: '1e3',
      timeZone: 'Europe/Berlin',
    };
    const values = fromTableDraft(RETENTION_SETTINGS, draft);
    expect(values).toEqual({ detailsDays: 14, metricsDays: 30, runsDays: '1e3', applyAfterSync: true, timeZone: 'Europe/Berlin' });
    expect(changedTableKeys(RETENTION_SETTINGS, draft, DEFAULT_RETENTION_POLICY)).toEqual(['detailsDays', 'runsDays', 'timeZone']);
    const parsed = retentionPolicySchema.safeParse(values);
    expect(parsed.success).toBe(false);
    const fields = Object.fromEntries(parsed.error!.issues.map((i) => [`policy.${i.path.join('.')}`, i.message]));
    expect(tableFieldErrors(RETENTION_SETTINGS, { ...fields, 'policy.unknown': 'x', other: 'y' }, 'policy')).toEqual({
      runsDays: 'runs_days must be a number',
    });
  });
});

const schedule = (patch: Partial<Schedule>): Schedule => ({
  enabled: true,
  intervalMinutes: 60,
  paused: false,
  state: 'scheduled',
  nextDueAt: null,
  lastScheduledRunId: null,
  lastError: null,
  ...patch,
});

describe('the schedule in words', () => {
  const now = Date.parse('2026-12-02T10:00:00Z');
  it('names each state; a due time with how far it is, in whole minutes rounded up', () => {
    const due = scheduleText(schedule({ nextDueAt: '2026-12-02T11:29:30Z', intervalMinutes: 90 }), now);
    expect(due.detail).toBe('in 1 h 30 min · every 1 h 30 min');
    expect(due.headline).toBe(
      new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }).format(Date.parse('2026-12-02T11:29:30Z')),
    );
    expect(scheduleText(schedule({ state: 'off', enabled: false }), now).headline).toBe('No schedule');
    expect(scheduleText(schedule({ state: 'paused', paused: true, intervalMinutes: 15 }), now)).toEqual({
      headline: 'Schedule paused',
      detail: 'Syncs every 15 min once resumed.',
    });
    expect(scheduleText(schedule({ state: 'no-instance' }), now).headline).toBe('Schedule waits for an instance');
    expect(dueIn(20_000)).toBe('due now');
    expect(dueIn(61_000)).toBe('in 2 min');
  });

  it('reads the interval as typed: a number for the contract to range-check, null for no number', () => {
    expect(parseInterval(' 30 ')).toBe(30);
    expect(parseInterval('7.5')).toBe(7.5);
    expect(parseInterval('')).toBeNull();
    expect(parseInterval('an hour')).toBeNull();
  });
});

describe('webhooks', () => {
  it('a generated secret is 64 hex characters of 32 random bytes', () => {
    expect(generateSecret((bytes) => bytes.fill(0xab))).toBe('ab'.repeat(32));
    const a = generateSecret();
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(generateSecret()).not.toBe(a);
  });

  it('says how a delivery went', () => {
    expect(deliveryText({ state: 'delivered', attempts: 1, lastStatusCode: 204, lastError: null })).toBe('Delivered (HTTP 204)');
    expect(deliveryText({ state: 'failed', attempts: 1, lastStatusCode: 410, lastError: null })).toBe('Failed (HTTP 410) after 1 attempt');
    expect(deliveryText({ state: 'pending', attempts: 2, lastStatusCode: null, lastError: 'connection refused' })).toBe(
      'Retrying: connection refused (2 attempts)',
    );
    expect(deliveryText({ state: 'pending', attempts: 0, lastStatusCode: null, lastError: null })).toBe('Waiting to be sent');
  });
});

describe('audit values', () => {
  it('shows scalars, a webhook as its URL and events, and nothing as a dash', () => {
    expect(auditValue(14)).toBe('14');
    expect(auditValue(false)).toBe('false');
    expect(auditValue(null)).toBe('—');
    expect(auditValue({ url: 'https://h.example/x', events: ['run.failed', 'run.finished'] })).toBe(
      'https://h.example/x (run.failed, run.finished)',
    );
  });
});

describe('exports', () => {
  it("the Issues view's CSV takes its search without the page", () => {
    expect(issueExport(issueSearch({ q: 'crash', project: 'WEB', status: 'Open', page: '3', sort: 'key' }))).toEqual({
      kind: 'issues',
      text: 'crash',
      project: 'WEB',
      status: 'Open',
      sort: 'key',
      order: 'desc',
    });
  });

  it('decodes a base64 file (the PDF) to its bytes and keeps text as UTF-8', async () => {
    const pdf = exportFileBlob({
      fileName: 'r.pdf',
      mimeType: 'application/pdf',
      content: btoa('%PDF-\u00ff'),
      encoding: 'base64',
      rows: 1,
      bytes: 6,
    });
    expect(pdf.type).toBe('application/pdf');
    expect([...new Uint8Array(await pdf.arrayBuffer())]).toEqual([37, 80, 68, 70, 45, 255]);
    const csv = exportFileBlob({ fileName: 'a.csv', mimeType: 'text/csv', content: 'a,b\r\nü,1', encoding: 'utf8', rows: 1, bytes: 9 });
    expect(await csv.text()).toBe('a,b\r\nü,1');
  });

  it("the dashboard's period: today and the days before it, from local midnight to the end of today", () => {
    const now = new Date(2026, 11, 2, 15, 30).getTime();
    expect(periodOfDays(7, now)).toEqual({
      from: new Date(2026, 10, 26).toISOString(),
      to: new Date(2026, 11, 2, 23, 59, 59, 999).toISOString(),
    });
  });
});

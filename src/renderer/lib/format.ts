/** Pure display helpers (unit-tested in tests/renderer). */
import type { ProjectProgress, Run, RunStatus } from '../../shared/model.ts';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const numberFormat = new Intl.NumberFormat();

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The day of an instant, in the user's locale and time zone. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** 840 ms · 1.2 s · 59 s · 3 min 4 s · 2 h 5 min */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) {
    const s = Math.round(ms / 100) / 10;
    return s >= 10 ? '10 s' : `${s.toFixed(1)} s`;
  }
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  if (totalSeconds < 3600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
  }
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
}

/** The duration of a run; for a running one, the time elapsed so far. */
export function runDuration(run: Pick<Run, 'status' | 'startedAt' | 'durationMs'>, now: number): number | null {
  if (run.durationMs !== null) return run.durationMs;
  if (run.status !== 'running') return null;
  const started = Date.parse(run.startedAt);
  return Number.isNaN(started) ? null : Math.max(0, now - started);
}

/** "+3 new · 5 updated", "12 unchanged", or "no changes". */
export function issueChanges(run: Pick<Run, 'issuesCreated' | 'issuesUpdated' | 'issuesDeleted' | 'issuesUnchanged'>): string {
  const parts: string[] = [];
  if (run.issuesCreated > 0) parts.push(`+${formatNumber(run.issuesCreated)} new`);
  if (run.issuesUpdated > 0) parts.push(`${formatNumber(run.issuesUpdated)} updated`);
  if (run.issuesDeleted > 0) parts.push(`${formatNumber(run.issuesDeleted)} deleted`);
  if (parts.length) return parts.join(' · ');
  return run.issuesUnchanged > 0 ? `${formatNumber(run.issuesUnchanged)} unchanged` : 'no changes';
}

/** "1–25 of 312", "0 runs". */
export function pageRange(offset: number, shown: number, total: number): string {
  if (total === 0 || shown === 0) return `0 of ${formatNumber(total)}`;
  return `${formatNumber(offset + 1)}–${formatNumber(offset + shown)} of ${formatNumber(total)}`;
}

/** Summed live progress of a running sync: "12 / 40 issues" when every total is known. */
export function progressText(projects: ProjectProgress[]): string {
  const issues = projects.reduce((sum, p) => sum + p.issues, 0);
  const expectedKnown = projects.length > 0 && projects.every((p) => p.expectedIssues !== null);
  if (expectedKnown) {
    const expected = projects.reduce((sum, p) => sum + (p.expectedIssues ?? 0), 0);
    return `${formatNumber(issues)} / ${formatNumber(Math.max(expected, issues))} issues`;
  }
  return `${formatNumber(issues)} issues so far`;
}

/** 0..1, or null when the expected totals are not all known. */
export function progressFraction(projects: ProjectProgress[]): number | null {
  if (projects.length === 0 || projects.some((p) => p.expectedIssues === null)) return null;
  const expected = projects.reduce((sum, p) => sum + (p.expectedIssues ?? 0), 0);
  const issues = projects.reduce((sum, p) => sum + p.issues, 0);
  if (expected <= 0) return projects.every((p) => p.status !== 'running' && p.status !== 'queued') ? 1 : 0;
  return Math.min(1, issues / expected);
}

/** `YYYY-MM-DD` of a date input → the ISO instant of local midnight (start of that day). */
export function dayStartIso(day: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** `YYYY-MM-DD` → the last millisecond of that local day, so "to" includes the whole day. */
export function dayEndIso(day: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + 1);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Date(date.getTime() - 1).toISOString();
}

export const STATUS_LABELS: Record<RunStatus, string> = {
  running: 'Running',
  completed: 'Completed',
  partial: 'Partial',
  failed: 'Failed',
  stopped: 'Stopped',
  interrupted: 'Interrupted',
};

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** A `YYYY-MM-DD` day as the user's locale writes it ("Nov 28"). */
export function formatDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day;
  return dayFormat.format(new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

/** "just now", "5 min ago", "3 hours ago", "2 days ago". */
export function formatAge(iso: string, now: number): string {
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '—';
  const seconds = Math.round(ms / 1000);
  if (Math.abs(seconds) < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (Math.abs(minutes) < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 36) return relative.format(-hours, 'hour');
  return relative.format(-Math.round(hours / 24), 'day');
}

/** 0.9731 → "97.3 %"; null → "—". */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${(share * 100).toFixed(share === 1 || share === 0 ? 0 : digits)} %`;
}

/** 268435456 → "256 MB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1024 * 1024) return `${formatNumber(Math.round(bytes / 1024))} KB`;
  return `${formatNumber(Math.round(bytes / (1024 * 1024)))} MB`;
}

/**
 * Byte series for a chart's axis, in the one unit their largest value reads best in: the chart then
 * picks round ticks in that unit (100 MB, 200 MB) instead of round byte counts (95 MB, 191 MB), and
 * its zero reads "0 MB", not "0 KB" under megabytes.
 */
export function byteAxis(series: Array<Array<number | null>>): {
  scaled: Array<Array<number | null>>;
  format: (value: number) => string;
} {
  const max = Math.max(0, ...series.flat().filter((v): v is number => v !== null && Number.isFinite(v)));
  const [divisor, unit] = max >= 1024 ** 3 ? [1024 ** 3, 'GB'] : max >= 1024 ** 2 ? [1024 ** 2, 'MB'] : [1024, 'KB'];
  return {
    scaled: series.map((values) => values.map((v) => (v === null ? null : v / divisor))),
    format: (value) => `${formatNumber(Math.round(value * 10) / 10)} ${unit}`,
  };
}

/** Time since a run started, for a chart's axis: "0.6 s", "9.4 s", then as formatDuration ("12 s", "3 min 4 s"). */
export function formatElapsed(ms: number): string {
  return ms < 10_000 ? `${(Math.round(ms / 100) / 10).toFixed(1)} s` : formatDuration(ms);
}

/** Milliseconds as people read latency: "840 ms", "1.2 s"; null → "—". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${formatNumber(Math.round(ms))} ms` : formatDuration(ms);
}

/** The user's offset from UTC in minutes east, as the back end's day grouping wants it. */
export function utcOffsetMinutes(date = new Date()): number {
  return -date.getTimezoneOffset();
}

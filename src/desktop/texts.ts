/**
 * Words and numbers for the tray and notifications: ages, due times, counts, run outcomes.
 * Deterministic given `now` and a time formatter, so tests pin them exactly.
 */
import type { RunStatus } from '../shared/model.ts';

/** Formats an instant as a wall-clock time ("14:05"); injected so tests are independent of the machine's zone and locale. */
export type TimeFormatter = (epochMs: number) => string;

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
export const localTime: TimeFormatter = (epochMs) => clock.format(new Date(epochMs));

const count = new Intl.NumberFormat('en-US');
/** 1,234 */
export function formatCount(n: number): string {
  return count.format(n);
}

/** 1 project, 2 projects */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/** A span of minutes for people: "42 min", "2 h", "2 h 5 min", "3 days". */
export function formatSpan(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
  }
  return plural(Math.floor(minutes / (24 * 60)), 'day');
}

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function formatAge(thenMs: number, nowMs: number): string {
  const ms = nowMs - thenMs;
  if (ms < 60_000) return 'just now';
  return `${formatSpan(ms)} ago`;
}

/** "now", "in 42 min". */
export function formatDueIn(dueMs: number, nowMs: number): string {
  return dueMs - nowMs < 30_000 ? 'now' : `in ${formatSpan(dueMs - nowMs)}`;
}

/** How a finished run ended, as the end of "Last sync …". */
export const OUTCOME_WORDS: Record<RunStatus, string> = {
  running: 'running',
  completed: 'completed',
  partial: 'partly failed',
  failed: 'failed',
  stopped: 'stopped',
  interrupted: 'was interrupted',
};

/** "every 30 minutes", "every hour", "every 2 hours". */
export function formatInterval(minutes: number): string {
  if (minutes % 60 !== 0) return `every ${plural(minutes, 'minute')}`;
  return minutes === 60 ? 'every hour' : `every ${plural(minutes / 60, 'hour')}`;
}

/** At most `max` characters, cut at a word where possible, with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

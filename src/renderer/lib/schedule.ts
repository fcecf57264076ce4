/** The sync schedule in words, for the dashboard card and Settings → Desktop & schedule. Pure. */
import type { Schedule } from '../../shared/model.ts';
import { formatDateTime, formatDuration } from './format.ts';

/** "every 30 min", "every 1 h", "every 1 h 30 min". */
export function intervalText(minutes: number): string {
  return `every ${formatDuration(minutes * 60_000)}`;
}

/** "due now", "in 42 min", "in 1 h 30 min": whole minutes, rounded up (a sync due in 30 s is not "in 0 min"). */
export function dueIn(ms: number): string {
  if (ms < 30_000) return 'due now';
  return `in ${formatDuration(Math.ceil(ms / 60_000) * 60_000)}`;
}

/** The schedule's state as a sentence; a due time in the user's locale and how far it is ("in 42 minutes"). */
export function scheduleText(schedule: Schedule, now: number): { headline: string; detail: string | null } {
  switch (schedule.state) {
    case 'off':
      return { headline: 'No schedule', detail: 'Syncs start only when you ask.' };
    case 'paused':
      return { headline: 'Schedule paused', detail: `Syncs ${intervalText(schedule.intervalMinutes)} once resumed.` };
    case 'no-instance':
      return { headline: 'Schedule waits for an instance', detail: 'It starts once an instance is added.' };
    case 'waiting-for-network':
      return { headline: 'Waiting for the network', detail: 'The due sync starts as soon as the network is back.' };
    case 'scheduled': {
      if (!schedule.nextDueAt) return { headline: 'Schedule on', detail: intervalText(schedule.intervalMinutes) };
      return {
        headline: formatDateTime(schedule.nextDueAt),
        detail: `${dueIn(Date.parse(schedule.nextDueAt) - now)} · ${intervalText(schedule.intervalMinutes)}`,
      };
    }
  }
}

/** An interval field as typed → a number for the contract (which checks the range), or null when it is no number at all. */
export function parseInterval(typed: string): number | null {
  const trimmed = typed.trim();
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * The schedule recommendation: a longer interval when scheduled syncs take up much of it (the next
 * one comes due while one still runs, and is skipped) or when most of them find nothing to change
 * (each still pays its requests). Pure: it reads the schedule and the scheduled runs' aggregates
 * (store/scheduleEvidence.ts) and prices the change per day.
 */
import type { Evidence, Recommendation, ScheduleCost, SyncEstimate } from '../shared/model.ts';
import { SCHEDULE_INTERVAL_MAX } from '../shared/model.ts';
import type { ScheduleEvidence } from '../store/scheduleEvidence.ts';

/** Scheduled runs needed before the schedule is judged. */
export const MIN_SCHEDULED_RUNS = 10;
/** A scheduled sync that lasts this share of the interval leaves the next one little room. */
export const BUSY_SHARE = 0.5;
/** This share of scheduled syncs finding no change says the interval is shorter than Jira's pace. */
export const IDLE_SHARE = 0.8;
/** The intervals proposed (minutes): the ones a person picks. */
export const INTERVAL_STEPS = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1440] as const;

const DAY_MINUTES = 1440;

/** The smallest step of at least `minutes` (the longest one past it). */
export function intervalStep(minutes: number): number {
  return INTERVAL_STEPS.find((step) => step >= minutes) ?? SCHEDULE_INTERVAL_MAX;
}

/**
 * Per day, now and after: fewer syncs save each one's fixed requests (the count and first page of
 * every project, what an unchanged sync spends); the changed issues are read either way.
 */
export function scheduleCost(evidence: ScheduleEvidence, nowMinutes: number, afterMinutes: number): ScheduleCost {
  const syncsNow = DAY_MINUTES / nowMinutes;
  const syncsAfter = DAY_MINUTES / afterMinutes;
  const perSync = evidence.apiCalls / evidence.runs;
  const fixed = Math.min(perSync, evidence.unchangedApiCalls ?? perSync);
  const apiCallsNow = syncsNow * perSync;
  return {
    syncsNow: Math.round(syncsNow * 10) / 10,
    syncsAfter: Math.round(syncsAfter * 10) / 10,
    apiCallsNow: Math.round(apiCallsNow),
    apiCallsAfter: Math.round(apiCallsNow - (syncsNow - syncsAfter) * fixed),
  };
}

export function recommendSchedule(
  intervalMinutes: number | null,
  evidence: ScheduleEvidence,
  current: SyncEstimate,
): Recommendation | null {
  if (intervalMinutes === null || evidence.runs < MIN_SCHEDULED_RUNS) return null;
  const intervalMs = intervalMinutes * 60_000;
  const busy = evidence.longestMs >= BUSY_SHARE * intervalMs;
  const idle = evidence.unchanged >= IDLE_SHARE * evidence.runs;
  const target = Math.max(
    busy ? intervalStep(Math.ceil(evidence.longestMs / 60_000 / BUSY_SHARE)) : 0,
    idle ? intervalStep(intervalMinutes * 2) : 0,
  );
  if (target <= intervalMinutes) return null;
  const reasons = [
    busy
      ? `The longest of the last ${evidence.runs} scheduled syncs took ${Math.ceil(evidence.longestMs / 60_000)} min, ${Math.round((evidence.longestMs / intervalMs) * 100)} % of the ${intervalMinutes}-minute interval: a sync still running when the next one is due makes that one skip, and the mirror keeps Jira busy half the time or more.`
      : null,
    idle
      ? `${evidence.unchanged} of the last ${evidence.runs} scheduled syncs found nothing to change in Jira, and each still spent its requests: every ${target} minutes spends fewer, and the mirror is then at most ${target} minutes behind Jira instead of ${intervalMinutes}.`
      : null,
  ];
  const evidenceList: Evidence[] = [
    { label: 'Schedule interval', value: intervalMinutes, unit: 'min' },
    { label: 'Scheduled syncs considered', value: evidence.runs, unit: 'count' },
    { label: 'Longest scheduled sync', value: evidence.longestMs, unit: 'ms' },
    { label: 'Scheduled syncs that changed nothing', value: evidence.unchanged, unit: 'count' },
    { label: 'API calls of those syncs', value: evidence.apiCalls, unit: 'count' },
  ];
  return {
    id: 'schedule-interval',
    title: `Sync every ${target} minutes instead of ${intervalMinutes}`,
    reason: reasons.filter((r) => r !== null).join(' '),
    change: {},
    scheduleChange: { intervalMinutes: target },
    evidence: evidenceList,
    estimate: current,
    perDay: scheduleCost(evidence, intervalMinutes, target),
  };
}

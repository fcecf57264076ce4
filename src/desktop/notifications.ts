/**
 * When to raise an OS notification about syncs, and what it says. Pure: the state goes in and
 * comes out, so every rule is tested without Electron.
 *
 * - A sync that fails or ends partial starts a failure streak and raises one notification: title
 *   the instance and projects, body the category and the short sanitized message.
 * - While the streak lasts, a repeat of the same failure raises nothing; a different failure
 *   replaces the notification. "Same" compares what failed and how (instance, project, category),
 *   never the message's wording, which carries times and counts; rate limits (an hourly quota)
 *   count once per instance, so a quota is reported once however many projects hit it.
 * - The first completed sync after failures ends the streak with a recovery notice.
 * - Stopped and interrupted runs neither start nor end a streak.
 * - Nothing is raised while notifications are off, or while the window is focused (it already
 *   shows the failure); the streak is still tracked, so nothing stale pops up later.
 * - Clicking a notice opens the run it is about.
 */
import { redact } from '../engine/errors.ts';
import { describeCategory } from '../shared/categories.ts';
import type { AnomalyChangeEvent } from '../shared/analytics.ts';
import type { ErrorCategory, RunDetail } from '../shared/model.ts';
import { plural, shorten } from './texts.ts';

/**
 * start-failed: a scheduled sync could not start; action-failed: something asked for in the tray did not work;
 * anomaly / anomaly-resolved: the analytics opened or resolved an anomaly.
 */
export type NoticeKind = 'failure' | 'recovery' | 'start-failed' | 'action-failed' | 'anomaly' | 'anomaly-resolved';

export interface Notice {
  kind: NoticeKind;
  title: string;
  body: string;
  /** The run a click opens; null opens the app as it is. */
  runId: string | null;
}

export interface FailureStreak {
  signature: string;
  /** Failed or partial syncs in a row. */
  failures: number;
}

export interface NotifierState {
  streak: FailureStreak | null;
}

export interface NotifyContext {
  /** The user's preference (notifyOnFailure). */
  enabled: boolean;
  windowFocused: boolean;
  /** Configured instance names, to tell which instance a run-level message is about. */
  instanceNames: readonly string[];
}

export interface Decision {
  state: NotifierState;
  notice: Notice | null;
  /** Why nothing is shown (for logs and tests), or 'shown'. */
  reason: 'shown' | 'repeat' | 'disabled' | 'focused' | 'no-change';
}

export const INITIAL_NOTIFIER_STATE: NotifierState = { streak: null };
const BODY_MAX = 200;

/** The streak a failed or partial run leaves behind, e.g. when the app starts after one. */
export function streakAfter(run: RunDetail, instanceNames: readonly string[]): FailureStreak | null {
  return isFailure(run) ? { signature: failureSignature(run, instanceNames), failures: 1 } : null;
}

export function decideOnRun(state: NotifierState, run: RunDetail, context: NotifyContext): Decision {
  if (run.status === 'completed') {
    if (!state.streak) return { state, notice: null, reason: 'no-change' };
    return gate({ streak: null }, recoveryNotice(run, state.streak, context.instanceNames), context);
  }
  if (!isFailure(run)) return { state, notice: null, reason: 'no-change' };
  const signature = failureSignature(run, context.instanceNames);
  const failures = (state.streak?.failures ?? 0) + 1;
  const next: NotifierState = { streak: { signature, failures } };
  if (state.streak?.signature === signature) return { state: next, notice: null, reason: 'repeat' };
  return gate(next, failureNotice(run, context.instanceNames), context);
}

/** A scheduled sync that could not even start (no run exists): told once per distinct reason. */
export function decideOnScheduleError(previous: string | null, current: string | null, context: NotifyContext): Notice | null {
  if (current === null || current === previous) return null;
  const notice: Notice = {
    kind: 'start-failed',
    title: 'Scheduled sync could not start',
    body: shorten(redact(current), BODY_MAX),
    runId: null,
  };
  return gate(INITIAL_NOTIFIER_STATE, notice, context).notice;
}

/**
 * An anomaly opened or resolved. The analytics raise each state change once (two breaches in a row
 * open, two normal syncs resolve), so every change is told — under the same gate as failures.
 */
export function decideOnAnomaly(event: AnomalyChangeEvent, context: NotifyContext): Notice | null {
  const { anomaly } = event;
  const what = `${anomaly.instance}/${anomaly.project}: ${ANOMALY_WORDS[anomaly.metric]}`;
  const notice: Notice =
    event.change === 'opened'
      ? { kind: 'anomaly', title: `Unusual ${what}`, body: shorten(anomaly.description, BODY_MAX), runId: anomaly.openedRunId }
      : {
          kind: 'anomaly-resolved',
          title: `Back to normal: ${what}`,
          body: `Normal again in the last 2 syncs (it was ${shorten(anomaly.description.split(': ').slice(1).join(': '), BODY_MAX - 30)}).`,
          runId: anomaly.resolvedRunId,
        };
  return gate(INITIAL_NOTIFIER_STATE, notice, context).notice;
}

const ANOMALY_WORDS: Record<AnomalyChangeEvent['anomaly']['metric'], string> = {
  durationPerIssue: 'duration per issue',
  issuesPerSync: 'issues per sync',
  latency: 'API latency',
  failureRate: 'failure rate',
};

/** Something asked for in the tray failed: the user asked, so this is shown whatever the preference. */
export function actionFailedNotice(title: string, message: string): Notice {
  return { kind: 'action-failed', title, body: shorten(redact(message), BODY_MAX), runId: null };
}

function gate(state: NotifierState, notice: Notice, context: NotifyContext): Decision {
  if (!context.enabled) return { state, notice: null, reason: 'disabled' };
  if (context.windowFocused) return { state, notice: null, reason: 'focused' };
  return { state, notice, reason: 'shown' };
}

function isFailure(run: RunDetail): boolean {
  return run.status === 'failed' || run.status === 'partial';
}

/** What failed and how, independent of the wording. */
export function failureSignature(run: RunDetail, instanceNames: readonly string[]): string {
  const parts = new Set<string>();
  for (const project of run.projects) {
    if (project.status !== 'failed') continue;
    const category = project.errorCategory ?? 'unknown';
    parts.add(category === 'RateLimit' ? `${project.instance}:RateLimit` : `${project.instance}/${project.projectKey}:${category}`);
  }
  // A failure before any project (an instance that could not connect) shows only at the run level.
  if (parts.size === 0) parts.add(`${messageInstance(run.errorMessage, instanceNames) ?? '*'}:${run.errorCategory ?? 'unknown'}`);
  return [...parts].sort().join(' ');
}

/** The engine prefixes run-level messages with the instance they are about ("acme: HTTP 401 …"). */
function messageInstance(message: string | null, instanceNames: readonly string[]): string | null {
  if (!message) return null;
  return instanceNames.find((name) => message.startsWith(`${name}:`) || message.startsWith(`${name}/`)) ?? null;
}

/** "acme (PROJ, WEB) · demo (OPS)", sorted; instances alone when no project got far enough. */
export function runScope(run: RunDetail, instanceNames: readonly string[], only: 'failed' | 'all'): string | null {
  const byInstance = new Map<string, string[]>();
  for (const project of run.projects) {
    if (only === 'failed' && project.status !== 'failed') continue;
    const keys = byInstance.get(project.instance) ?? [];
    if (!keys.includes(project.projectKey)) keys.push(project.projectKey);
    byInstance.set(project.instance, keys);
  }
  const named = messageInstance(run.errorMessage, instanceNames);
  if (named && !byInstance.has(named) && only === 'failed') byInstance.set(named, []);
  if (byInstance.size === 0) return null;
  return [...byInstance]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([instance, keys]) => (keys.length === 0 ? instance : `${instance} (${listKeys(keys.sort())})`))
    .join(' · ');
}

function listKeys(keys: string[]): string {
  const shown = keys.slice(0, 4).join(', ');
  return keys.length > 4 ? `${shown} +${keys.length - 4} more` : shown;
}

function failureNotice(run: RunDetail, instanceNames: readonly string[]): Notice {
  const scope = runScope(run, instanceNames, 'failed');
  const verb = run.status === 'partial' ? 'Sync partly failed' : 'Sync failed';
  const category = mainCategory(run);
  const message = run.errorMessage ? shorten(redact(run.errorMessage), BODY_MAX) : 'no message was recorded';
  return {
    kind: 'failure',
    title: scope ? `${verb}: ${scope}` : verb,
    body: category ? `${describeCategory(category)}.\n${message}` : message,
    runId: run.id,
  };
}

function recoveryNotice(run: RunDetail, streak: FailureStreak, instanceNames: readonly string[]): Notice {
  const scope = runScope(run, instanceNames, 'all');
  return {
    kind: 'recovery',
    title: scope ? `Sync recovered: ${scope}` : 'Sync recovered',
    body: `Completed after ${plural(streak.failures, 'failed sync', 'failed syncs')}; ${plural(run.totalIssues, 'issue')} synced.`,
    runId: run.id,
  };
}

function mainCategory(run: RunDetail): ErrorCategory | null {
  return run.errorCategory ?? run.projects.find((project) => project.errorCategory)?.errorCategory ?? null;
}

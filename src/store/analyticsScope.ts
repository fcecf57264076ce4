/**
 * What every analytics query shares: the period and filter of project syncs it reads, the local
 * hour and weekday of a start, and what counts as a first (full) read. The analytics read the
 * recorded project syncs (`sync_project_details`), which retention keeps for `details_days`; see
 * the README's Analytics section for what lives where.
 */
import type { AnalyticsScope } from '../shared/analytics.ts';

/** Quarter hours in a week: the slots of the monthly cells (every UTC offset is a whole number of them). */
export const SLOTS_PER_WEEK = 672;

export interface ScopeParams {
  from: string;
  to: string;
  instance: string | null;
  project: string | null;
  /** The user's offset from UTC in quarter hours, as a forward shift within the week (0 to SLOTS_PER_WEEK − 1). */
  slotShift: number;
}

/** The named parameters of `DETAIL_SCOPE` for a scope ending at `nowMs`. */
export function scopeParams(scope: AnalyticsScope, nowMs: number): ScopeParams {
  if (scope.utcOffsetMinutes % 15 !== 0) throw new RangeError('utcOffsetMinutes must be a whole number of quarter hours');
  return {
    from: new Date(nowMs - scope.days * 86_400_000).toISOString(),
    to: new Date(nowMs).toISOString(),
    instance: scope.instance ?? null,
    project: scope.project ?? null,
    slotShift: (((scope.utcOffsetMinutes / 15) % SLOTS_PER_WEEK) + SLOTS_PER_WEEK) % SLOTS_PER_WEEK,
  };
}

/** Project syncs of the scope that ran to an outcome (stopped and interrupted ones say nothing about health). */
export const DETAIL_SCOPE = `d.started_at >= @from AND d.started_at < @to
  AND (@instance IS NULL OR d.instance_name = @instance) AND (@project IS NULL OR d.project_key = @project)
  AND d.status IN ('completed', 'failed')`;

/**
 * A first (full) read: every issue it processed was new, and it asked for more than the one
 * completeness count (a first sync counts to plan as well). Its cost differs from an incremental's.
 */
export const firstSync = (t = 'd') =>
  `(${t}.issues_processed > 0 AND ${t}.issues_created = ${t}.issues_processed AND ${t}.api_calls - ${t}.pages - ${t}.retries >= 2)`;

/** A successful incremental sync with issues and a duration: what duration per issue is measured on. */
export const measuredIncremental = (t = 'd') =>
  `(${t}.status = 'completed' AND NOT ${firstSync(t)} AND ${t}.duration_ms IS NOT NULL AND ${t}.issues_processed > 0)`;

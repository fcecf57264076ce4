/**
 * What every analytics query shares: the period and filter of project syncs it reads, the local
 * hour and weekday of a start, and what counts as a first (full) read. The analytics read the
 * recorded project syncs (`sync_project_details`), which retention keeps for `details_days`; see
 * the README's Analytics section for what lives where.
 */
import type { AnalyticsScope } from '../shared/analytics.ts';

export interface ScopeParams {
  from: string;
  to: string;
  instance: string | null;
  project: string | null;
  shift: string;
}

/** The named parameters of `DETAIL_SCOPE` for a scope ending at `nowMs`. */
export function scopeParams(scope: AnalyticsScope, nowMs: number): ScopeParams {
  return {
    from: new Date(nowMs - scope.days * 86_400_000).toISOString(),
    to: new Date(nowMs).toISOString(),
    instance: scope.instance ?? null,
    project: scope.project ?? null,
    shift: `${scope.utcOffsetMinutes >= 0 ? '+' : ''}${scope.utcOffsetMinutes} minutes`,
  };
}

/** Project syncs of the scope that ran to an outcome (stopped and interrupted ones say nothing about health). */
export const DETAIL_SCOPE = `d.started_at >= @from AND d.started_at < @to
  AND (@instance IS NULL OR d.instance_name = @instance) AND (@project IS NULL OR d.project_key = @project)
  AND d.status IN ('completed', 'failed')`;

/** The start's weekday (0 = Sunday) × 100 + hour (0–23) in the user's offset: one strftime per row. */
export const LOCAL_HOUR_OF_WEEK = `CAST(strftime('%w%H', d.started_at, @shift) AS INTEGER)`;

/**
 * A first (full) read: every issue it processed was new, and it asked for more than the one
 * completeness count (a first sync counts to plan as well). Its cost differs from an incremental's.
 */
export const firstSync = (t = 'd') =>
  `(${t}.issues_processed > 0 AND ${t}.issues_created = ${t}.issues_processed AND ${t}.api_calls - ${t}.pages - ${t}.retries >= 2)`;

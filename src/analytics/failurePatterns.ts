/**
 * Failure patterns: where and when syncs fail, which errors recur, which projects fail in a row and
 * since when, and what changed just before. Everything is counted in SQL (store/analyticsFailures.ts);
 * this module assembles the answer for a scope.
 */
import type { AnalyticsScope, FailureOnset, FailurePatterns } from '../shared/analytics.ts';
import type { Store } from '../store/db.ts';
import { changesBetween, failureCounts, failureStreaks, firstFailureSinceSuccess, recurringErrors } from '../store/analyticsFailures.ts';
import { scopeParams } from '../store/analyticsScope.ts';

export function getFailurePatterns(store: Store, scope: AnalyticsScope, nowMs: number): FailurePatterns {
  const params = scopeParams(scope, nowMs);
  const found = failureStreaks(store, params);
  const onsets: FailureOnset[] = [];
  for (const streak of found.filter((s) => s.current > 0)) {
    const first = firstFailureSinceSuccess(store, streak.instanceId, streak.project);
    if (!first) continue;
    onsets.push({
      instance: streak.instance,
      project: streak.project,
      startedAt: first.startedAt,
      runId: first.runId,
      category: first.category,
      lastSuccessAt: streak.lastSuccessAt,
      failuresSince: streak.current,
      changes: changesBetween(store, streak.instanceId, first.lastSuccessStart, first.startedAt, first.lastSuccessRunId),
    });
  }
  return {
    scope,
    from: params.from,
    to: params.to,
    ...failureCounts(store, params),
    streaks: found.map(({ instanceId: _id, ...streak }) => streak),
    recurring: recurringErrors(store, params),
    onsets,
  };
}

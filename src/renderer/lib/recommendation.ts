import type { Recommendation, SyncEstimate } from '../../shared/model.ts';
import { formatDuration, formatNumber } from './format.ts';

/** What applying a recommendation costs: one sync's dry run, or a schedule change's syncs and calls per day. */
export function recommendationPrice(recommendation: Recommendation, current: SyncEstimate): string {
  const perDay = recommendation.perDay;
  if (perDay) {
    return `Per day: ${formatNumber(perDay.syncsNow)} → ${formatNumber(perDay.syncsAfter)} scheduled syncs, ${formatNumber(perDay.apiCallsNow)} → ${formatNumber(perDay.apiCallsAfter)} API calls.`;
  }
  const { estimate } = recommendation;
  return `Dry run: ${formatDuration(estimate.durationMs)} and ${formatNumber(estimate.apiCalls)} API calls (now ${formatDuration(current.durationMs)}, ${formatNumber(current.apiCalls)}).`;
}

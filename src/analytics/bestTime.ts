/**
 * The best time to sync: the scope's project syncs per local hour of the week (weekday × hour),
 * each bucket's failure rate, 429 share, latency and duration per issue against the period's
 * average, combined into one relative cost; the cheapest bucket with enough syncs behind it wins.
 * With too little history for 168 buckets it falls back to the 24 hours of the day.
 */
import type { AnalyticsScope, BestTime, TimeBucket } from '../shared/analytics.ts';
import type { Store } from '../store/db.ts';
import { scopeParams } from '../store/analyticsScope.ts';
import { timeAggregates, type TimeAggregate, type TimeGranularity } from '../store/analyticsTime.ts';

export const COST_WEIGHTS = { failureRate: 0.4, rateLimitShare: 0.3, latency: 0.2, msPerIssue: 0.1 } as const;
/** A bucket needs this many syncs to be recommended; hours of the week need this many per bucket on average. */
export const MIN_SYNCS_PER_BUCKET = 3;
/** Syncs behind the best bucket for a high (medium) confidence. */
export const CONFIDENCE = { high: 10, medium: 5 } as const;

/** A figure against the period's: 1 is average; a figure that is zero (or unknown) overall costs nothing. */
const relative = (value: number | null, reference: number | null) =>
  value === null || reference === null || reference === 0 ? 0 : value / reference;

export function bucketCost(bucket: TimeAggregate, all: TimeAggregate): number {
  const cost =
    COST_WEIGHTS.failureRate * relative(bucket.failureRate, all.failureRate) +
    COST_WEIGHTS.rateLimitShare * relative(bucket.rateLimitShare, all.rateLimitShare) +
    COST_WEIGHTS.latency * relative(bucket.latencyMs, all.latencyMs) +
    COST_WEIGHTS.msPerIssue * relative(bucket.msPerIssue, all.msPerIssue);
  return Math.round(cost * 1000) / 1000;
}

export function chooseBestTime(scope: AnalyticsScope, aggregates: Record<TimeGranularity, TimeAggregate[]>): BestTime {
  const all = aggregates.all[0];
  const syncs = all?.syncs ?? 0;
  const granularity = syncs >= MIN_SYNCS_PER_BUCKET * 168 ? 'hour-of-week' : 'hour-of-day';
  const rows = aggregates[granularity];
  const buckets: TimeBucket[] = all
    ? rows.map((row) => ({ ...row, weekday: row.weekday, hour: row.hour ?? 0, cost: bucketCost(row, all) }))
    : [];
  // Ties go to the earlier bucket (the rows come ordered by weekday and hour).
  const candidates = buckets.filter((b) => b.syncs >= MIN_SYNCS_PER_BUCKET);
  const best = candidates.reduce<TimeBucket | null>((min, b) => (min === null || b.cost < min.cost ? b : min), null);
  const worst = candidates.reduce<TimeBucket | null>((max, b) => (max === null || b.cost > max.cost ? b : max), null);
  return {
    scope,
    granularity,
    minSyncsPerBucket: MIN_SYNCS_PER_BUCKET,
    syncs,
    buckets,
    best: best
      ? { ...best, confidence: best.syncs >= CONFIDENCE.high ? 'high' : best.syncs >= CONFIDENCE.medium ? 'medium' : 'low' }
      : null,
    worst,
    weights: { ...COST_WEIGHTS },
  };
}

export function getBestTime(store: Store, scope: AnalyticsScope, nowMs: number): BestTime {
  return chooseBestTime(scope, timeAggregates(store, scopeParams(scope, nowMs)));
}

/**
 * The health score, 0–100, per project, per instance and overall: five components, each scored
 * 0–100 from an SQL aggregate (store/analyticsHealth.ts) and weighted. Pure but for the reads in
 * `getHealth`. Thresholds are constants here and in the README.
 */
import type { AnalyticsScope, HealthBand, HealthComponent, HealthReport, HealthScore } from '../shared/analytics.ts';
import type { Store } from '../store/db.ts';
import { everFinished, healthAggregates, usualIntervalMs, type HealthAggregate } from '../store/analyticsHealth.ts';
import { scopeParams, type ScopeParams } from '../store/analyticsScope.ts';

export const WEIGHTS = { successRate: 0.4, freshness: 0.2, durationRegression: 0.15, retries: 0.1, rateLimits: 0.15 } as const;
/** Freshness is full up to this many expected intervals since the last success, and zero from FRESHNESS_ZERO. */
export const FRESHNESS_FULL = 1.5;
export const FRESHNESS_ZERO = 6;
/** Duration per issue up to this ratio to the baseline costs nothing; from REGRESSION_ZERO, everything. */
export const REGRESSION_FULL = 1.2;
export const REGRESSION_ZERO = 3;
/** Shares of retried and of rate-limited requests at which those components reach zero. */
export const RETRY_ZERO = 0.2;
export const RATE_LIMIT_ZERO = 0.1;
export const BANDS = { healthy: 80, warning: 50 } as const;

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
const count = (n: number) => n.toLocaleString('en-US');
/** A span for people: "42 min", "4 h 44 min", "3 days". */
export function span(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  if (minutes < 90) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.round(minutes / 1440)} days`;
}
/** Linear from 100 at `full` to 0 at `zero`. */
const ramp = (value: number, full: number, zero: number) =>
  value <= full ? 100 : value >= zero ? 0 : Math.round(((zero - value) / (zero - full)) * 1000) / 10;

export function band(score: number): HealthBand {
  return score >= BANDS.healthy ? 'healthy' : score >= BANDS.warning ? 'warning' : 'degraded';
}

export function scoreHealth(row: HealthAggregate, nowMs: number, intervalMs: number | null): HealthScore {
  const success = row.weightedSuccess ?? 0;
  const ageMs = row.lastSuccessAt ? nowMs - Date.parse(row.lastSuccessAt) : null;
  const ratio = row.recentMsPerIssue !== null && row.baselineMsPerIssue ? row.recentMsPerIssue / row.baselineMsPerIssue : null;
  const retryShare = row.apiCalls > 0 ? row.retries / row.apiCalls : 0;
  const limitShare = row.apiCalls > 0 ? row.rateLimited / row.apiCalls : 0;
  const stale = ageMs === null || row.neverSucceeded > 0;
  const components: HealthComponent[] = [
    {
      id: 'successRate',
      label: 'Success rate',
      score: Math.round(success * 1000) / 10,
      weight: WEIGHTS.successRate,
      value: success,
      reference: null,
      unit: 'share',
      detail: `${count(row.weightedSucceeded)} of the last ${count(row.weightedSyncs)} syncs succeeded (${pct(success)} weighted toward the newest)`,
    },
    {
      id: 'freshness',
      label: 'Freshness',
      score: stale ? 0 : intervalMs ? ramp(ageMs / intervalMs, FRESHNESS_FULL, FRESHNESS_ZERO) : 100,
      weight: WEIGHTS.freshness,
      value: ageMs,
      reference: intervalMs,
      unit: 'ms',
      detail: stale
        ? 'a project has not synced successfully in the period'
        : `last good sync ${span(ageMs)} ago${intervalMs ? ` (syncs are expected every ${span(intervalMs)})` : ''}`,
    },
    {
      id: 'durationRegression',
      label: 'Duration per issue',
      score: ratio === null ? 100 : ramp(ratio, REGRESSION_FULL, REGRESSION_ZERO),
      weight: WEIGHTS.durationRegression,
      value: row.recentMsPerIssue,
      reference: row.baselineMsPerIssue,
      unit: 'ms',
      detail:
        ratio === null
          ? 'too few successful syncs to compare'
          : `the latest syncs take ${ratio.toFixed(2)}× the usual time per issue (${row.recentMsPerIssue!.toFixed(0)} vs ${row.baselineMsPerIssue!.toFixed(0)} ms)`,
    },
    {
      id: 'retries',
      label: 'Retries',
      score: ramp(retryShare, 0, RETRY_ZERO),
      weight: WEIGHTS.retries,
      value: retryShare,
      reference: RETRY_ZERO,
      unit: 'share',
      detail: `${count(row.retries)} of ${count(row.apiCalls)} requests were retried (${pct(retryShare)})`,
    },
    {
      id: 'rateLimits',
      label: 'Rate limits (429)',
      score: ramp(limitShare, 0, RATE_LIMIT_ZERO),
      weight: WEIGHTS.rateLimits,
      value: limitShare,
      reference: RATE_LIMIT_ZERO,
      unit: 'share',
      detail: `${count(row.rateLimited)} of ${count(row.apiCalls)} requests were answered 429 (${pct(limitShare)})`,
    },
  ];
  const score = Math.round(components.reduce((sum, c) => sum + c.score * c.weight, 0));
  const weak = components.filter((c) => c.score < BANDS.healthy).sort((a, b) => a.score - b.score);
  return {
    instance: row.instance,
    project: row.project,
    score,
    band: band(score),
    reason: weak.length === 0 ? 'every component is healthy' : weak.map((c) => `${c.label}: ${c.detail}`).join('; '),
    syncs: row.syncs,
    components,
  };
}

export interface HealthOptions {
  /** The schedule's interval when syncs are scheduled; otherwise the usual gap between runs is used. */
  scheduleIntervalMs?: number | null;
}

const EMPTY: HealthAggregate = {
  instance: null,
  project: null,
  syncs: 0,
  weightedSuccess: null,
  weightedSyncs: 0,
  weightedSucceeded: 0,
  apiCalls: 0,
  retries: 0,
  rateLimited: 0,
  recentMsPerIssue: null,
  baselineMsPerIssue: null,
  lastSuccessAt: null,
  neverSucceeded: 0,
};

/** The overall score of a scope without a finished sync in the period: degraded if it had some before, else none yet. */
function unscored(store: Store, params: ScopeParams, days: number, empty: HealthScore): HealthScore {
  return everFinished(store, params)
    ? { ...empty, score: 0, band: 'degraded', reason: `no sync in the last ${days} days`, components: [] }
    : { ...empty, score: 0, band: 'none', reason: 'no sync has finished yet', components: [] };
}

export function getHealth(store: Store, scope: AnalyticsScope, nowMs: number, options: HealthOptions = {}): HealthReport {
  const params = scopeParams(scope, nowMs);
  const usual = options.scheduleIntervalMs ? null : usualIntervalMs(store);
  const intervalMs = options.scheduleIntervalMs ?? usual;
  const score = (row: HealthAggregate) => scoreHealth(row, nowMs, intervalMs);
  const aggregates = healthAggregates(store, params);
  const overall = aggregates.overall[0];
  return {
    scope,
    at: params.to,
    expectedIntervalMs: intervalMs,
    intervalSource: options.scheduleIntervalMs ? 'schedule' : usual ? 'history' : 'none',
    overall: overall ? score(overall) : unscored(store, params, scope.days, score(EMPTY)),
    instances: aggregates.instance.map(score),
    projects: aggregates.project.map(score),
  };
}

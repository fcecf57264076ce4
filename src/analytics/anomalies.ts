/**
 * Anomalies: after each run, every project sync in it is compared with the project's robust
 * baseline (median and MAD of its earlier successful syncs of the same kind) for duration per
 * issue, issues per sync and API latency, and its failure rate with the syncs before. A breach
 * counts only upward (slower, larger, failing more). Two breaches in a row open an anomaly; two
 * normal syncs in a row resolve it. Each state change is returned once, so the caller raises one
 * event (webhook, notification) per opening and per recovery, never one per run.
 */
import { randomUUID } from 'node:crypto';
import type { Anomaly, AnomalyChangeEvent, AnomalyList, AnomalyMetric, AnalyticsScope } from '../shared/analytics.ts';
import type { Store } from '../store/db.ts';
import {
  baselines,
  failureRates,
  getAnomaly,
  insertAnomaly,
  listAnomalyRecords,
  readSeries,
  updateAnomaly,
  watchedSyncs,
  writeSeries,
  type AnomalyRecord,
  type Baseline,
  type FailureRates,
  type SeriesKey,
  type SeriesState,
} from '../store/anomalies.ts';

/** Fewer earlier syncs than this: no baseline, nothing is judged. */
export const MIN_BASELINE = 5;
/** From this many baseline syncs the MAD rule applies; below, the percent-of-median rule. */
export const MAD_RULE_FROM = 20;
/** MAD rule: median + K × 1.4826 × MAD (1.4826 × MAD estimates a standard deviation)… */
export const MAD_K = 3;
/** …but never closer to the median than this share of it (tiny spreads would flag noise). */
export const MIN_DEVIATION = 0.2;
/** Percent rule: more than this share above the median. */
export const PERCENT_RULE = 0.5;
/** Failure rate: the recent syncs' rate above the earlier rate by this much, with at least RATE_MIN_FAILURES failures. */
export const RATE_RISE = 0.3;
export const RATE_MIN_FAILURES = 3;
/** Breaches in a row that open an anomaly, normal syncs in a row that resolve it. */
export const TO_OPEN = 2;
export const TO_RESOLVE = 2;

export interface Judgement {
  breach: boolean;
  value: number;
  threshold: number;
  rule: 'mad' | 'percent' | 'rate';
  baseline: { median: number; mad: number; runs: number };
}

export function judgeValue(value: number, baseline: Baseline): Judgement | null {
  if (baseline.runs < MIN_BASELINE) return null;
  const madRule = baseline.runs >= MAD_RULE_FROM;
  const threshold = madRule
    ? baseline.median + Math.max(MAD_K * 1.4826 * baseline.mad, MIN_DEVIATION * baseline.median)
    : baseline.median * (1 + PERCENT_RULE);
  return {
    breach: value > threshold,
    value,
    threshold,
    rule: madRule ? 'mad' : 'percent',
    baseline: { median: baseline.median, mad: baseline.mad, runs: baseline.runs },
  };
}

export function judgeFailureRate(rates: FailureRates): Judgement | null {
  if (rates.earlierSyncs < MIN_BASELINE || rates.recentSyncs === 0) return null;
  const recent = rates.recentFailures / rates.recentSyncs;
  const earlier = rates.earlierFailures / rates.earlierSyncs;
  const threshold = earlier + RATE_RISE;
  return {
    breach: recent > threshold && rates.recentFailures >= RATE_MIN_FAILURES,
    value: recent,
    threshold,
    rule: 'rate',
    baseline: { median: earlier, mad: 0, runs: rates.earlierSyncs },
  };
}

export type Transition = 'opened' | 'resolved' | null;

/** The series' next state after one judged sync, and whether that opens or resolves its anomaly. */
export function transition(state: SeriesState, breach: boolean): { state: SeriesState; change: Transition } {
  if (breach) {
    const breaches = state.breaches + 1;
    const opens = state.openAnomalyId === null && breaches >= TO_OPEN;
    return { state: { ...state, breaches, normals: 0 }, change: opens ? 'opened' : null };
  }
  const normals = state.normals + 1;
  const resolves = state.openAnomalyId !== null && normals >= TO_RESOLVE;
  return { state: { ...state, breaches: 0, normals }, change: resolves ? 'resolved' : null };
}

const METRIC_WORDS: Record<AnomalyMetric, { label: string; unit: string; digits: number }> = {
  durationPerIssue: { label: 'duration per issue', unit: ' ms', digits: 0 },
  issuesPerSync: { label: 'issues per sync', unit: '', digits: 0 },
  latency: { label: 'API latency p50', unit: ' ms', digits: 0 },
  failureRate: { label: 'failure rate', unit: '', digits: 0 },
};

export function describeAnomaly(a: AnomalyRecord): Anomaly {
  const words = METRIC_WORDS[a.metric];
  const show = (v: number) => (a.metric === 'failureRate' ? `${Math.round(v * 100)} %` : `${v.toFixed(words.digits)}${words.unit}`);
  const where = `${a.instance}/${a.project}${a.kind === 'any' ? '' : ` (${a.kind} syncs)`}`;
  const against =
    a.rule === 'rate'
      ? `against ${show(a.baselineMedian)} in the ${a.baselineRuns} syncs before`
      : `against a usual ${show(a.baselineMedian)} (threshold ${show(a.threshold)}, ${a.baselineRuns} syncs, ${a.rule === 'mad' ? 'median + 3 × 1.4826 × MAD' : '50 % above the median'})`;
  return { ...a, description: `${where}: ${words.label} ${show(a.value)} ${against}` };
}

export type AnomalyChange = AnomalyChangeEvent;

/** Judges one finished run's project syncs, updates each series, and returns the anomalies it opened or resolved. */
export function detectAnomalies(store: Store, runId: string, atMs: number): AnomalyChange[] {
  const changes: AnomalyChange[] = [];
  const at = new Date(atMs).toISOString();
  store.sqlite.transaction(() => {
    for (const sync of watchedSyncs(store, runId)) {
      const judged: Array<[SeriesKey, Judgement]> = [];
      const key = (metric: AnomalyMetric, kind: SeriesKey['kind']): SeriesKey => ({
        instance: sync.instance,
        project: sync.project,
        kind,
        metric,
      });
      const rate = judgeFailureRate(failureRates(store, sync));
      if (rate) judged.push([key('failureRate', 'any'), rate]);
      if (sync.status === 'completed') {
        for (const baseline of baselines(store, sync)) {
          const value = sync[baseline.metric as 'durationPerIssue' | 'issuesPerSync' | 'latency'];
          const judgement = value === null ? null : judgeValue(value, baseline);
          if (judgement) judged.push([key(baseline.metric, sync.kind), judgement]);
        }
      }
      for (const [series, judgement] of judged) {
        const before = readSeries(store, series);
        if (before.lastRunId === runId) continue;
        const { state, change } = transition(before, judgement.breach);
        if (change === 'opened') {
          const record: AnomalyRecord = {
            id: randomUUID(),
            ...series,
            status: 'open',
            openedAt: at,
            openedRunId: runId,
            resolvedAt: null,
            resolvedRunId: null,
            value: judgement.value,
            lastValue: judgement.value,
            baselineMedian: judgement.baseline.median,
            baselineMad: judgement.baseline.mad,
            baselineRuns: judgement.baseline.runs,
            threshold: judgement.threshold,
            rule: judgement.rule,
          };
          insertAnomaly(store, record);
          state.openAnomalyId = record.id;
          changes.push({ change, anomaly: describeAnomaly(record) });
        } else if (state.openAnomalyId) {
          const resolved = change === 'resolved';
          updateAnomaly(store, state.openAnomalyId, {
            lastValue: judgement.value,
            ...(resolved ? { resolvedAt: at, resolvedRunId: runId } : {}),
          });
          if (resolved) {
            changes.push({ change, anomaly: describeAnomaly(getAnomaly(store, state.openAnomalyId)!) });
            state.openAnomalyId = null;
          }
        }
        writeSeries(store, series, state, runId);
      }
    }
  })();
  return changes;
}

export function listAnomalies(store: Store, scope: AnalyticsScope, nowMs: number): AnomalyList {
  const records = listAnomalyRecords(store, {
    since: new Date(nowMs - scope.days * 86_400_000).toISOString(),
    instance: scope.instance ?? null,
    project: scope.project ?? null,
  });
  return { open: records.open.map(describeAnomaly), recent: records.recent.map(describeAnomaly) };
}

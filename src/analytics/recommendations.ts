/**
 * Settings changes suggested by the recorded history. Pure: each rule reads SQL aggregates from
 * the store (the dry run's basis and the performance evidence), proposes a change with the figures
 * it rests on, and the dry run (`estimateSync`) prices it next to the current settings. A rule
 * that would not help (its estimate is no faster and fixes no risk) proposes nothing.
 */
import type { Evidence, PerformanceConfig, Recommendation, Recommendations, SyncEstimate } from '../shared/model.ts';
import { PERFORMANCE_SETTINGS } from '../shared/performanceSettings.ts';
import { estimateSync, PAGE_CAP } from '../engine/estimate.ts';
import type { SyncHistoryBasis } from '../store/history.ts';
import type { PerformanceEvidence } from '../store/performanceEvidence.ts';
import type { ScheduleEvidence } from '../store/scheduleEvidence.ts';
import { recommendSchedule } from './scheduleRecommendation.ts';

export interface RecommendationInput {
  config: PerformanceConfig;
  basis: SyncHistoryBasis;
  evidence: PerformanceEvidence;
  /** The schedule's interval while syncs are scheduled (null when they are not), and its runs. */
  schedule?: { intervalMinutes: number | null; evidence: ScheduleEvidence };
}

/** A page round trip this slow leaves workers waiting most of the time: more of them overlap more. */
export const HIGH_LATENCY_MS = 150;
/** A share of 429s above this is worth slowing down for. */
export const RATE_LIMIT_SHARE = 0.01;
/** A recorded duration this close to its limit is one slow day away from failing. */
export const NEAR_LIMIT = 0.8;
/** A speed-up smaller than this is not worth a change. */
const WORTHWHILE_SPEEDUP = 0.9;

type Proposal = Omit<Recommendation, 'estimate'> & { mustBeFaster: boolean };
type Rule = (input: RecommendationInput) => Proposal | null;

const share = (window: { apiCalls: number; rateLimited: number }) => (window.apiCalls > 0 ? window.rateLimited / window.apiCalls : 0);
const clamp = (key: 'maxWorkers' | 'projectTimeout' | 'requestTimeout' | 'rateLimitPause', value: number) =>
  Math.min(PERFORMANCE_SETTINGS[key].max, Math.max(PERFORMANCE_SETTINGS[key].min, value));

/** Latency is high, no 429s were seen, there is more work than workers and the pool has room. */
export const raiseWorkers: Rule = ({ config, basis, evidence }) => {
  const latency = basis.latencyMs;
  const limited = evidence.recent.rateLimited + evidence.earlier.rateLimited;
  const projects = basis.projects.length;
  const poolRoom = config.connectionPoolBlock ? config.connectionPoolSize : PERFORMANCE_SETTINGS.maxWorkers.max;
  const target = clamp('maxWorkers', Math.min(config.maxWorkers * 2, projects, poolRoom));
  if (latency === null || latency < HIGH_LATENCY_MS || limited > 0 || target <= config.maxWorkers) return null;
  return {
    id: 'raise-workers',
    title: `Raise max_workers to ${target}`,
    reason: `Requests take ${Math.round(latency)} ms while Jira never answered 429: more projects can wait for Jira at the same time, and the connection pool has room for them.`,
    change: { maxWorkers: target },
    evidence: [
      { label: 'API latency p50', value: latency, unit: 'ms' },
      { label: 'Rate-limited responses (429)', value: limited, unit: 'count' },
      { label: 'Projects per sync', value: projects, unit: 'count' },
      { label: 'max_workers', value: config.maxWorkers, unit: 'workers' },
      { label: 'connection_pool_size', value: config.connectionPoolSize, unit: 'connections' },
    ],
    mustBeFaster: true,
  };
};

/** The share of 429s is noticeable and rose against the runs before. */
export const slowDown: Rule = ({ config, evidence }) => {
  const recent = share(evidence.recent);
  const earlier = share(evidence.earlier);
  if (recent <= RATE_LIMIT_SHARE || (evidence.earlier.apiCalls > 0 && recent <= earlier)) return null;
  const pause = clamp('rateLimitPause', Math.max(config.rateLimitPause + 0.1, Math.round(config.maxWorkers * recent * 10) / 10));
  const change: Partial<PerformanceConfig> = { rateLimitPause: Math.round(pause * 10) / 10 };
  if (recent > 0.05 && config.maxWorkers > 1) change.maxWorkers = Math.ceil(config.maxWorkers / 2);
  const evidenceList: Evidence[] = [
    { label: '429 share, recent runs', value: recent, unit: 'share' },
    { label: '429 share, runs before', value: earlier, unit: 'share' },
    { label: 'Rate-limited responses (429), recent runs', value: evidence.recent.rateLimited, unit: 'count' },
    { label: 'rate_limit_pause', value: config.rateLimitPause, unit: 's' },
  ];
  return {
    id: 'slow-down',
    title: change.maxWorkers
      ? `Pause ${change.rateLimitPause} s between requests and use ${change.maxWorkers} workers`
      : `Pause ${change.rateLimitPause} s between requests`,
    reason: `${(recent * 100).toFixed(1)} % of recent requests were rate-limited (${(earlier * 100).toFixed(1)} % before): every 429 costs a retry and a wait. Spreading requests out keeps the sync under Jira's limit.`,
    change,
    evidence: evidenceList,
    mustBeFaster: false,
  };
};

/** A project's recorded duration approaches project_timeout, or projects already timed out. */
export const raiseProjectTimeout: Rule = ({ config, basis, evidence }) => {
  const limitMs = config.projectTimeout * 1000;
  const slowest = basis.slowestProject;
  const near = slowest !== null && slowest.durationMs >= NEAR_LIMIT * limitMs;
  if (!near && evidence.timeoutFailures === 0) return null;
  const wantedS = Math.max(config.projectTimeout * 2, slowest ? Math.ceil((slowest.durationMs * 2) / 1000) : 0);
  const target = clamp('projectTimeout', Math.ceil(wantedS / 60) * 60);
  if (target <= config.projectTimeout) return null;
  return {
    id: 'raise-project-timeout',
    title: `Raise project_timeout to ${target} s`,
    reason: slowest
      ? `${slowest.key} took ${Math.ceil(slowest.durationMs / 1000)} s, ${Math.round((slowest.durationMs / limitMs) * 100)} % of project_timeout (${config.projectTimeout} s): a slower day fails it with Timeout.`
      : `${evidence.timeoutFailures} project syncs failed with Timeout recently.`,
    change: { projectTimeout: target },
    evidence: [
      ...(slowest ? [{ label: `Slowest project (${slowest.key})`, value: slowest.durationMs, unit: 'ms' as const }] : []),
      { label: 'project_timeout', value: config.projectTimeout, unit: 's' },
      { label: 'Projects failed with Timeout', value: evidence.timeoutFailures, unit: 'count' },
    ],
    mustBeFaster: false,
  };
};

/** The slowest recorded response approaches request_timeout. */
export const raiseRequestTimeout: Rule = ({ config, basis }) => {
  const slowest = basis.latencyMaxMs;
  if (slowest === null || slowest < NEAR_LIMIT * config.requestTimeout * 1000) return null;
  const target = clamp('requestTimeout', Math.ceil((slowest * 2) / 1000));
  if (target <= config.requestTimeout) return null;
  return {
    id: 'raise-request-timeout',
    title: `Raise request_timeout to ${target} s`,
    reason: `The slowest recorded response took ${(slowest / 1000).toFixed(1)} s, close to request_timeout (${config.requestTimeout} s): such requests are retried as timeouts, repeating their work.`,
    change: { requestTimeout: target },
    evidence: [
      { label: 'Slowest response', value: slowest, unit: 'ms' },
      { label: 'request_timeout', value: config.requestTimeout, unit: 's' },
    ],
    mustBeFaster: false,
  };
};

/** Pages smaller than the server returns cost extra round trips. */
export const fullPages: Rule = ({ config, basis }) => {
  const flavors = [...new Set(basis.projects.map((p) => p.flavor))];
  if (flavors.length === 0) return null;
  const cap = Math.min(...flavors.map((flavor) => PAGE_CAP[flavor]));
  if (config.batchSize >= cap) return null;
  const pages = basis.projects.reduce((n, p) => n + p.pages, 0);
  return {
    id: 'full-pages',
    title: `Raise batch_size to ${cap}`,
    reason: `Jira returns up to ${cap} issues per page here; batch_size ${config.batchSize} asks for fewer, so every sync makes more round trips than it needs.`,
    change: { batchSize: cap },
    evidence: [
      { label: 'Pages in the latest syncs', value: pages, unit: 'count' },
      { label: 'batch_size', value: config.batchSize, unit: 'issues' },
      { label: 'Server page cap', value: cap, unit: 'issues' },
    ],
    mustBeFaster: true,
  };
};

/** Workers wait for a connection: the pool blocks and is smaller than max_workers. */
export const raisePool: Rule = ({ config, basis }) => {
  if (!config.connectionPoolBlock || config.connectionPoolSize >= config.maxWorkers || basis.projects.length <= config.connectionPoolSize)
    return null;
  return {
    id: 'raise-pool',
    title: `Raise connection_pool_size to ${config.maxWorkers}`,
    reason: `${config.maxWorkers} workers share ${config.connectionPoolSize} connections: ${config.maxWorkers - config.connectionPoolSize} of them wait for one instead of asking Jira.`,
    change: { connectionPoolSize: config.maxWorkers },
    evidence: [
      { label: 'max_workers', value: config.maxWorkers, unit: 'workers' },
      { label: 'connection_pool_size', value: config.connectionPoolSize, unit: 'connections' },
      { label: 'Projects per sync', value: basis.projects.length, unit: 'count' },
    ],
    mustBeFaster: true,
  };
};

export const RULES: Rule[] = [slowDown, raiseProjectTimeout, raiseRequestTimeout, raiseWorkers, raisePool, fullPages];

function worthIt(proposal: Proposal, estimate: SyncEstimate, current: SyncEstimate): boolean {
  return !proposal.mustBeFaster || estimate.durationMs < current.durationMs * WORTHWHILE_SPEEDUP;
}

export function recommend(input: RecommendationInput): Recommendations {
  const current = estimateSync(input.config, input.basis);
  const recommendations: Recommendation[] = [];
  if (input.basis.runsConsidered > 0) {
    for (const rule of RULES) {
      const proposal = rule(input);
      if (!proposal) continue;
      const estimate = estimateSync({ ...input.config, ...proposal.change }, input.basis);
      if (!worthIt(proposal, estimate, current)) continue;
      const { mustBeFaster: _mustBeFaster, ...recommendation } = proposal;
      recommendations.push({ ...recommendation, estimate });
    }
  }
  const schedule = input.schedule ? recommendSchedule(input.schedule.intervalMinutes, input.schedule.evidence, current) : null;
  if (schedule) recommendations.push(schedule);
  return { runsConsidered: input.basis.runsConsidered, current, recommendations };
}

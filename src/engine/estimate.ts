/**
 * The dry run: what a sync with a proposed configuration will cost, predicted from recorded history
 * (issue counts per project, page latency, 429 share, engine time per issue) or from a live probe
 * of the server, and the settings that look wrong for what was observed. Pure: no I/O here.
 */
import type { EstimateWarning, Flavor, PerformanceConfig, SyncEstimate } from '../shared/model.ts';
import type { SyncHistoryBasis } from '../store/history.ts';
import { splittable } from './plan.ts';

/** The most issues a search page returns with full fields, whatever `maxResults` asks. */
export const PAGE_CAP: Record<Flavor, number> = { cloud: 100, datacenter: 1000 };
/** Requests of an instance's setup: /myself, the project list and serverInfo, all at once. */
const SETUP_CALLS_PER_INSTANCE = 3;

export interface EstimateProject {
  flavor: Flavor;
  issues: number;
  /** A first (full) read plans its fetch: counts, and for a large project, its ranges. */
  firstSync: boolean;
}

/** Longest-processing-time-first onto `workers` lanes: the makespan of independent jobs. */
export function makespan(jobsMs: number[], workers: number): number {
  const lanes = new Array<number>(Math.max(1, workers)).fill(0);
  for (const job of [...jobsMs].sort((a, b) => b - a)) {
    let lightest = 0;
    for (let i = 1; i < lanes.length; i++) if (lanes[i]! < lanes[lightest]!) lightest = i;
    lanes[lightest]! += job;
  }
  return Math.max(...lanes);
}

export interface LiveProbe {
  projects: EstimateProject[];
  latencyMs: number;
  instances: number;
  uncounted: Array<{ instance: string; reason: string }>;
}

export function estimateSync(config: PerformanceConfig, basis: SyncHistoryBasis, live?: LiveProbe): SyncEstimate {
  const projects: EstimateProject[] = live?.projects ?? basis.projects;
  const latencyMs = live?.latencyMs ?? basis.latencyMs ?? 0;
  const instances = live?.instances ?? new Set(basis.projects.map((p) => `${p.instanceName}`)).size;
  const workers = config.connectionPoolBlock ? Math.min(config.maxWorkers, config.connectionPoolSize) : config.maxWorkers;
  const retryShare = basis.rateLimitedShare;
  const retryWaitMs = config.backoffFactor * 1000;

  const jobs = projects.map((project) => {
    const pageSize = Math.min(config.batchSize, PAGE_CAP[project.flavor]);
    const pages = Math.max(1, Math.ceil(project.issues / pageSize));
    // Workers left over when there are fewer projects than workers go to cutting the large ones.
    const plan = fetchPlan(config, project, Math.max(1, Math.floor(workers / Math.max(1, projects.length))));
    // Every project is counted beside its first page, to check the mirror holds what Jira lists (a
    // first sync's plan uses that same count).
    const requests = pages + Math.max(1, plan.calls);
    // A split project's pages are read by several workers, each after the planning round trips.
    const pagesPerPart = Math.ceil(pages / plan.parts);
    const partMs = (plan.roundTrips + pagesPerPart) * latencyMs + (pagesPerPart - 1) * config.rateLimitPause * 1000;
    const partsMs = Array.from({ length: plan.parts }, () => partMs + pagesPerPart * retryShare * (latencyMs + retryWaitMs));
    return { requests, partsMs, expectedRetries: pages * retryShare };
  });
  const expectedIssues = projects.reduce((n, p) => n + p.issues, 0);
  // Requests of different workers overlap; the engine's own work per issue runs on one thread.
  const waitingMs = makespan(
    jobs.flatMap((j) => j.partsMs),
    workers,
  );
  const engineMs = expectedIssues * basis.cpuMsPerIssue;
  // The first project starts once /myself and the project list have answered: one round trip.
  const setupMs = live ? latencyMs : basis.setupMs;
  const apiCalls = Math.round(instances * SETUP_CALLS_PER_INSTANCE + jobs.reduce((n, j) => n + j.requests + j.expectedRetries, 0));

  return {
    basis: live ? 'probe' : basis.runsConsidered > 0 ? 'history' : 'none',
    runsConsidered: basis.runsConsidered,
    projects: projects.length,
    expectedIssues,
    apiCalls,
    durationMs: Math.round(setupMs + Math.max(waitingMs, engineMs)),
    peakConcurrency: Math.min(workers, Math.max(1, projects.length)),
    latencyMs: Math.round(latencyMs),
    warnings: [
      ...warningsFor(config, basis, projects),
      ...(live?.uncounted ?? []).map(({ instance, reason }) => ({
        code: 'count-unavailable',
        message: `${instance}: Jira could not count issues (${reason}); its project sizes come from recorded syncs.`,
      })),
    ],
  };
}

/**
 * What a project's fetch costs besides its pages (see plan.ts and runUnits): nothing for an
 * incremental sync; one count for a first sync; for one large enough to cut while workers are
 * free, about two counts per cut, placed a few round trips apart, after which its pages go to
 * every free worker.
 */
function fetchPlan(
  config: PerformanceConfig,
  project: EstimateProject,
  freeWorkers: number,
): { calls: number; roundTrips: number; parts: number } {
  if (!project.firstSync) return { calls: 0, roundTrips: 0, parts: 1 };
  if (!splittable(config, project.issues) || freeWorkers <= 1) return { calls: 1, roundTrips: 1, parts: 1 };
  const parts = Math.min(freeWorkers, Math.max(1, Math.floor(project.issues / (4 * config.batchSize))));
  return { calls: 1 + 2 * (parts - 1), roundTrips: 1 + 2 * Math.ceil(Math.log2(parts)), parts };
}

function warningsFor(config: PerformanceConfig, basis: SyncHistoryBasis, projects: EstimateProject[]): EstimateWarning[] {
  const warnings: EstimateWarning[] = [];
  if (config.connectionPoolBlock && config.maxWorkers > config.connectionPoolSize) {
    warnings.push({
      code: 'workers-above-pool',
      message: `max_workers (${config.maxWorkers}) is above connection_pool_size (${config.connectionPoolSize}): ${config.maxWorkers - config.connectionPoolSize} workers will wait for a connection.`,
    });
  }
  const capped = [...new Set(projects.map((p) => p.flavor))].filter((flavor) => config.batchSize > PAGE_CAP[flavor]);
  for (const flavor of capped) {
    warnings.push({
      code: 'batch-above-server-cap',
      message: `batch_size ${config.batchSize} is above what Jira ${flavor === 'cloud' ? 'Cloud' : 'Data Center'} returns per page (${PAGE_CAP[flavor]}${flavor === 'datacenter' ? ' by default' : ' with full fields'}): it behaves like ${PAGE_CAP[flavor]}.`,
    });
  }
  if (basis.rateLimitedShare > 0.01) {
    // Spread the observed request rate so that it would have stayed under the limit.
    const suggested = Math.max(0.1, Math.round(config.maxWorkers * basis.rateLimitedShare * 10) / 10);
    if (config.rateLimitPause < suggested) {
      warnings.push({
        code: 'pause-below-rate-limit',
        message: `${(basis.rateLimitedShare * 100).toFixed(1)} % of recent requests were rate-limited (429); rate_limit_pause ${config.rateLimitPause} s is short — try at least ${suggested} s or fewer workers.`,
      });
    }
  }
  if (basis.slowestProject && basis.slowestProject.durationMs > config.projectTimeout * 1000) {
    warnings.push({
      code: 'timeout-below-history',
      message: `project_timeout (${config.projectTimeout} s) is shorter than ${basis.slowestProject.key}'s recorded ${Math.ceil(basis.slowestProject.durationMs / 1000)} s: it would fail with Timeout.`,
    });
  }
  if (basis.latencyMaxMs !== null && basis.latencyMaxMs > config.requestTimeout * 1000) {
    warnings.push({
      code: 'request-timeout-below-latency',
      message: `request_timeout (${config.requestTimeout} s) is below the slowest recorded response (${(basis.latencyMaxMs / 1000).toFixed(1)} s): such requests would be retried as timeouts.`,
    });
  }
  return warnings;
}

/**
 * Runs one sync: creates the `sync_runs` row, syncs every project of every instance (several at
 * once), records each project in `sync_project_details`, and always finalizes the run — on
 * success, failure and stop alike. Every run gets fresh statistics objects; nothing is reused.
 */
import pLimit from 'p-limit';
import { hostname } from 'node:os';
import type { ErrorCategory, Flavor, Initiator, PerformanceConfig, Run, SyncProgress } from '../shared/model.ts';
import { getPerformanceConfig } from '../store/config.ts';
import type { Store } from '../store/db.ts';
import { createIssueWriter } from '../store/issues.ts';
import { getProjectCursor, markProjectSynced, upsertProject } from '../store/instances.ts';
import {
  createRun,
  finalizeRun,
  finishProjectDetail,
  insertMetricSamples,
  refreshRunCounters,
  setRunProjectCount,
  startProjectDetail,
} from '../store/runs.ts';
import { SyncError, toSyncError } from './errors.ts';
import { JiraHttp, RequestStats, sleep } from './http.ts';
import { cloudClient, dataCenterClient, type JiraClient, type JiraProject } from './jira.ts';
import { MetricSampler } from './metrics.ts';
import { normalizePage } from './normalize.ts';
import { ProgressTracker } from './progress.ts';

/** An instance with its credentials resolved by the host (tokens never touch the database). */
export interface PlannedInstance {
  id: string;
  name: string;
  url: string;
  flavor: Flavor;
  email: string | null;
  token: string;
}

export interface SyncPlan {
  runId: string;
  initiatedBy: Initiator;
  instances: PlannedInstance[];
  /** Restrict the run to these project keys (all visible projects when absent). */
  projects?: string[];
}

export interface SyncCallbacks {
  onRun?: (run: Run) => void;
  onProgress?: (progress: SyncProgress) => void;
}

/** Re-reading overlaps the cursor by this much: JQL has minute precision and search lags behind writes. */
export const CURSOR_OVERLAP_MS = 5 * 60_000;

interface ProjectTask {
  instance: PlannedInstance;
  client: JiraClient;
  project: JiraProject;
}

interface Failure {
  scope: string;
  error: SyncError;
}

export function buildJql(projectKey: string, sinceMs: number | null): string {
  const restriction = sinceMs === null ? '' : ` AND updated >= ${Math.floor(sinceMs)}`;
  return `project = "${projectKey}"${restriction} ORDER BY updated ASC, key ASC`;
}

export async function runSync(store: Store, plan: SyncPlan, signal: AbortSignal, callbacks: SyncCallbacks = {}): Promise<Run> {
  const getConfig = (): PerformanceConfig => getPerformanceConfig(store);
  const startConfig = getConfig();
  const run = createRun(store, {
    id: plan.runId,
    initiatedBy: plan.initiatedBy,
    performanceConfig: startConfig,
    ownerPid: process.pid,
    ownerHost: hostname(),
  });
  callbacks.onRun?.(run);
  const progress = new ProgressTracker(run.id, (p) => callbacks.onProgress?.(p));
  const writer = createIssueWriter(store);
  const failures: Failure[] = [];
  const allStats: RequestStats[] = [];
  let issuesSeen = 0;
  const sampler = new MetricSampler(() => ({ issues: issuesSeen, latenciesMs: allStats.flatMap((s) => s.latenciesMs) }));
  const heartbeat = setInterval(() => callbacks.onRun?.(refreshRunCounters(store, run.id)), 5000);
  heartbeat.unref();
  sampler.start();

  const publish = () => callbacks.onRun?.(refreshRunCounters(store, run.id));

  try {
    const tasks = await planTasks(plan, getConfig, signal, failures, allStats);
    setRunProjectCount(store, run.id, tasks.length);
    for (const task of tasks) progress.add(task.instance.name, task.project.key);
    progress.flush();
    publish();

    const limit = pLimit(startConfig.maxWorkers);
    await Promise.all(
      tasks.map((task) =>
        limit(async () => {
          // Concurrency changes apply from the next project on.
          limit.concurrency = getConfig().maxWorkers;
          if (signal.aborted) return;
          const error = await syncProject(task);
          if (error) failures.push({ scope: `${task.instance.name}/${task.project.key}`, error });
        }),
      ),
    );
  } catch (error) {
    failures.push({ scope: 'run', error: toSyncError(error) });
  } finally {
    clearInterval(heartbeat);
    sampler.sample();
    sampler.stop();
    insertMetricSamples(store, run.id, sampler.drain());
  }
  progress.flush();
  const final = finalizeRun(store, run.id, outcome(store, run.id, signal, failures));
  callbacks.onRun?.(final);
  return final;

  async function syncProject({ instance, client, project }: ProjectTask): Promise<SyncError | null> {
    const stats = new RequestStats();
    allStats.push(stats);
    const detailId = startProjectDetail(store, {
      runId: run.id,
      instanceId: instance.id,
      instanceName: instance.name,
      projectKey: project.key,
    });
    progress.update(instance.name, project.key, { status: 'running' });
    const timeoutMs = getConfig().projectTimeout * 1000;
    const projectSignal = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
    let failure: SyncError | null = null;
    try {
      upsertProject(store, instance.id, project.key, project.id, project.name);
      const cursor = getProjectCursor(store, instance.id, project.key);
      const lookbackDays = getConfig().lookbackDays;
      const since =
        cursor.cursorUpdatedMs !== null
          ? cursor.cursorUpdatedMs - CURSOR_OVERLAP_MS
          : lookbackDays > 0
            ? Date.now() - lookbackDays * 86_400_000
            : null;
      const jql = buildJql(project.key, since);
      let position: string | null = null;
      let pages = 0;
      let issues = 0;
      do {
        if (pages > 0) await sleep(getConfig().rateLimitPause * 1000, projectSignal);
        const page = await client.search(jql, getConfig().batchSize, position, stats, projectSignal);
        const normalized = normalizePage(page.issues);
        writer.commit({ instanceId: instance.id, projectKey: project.key, runId: run.id, projectDetailId: detailId, issues: normalized });
        pages += 1;
        issues += normalized.length;
        issuesSeen += normalized.length;
        position = page.next;
        progress.update(instance.name, project.key, { pages, issues, expectedIssues: page.total });
        publish();
      } while (position !== null);
      markProjectSynced(store, instance.id, project.key);
    } catch (error) {
      failure = projectFailure(error, signal, projectSignal, getConfig().projectTimeout);
    }
    const status = failure === null ? 'completed' : failure.category === 'Cancelled' ? 'stopped' : 'failed';
    finishProjectDetail(store, detailId, {
      status,
      errorMessage: failure?.message ?? null,
      errorCategory: failure?.category ?? null,
      apiCalls: stats.apiCalls,
      retries: stats.retries,
      rateLimited: stats.rateLimited,
      latencyP50Ms: stats.percentile(0.5),
      latencyP95Ms: stats.percentile(0.95),
      latencyMaxMs: stats.percentile(1),
    });
    progress.update(instance.name, project.key, { status });
    publish();
    return failure?.category === 'Cancelled' ? null : failure;
  }
}

function projectFailure(error: unknown, runSignal: AbortSignal, projectSignal: AbortSignal, timeoutS: number): SyncError {
  if (runSignal.aborted) return new SyncError('Cancelled', 'the sync was stopped');
  if (projectSignal.aborted) return new SyncError('Timeout', `the project took longer than project_timeout (${timeoutS} s)`);
  return toSyncError(error);
}

/** Connects to each instance and lists the projects to sync; an instance that fails is recorded whole. */
async function planTasks(
  plan: SyncPlan,
  getConfig: () => PerformanceConfig,
  signal: AbortSignal,
  failures: Failure[],
  allStats: RequestStats[],
): Promise<ProjectTask[]> {
  const tasks: ProjectTask[] = [];
  const wanted = plan.projects && plan.projects.length > 0 ? new Set(plan.projects) : null;
  const found = new Set<string>();
  for (const instance of plan.instances) {
    const http = new JiraHttp({
      baseUrl: instance.url,
      credentials: { flavor: instance.flavor, email: instance.email, token: instance.token },
      getConfig,
    });
    const client = instance.flavor === 'cloud' ? cloudClient(http) : dataCenterClient(http);
    const stats = new RequestStats();
    allStats.push(stats);
    try {
      // /myself first: bad credentials fail the instance at once, before any project work.
      await client.myself(stats, signal);
      const projects = await client.listProjects(stats, signal);
      for (const project of projects) {
        if (wanted && !wanted.has(project.key)) continue;
        found.add(project.key);
        tasks.push({ instance, client, project });
      }
    } catch (error) {
      if (signal.aborted) throw new SyncError('Cancelled', 'the sync was stopped');
      const failure = toSyncError(error);
      failures.push({ scope: instance.name, error: new SyncError(failure.category, `${instance.name}: ${http.redact(failure.message)}`) });
    }
  }
  // A project asked for by key but not listed is still attempted: its search fails with Jira's own
  // answer (400 for a deleted or invisible project), recorded on the project like any other failure.
  const fallback = tasks[0] ?? null;
  for (const key of wanted ?? []) {
    if (!found.has(key) && fallback) tasks.push({ ...fallback, project: { id: '', key, name: key } });
  }
  return tasks;
}

function outcome(store: Store, runId: string, signal: AbortSignal, failures: Failure[]) {
  if (signal.aborted) return { status: 'stopped' as const, errorMessage: 'Stopped by the user; committed pages were kept.', errorCategory: 'Cancelled' as const };
  if (failures.length === 0) return { status: 'completed' as const };
  const run = refreshRunCounters(store, runId);
  const categories = new Map<ErrorCategory, number>();
  for (const { error } of failures) categories.set(error.category, (categories.get(error.category) ?? 0) + 1);
  const errorCategory = [...categories.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const first = failures[0]!;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more failure${failures.length > 2 ? 's' : ''})` : '';
  const scope = first.error.message.startsWith(`${first.scope}:`) ? '' : `${first.scope}: `;
  const errorMessage = `${scope}${first.error.message}${more}`;
  return { status: run.successfulProjects > 0 ? ('partial' as const) : ('failed' as const), errorMessage, errorCategory };
}

/**
 * Runs one sync: creates the `sync_runs` row, syncs every project of every instance through one
 * pool of workers, records each project in `sync_project_details`, and always finalizes the run —
 * on success, failure and stop alike. Every run gets fresh statistics objects; nothing is reused.
 */
import pLimit from 'p-limit';
import { hostname } from 'node:os';
import type { ErrorCategory, Flavor, Initiator, PerformanceConfig, Run, SyncProgress } from '../shared/model.ts';
import { getPerformanceConfig } from '../store/config.ts';
import type { Store } from '../store/db.ts';
import { createIssueWriter } from '../store/issues.ts';
import { analyzeIssuesIfChanged, optimizeIssueIndexAfter, pruneIssueTextChanges } from '../store/issueIndex.ts';
import { markProjectSynced, setRepairReason, upsertProject } from '../store/instances.ts';
import {
  addRunNotice,
  createRun,
  finalizeRun,
  finishProjectDetail,
  insertMetricSamples,
  recordRunInstanceVersion,
  recordRunPeaks,
  recordVerification,
  refreshRunCounters,
  setRunProjectCount,
  startProjectDetail,
} from '../store/runs.ts';
import { SyncError, toSyncError } from './errors.ts';
import { RequestStats, type JiraHttp } from './http.ts';
import { connectInstance } from './jira.ts';
import { ActiveTimeout } from './activeTimeout.ts';
import { MetricSampler } from './metrics.ts';
import { ProgressTracker } from './progress.ts';
import { inlinePages } from './parsePage.ts';
import { groupCommits } from './pageGroups.ts';
import { PageThread, pageThreadEnabled } from './pageThread.ts';
import { startCheckpointer } from '../store/checkpointer.ts';
import { planUnits } from './plan.ts';
import { completeUnits, sweepDue, type ProjectContext } from './projectSync.ts';
import { setUpInstance, unlistedTasks, type ProjectTask } from './setup.ts';
import { runUnits } from './units.ts';
import { countCheck, countWindow, integrityFailure, sweepCheck, verificationWindow, type VerificationWindow } from './verify.ts';

/** An instance with its credentials resolved by the host (tokens never touch the database). */
export interface PlannedInstance {
  id: string;
  name: string;
  url: string;
  flavor: Flavor;
  email: string | null;
  token: string;
  /** The instance's chosen projects; absent or null mirrors every project the server lists. */
  projects?: string[] | null;
}

export interface SyncPlan {
  runId: string;
  initiatedBy: Initiator;
  instances: PlannedInstance[];
  /** Restrict the run to these project keys (all visible projects when absent). */
  projects?: string[];
  /** Sweep every project for deletions and moves, whatever `sweepEvery` says. */
  sweep?: boolean;
}

export interface SyncCallbacks {
  onRun?: (run: Run) => void;
  onProgress?: (progress: SyncProgress) => void;
  /** The page thread's entry (pageWorker.ts); without it pages are parsed and written on the engine thread. */
  pageWorkerUrl?: URL;
  /** The entry of the thread that checkpoints the database while the run writes; without it the writer does. */
  checkpointerEntry?: URL;
}

export interface Failure {
  scope: string;
  error: SyncError;
}

export async function runSync(store: Store, plan: SyncPlan, signal: AbortSignal, callbacks: SyncCallbacks = {}): Promise<Run> {
  const getConfig = liveConfig(store);
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
  const failures: Failure[] = [];
  const allStats: RequestStats[] = [];
  const connections: JiraHttp[] = [];
  // The pages' writer only appends to the log while another thread copies it back (a backstop of
  // 16,000 pages, ~250 MB, should that thread fall behind); the usual threshold returns after the run.
  const checkpointer = callbacks.checkpointerEntry ? startCheckpointer(callbacks.checkpointerEntry, store.file) : null;
  const autocheckpointPages = checkpointer ? 16_000 : 1000;
  store.sqlite.pragma(`wal_autocheckpoint = ${autocheckpointPages}`);
  const pageThread =
    callbacks.pageWorkerUrl && pageThreadEnabled()
      ? new PageThread(callbacks.pageWorkerUrl, { dbFile: store.file, autocheckpointPages })
      : null;
  // Pages wait for others until every worker has one waiting (pageGroups.ts); not with a pause
  // between requests, where the next request waits for the page's write.
  const writers = () => (getConfig().rateLimitPause > 0 ? 0 : getConfig().maxWorkers);
  const parsePage = pageThread?.pages ?? inlinePages(groupCommits(createIssueWriter(store), { gather: { writers } }));
  let issuesSeen = 0;
  const sampler = new MetricSampler(() => ({ issues: issuesSeen, latenciesMs: allStats.flatMap((s) => s.latenciesMs) }));
  // Run counters are recomputed for the UI at most a few times a second, and at every project's end.
  let publishedAt = 0;
  const publish = (force = false) => {
    const now = performance.now();
    if (!force && now - publishedAt < 250) return;
    publishedAt = now;
    callbacks.onRun?.(refreshRunCounters(store, run.id));
  };
  // Every 5 s: a heartbeat (so other processes see the run is alive) and the metric samples so far,
  // so a long run can be charted while it runs and a crash loses at most 5 s of samples.
  const heartbeat = setInterval(() => {
    publish(true);
    insertMetricSamples(store, run.id, sampler.drain());
  }, 5000);
  heartbeat.unref();
  sampler.start();
  // One pool for every request-making job of the run: planning, ranges of split projects, sweeps.
  const limit = pLimit(startConfig.maxWorkers);
  const inPool = <T>(job: () => Promise<T>) =>
    limit(() => {
      // Concurrency changes apply from the next job on.
      limit.concurrency = getConfig().maxWorkers;
      return job();
    });

  // Setup failures in the plan's order, ahead of the projects' (the run's message names the first).
  const setupFailures: Array<Failure | null> = [];
  try {
    let projectCount = 0;
    /** Syncs one instance's projects; sweeps wait until all of them have fetched their changes. */
    const syncGroup = async (tasks: ProjectTask[]) => {
      if (tasks.length === 0) return;
      projectCount += tasks.length;
      setRunProjectCount(store, run.id, projectCount);
      for (const task of tasks) progress.add(task.instance.name, task.project.key);
      progress.flush();
      publish(true);
      // An issue moved between two mirrored projects of the instance is then already filed under
      // its new project, and is not counted as deleted.
      const fetched = tasks.map(() => Promise.withResolvers<void>());
      const allFetched = Promise.all(fetched.map((f) => f.promise));
      await Promise.all(
        tasks.map(async (task, i) => {
          const error = await syncProject(task, fetched[i]!.resolve, allFetched);
          if (error) failures.push({ scope: `${task.instance.name}/${task.project.key}`, error });
        }),
      );
    };
    // Every instance at once, and each one's projects as soon as it has answered: an instance slow
    // to answer (or failing) holds up no other.
    const setups = await Promise.all(
      plan.instances.map(async (instance, i) => {
        const { http, client } = connectInstance(instance, getConfig, parsePage);
        connections.push(http);
        const stats = new RequestStats();
        allStats.push(stats);
        const setup = await setUpInstance(instance, http, client, plan.projects, stats, signal);
        setupFailures[i] = setup.failure;
        await syncGroup(setup.tasks);
        const jiraVersion = await setup.jiraVersion();
        if (jiraVersion) recordRunInstanceVersion(store, run.id, instance, jiraVersion);
        return setup;
      }),
    );
    await syncGroup(unlistedTasks(plan.projects, setups));
  } catch (error) {
    failures.push({ scope: 'run', error: toSyncError(error) });
  } finally {
    await Promise.all([...connections.map((http) => http.close()), pageThread?.close(), checkpointer?.stop()]);
    if (checkpointer) store.sqlite.pragma('wal_autocheckpoint = 1000');
    clearInterval(heartbeat);
    sampler.sample();
    sampler.stop();
    insertMetricSamples(store, run.id, sampler.drain());
    recordRunPeaks(store, run.id, sampler.peaks);
  }
  progress.flush();
  const allFailures = [...setupFailures.filter((f): f is Failure => f !== null), ...failures];
  const final = finalizeRun(store, run.id, outcome(store, run.id, signal, allFailures));
  callbacks.onRun?.(final);
  // After the run is shown finished, on this thread (the host's active run ends with it); not when
  // stopped or quitting, where the wait would be the user's. The next large run merges instead.
  if (!signal.aborted) {
    optimizeIssueIndexAfter(store, final.issuesCreated + final.issuesUpdated + final.issuesDeleted);
    pruneIssueTextChanges(store);
    analyzeIssuesIfChanged(store);
  }
  return final;

  async function syncProject(
    { instance, client, capabilities, project }: ProjectTask,
    markFetched: () => void,
    allFetched: Promise<unknown>,
  ): Promise<SyncError | null> {
    const stats = new RequestStats();
    allStats.push(stats);
    stats.onRetry = () => progress.update(instance.name, project.key, { retries: stats.retries, rateLimited: stats.rateLimited });
    // The project's row and clock start with its first job, not while it waits in the queue; its
    // timeout counts only the time it is working.
    let detailId = 0;
    // One controller per project: a failing range stops its siblings, and so does the timeout.
    const projectAbort = new AbortController();
    const projectSignal = AbortSignal.any([signal, projectAbort.signal]);
    const timeoutS = getConfig().projectTimeout;
    const timeout = new ActiveTimeout(timeoutS * 1000, () =>
      projectAbort.abort(new SyncError('Timeout', `the project took longer than project_timeout (${timeoutS} s)`)),
    );
    const projectJob = <T>(job: () => Promise<T>) => inPool(() => timeout.during(job));
    let fetchStartedMs = 0;
    const startClock = () => {
      if (detailId !== 0) return;
      fetchStartedMs = Date.now();
      detailId = startProjectDetail(store, {
        runId: run.id,
        instanceId: instance.id,
        instanceName: instance.name,
        projectKey: project.key,
      });
      ctx.detailId = detailId;
      progress.update(instance.name, project.key, { status: 'running' });
    };
    let issues = 0;
    let pages = 0;
    const ctx: ProjectContext = {
      store,
      client,
      capabilities,
      notice: (text) => addRunNotice(store, run.id, text),
      runId: run.id,
      instanceId: instance.id,
      instanceName: instance.name,
      projectKey: project.key,
      detailId,
      getConfig,
      stats,
      signal: projectSignal,
      onPage: (count) => {
        pages += 1;
        issues += count;
        issuesSeen += count;
        progress.update(instance.name, project.key, { pages, issues });
        publish();
      },
      onExpected: (total) => progress.update(instance.name, project.key, { expectedIssues: total }),
    };
    let failure: SyncError | null = null;
    try {
      let window: VerificationWindow | null = null;
      let sweeping = false;
      let jiraCount: Promise<number | null> | null = null;
      // Asked once, beside the first page: the completeness check's count also sizes a first sync.
      const countOnce = () => {
        jiraCount ??= countWindow(ctx, window!).catch((error: unknown) => {
          projectAbort.abort(error);
          throw error;
        });
        return jiraCount;
      };
      const fetchPlan = await projectJob(async () => {
        startClock();
        projectSignal.throwIfAborted();
        upsertProject(store, instance.id, project.key, project.id, project.name);
        window = verificationWindow(getConfig(), fetchStartedMs);
        sweeping = sweepDue(store, instance.id, project.key, getConfig(), plan.sweep === true);
        if (!sweeping) countOnce().catch(() => {});
        return planUnits(ctx, countOnce);
      });
      // A count that fails for more than being unavailable (credentials, a stop) stops the project.
      const sized = fetchPlan.counted.catch((error: unknown) => {
        projectAbort.abort(error);
        throw error;
      });
      sized.catch(() => {});
      await runUnits(
        ctx,
        fetchPlan.units,
        (job) =>
          projectJob(job).catch((error: unknown) => {
            projectAbort.abort(error);
            throw error;
          }),
        () => limit.concurrency - limit.activeCount - limit.pendingCount,
      );
      await sized;
      completeUnits(ctx);
      markFetched();
      // Never `completed` on a silent shortfall: count, and where the count disagrees or is
      // unavailable (or a sweep is due anyway), check the project's id list.
      const counted = sweeping ? null : countCheck(ctx, window!, await countOnce());
      if (counted !== null && counted.result !== 'mismatch') {
        recordVerification(store, detailId, counted);
      } else {
        // Sweeps wait until every project has fetched: a move between two mirrored projects is then followed.
        await allFetched;
        const swept = await projectJob(() => sweepCheck(ctx, window!));
        recordVerification(store, detailId, swept.verification);
        if (swept.verification.result === 'mismatch') {
          const failure = integrityFailure(project.key, swept);
          setRepairReason(store, instance.id, project.key, failure.message);
          throw failure;
        }
      }
      setRepairReason(store, instance.id, project.key, null);
      markProjectSynced(store, instance.id, project.key);
    } catch (error) {
      failure = projectFailure(error, signal, projectAbort.signal);
    } finally {
      markFetched();
      timeout.clear();
    }
    const status = failure === null ? 'completed' : failure.category === 'Cancelled' ? 'stopped' : 'failed';
    if (detailId === 0) {
      // Stopped before its first job: nothing was recorded, so there is nothing to finish.
      progress.update(instance.name, project.key, { status });
      return null;
    }
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
      waitMs: stats.waitMs,
      parseMs: stats.parseMs,
      writeMs: stats.writeMs,
    });
    progress.update(instance.name, project.key, { status });
    publish(true);
    return failure?.category === 'Cancelled' ? null : failure;
  }
}

/**
 * The performance settings as saved now (the panel applies them to a running sync), read again only
 * when another connection has committed since (SQLite's data_version): they are asked for per request.
 */
function liveConfig(store: Store): () => PerformanceConfig {
  const version = store.sqlite.prepare('PRAGMA data_version').pluck();
  let seen = version.get();
  let config = getPerformanceConfig(store);
  return () => {
    const now = version.get();
    if (now !== seen) {
      seen = now;
      config = getPerformanceConfig(store);
    }
    return config;
  };
}

/** The root cause of a project's failure: a stop, its timeout, or the first range that failed. */
function projectFailure(error: unknown, runSignal: AbortSignal, projectSignal: AbortSignal): SyncError {
  if (runSignal.aborted) return new SyncError('Cancelled', 'the sync was stopped');
  if (projectSignal.aborted) return toSyncError(projectSignal.reason);
  return toSyncError(error);
}

function outcome(store: Store, runId: string, signal: AbortSignal, failures: Failure[]) {
  if (signal.aborted)
    return {
      status: 'stopped' as const,
      errorMessage: 'Stopped by the user; committed pages were kept.',
      errorCategory: 'Cancelled' as const,
    };
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

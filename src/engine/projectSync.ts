/**
 * What syncing one project shares: its context (store, client, counters, signal), counting
 * where the server can, folding finished ranges into the cursor, and when to sweep. Planning is
 * plan.ts's job, reading the units units.ts's, checking what was fetched verify.ts's.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import { completeSlices, getSlices } from '../store/slices.ts';
import { getProjectCursor } from '../store/instances.ts';
import { toSyncError, type SyncError } from './errors.ts';
import type { RequestStats } from './http.ts';
import type { JiraClient, SearchQuery } from './jira.ts';

/** Re-reading overlaps the cursor by this much: search lags behind writes and JQL users think in minutes. */
export const CURSOR_OVERLAP_MS = 5 * 60_000;
/** What an instance's server turned out not to offer, learned once per run and shared by its projects. */
export interface InstanceCapabilities {
  /** Why counting issues failed (the first failure's message), or null while it works. */
  countUnavailable: string | null;
}

export interface ProjectContext {
  store: Store;
  client: JiraClient;
  capabilities: InstanceCapabilities;
  /** Records a notice on the run (the same text once). */
  notice: (text: string) => void;
  runId: string;
  instanceId: string;
  instanceName: string;
  projectKey: string;
  detailId: number;
  getConfig: () => PerformanceConfig;
  stats: RequestStats;
  signal: AbortSignal;
  /** Called after each committed page with its issue count, and with a total when one becomes known. */
  onPage: (issues: number) => void;
  onExpected: (total: number) => void;
}

/**
 * Whether a failed call says the server does not offer it (a proxy's or an older site's 404, a
 * refusal, a malformed answer), as opposed to a rate limit, an outage or bad credentials, which
 * the sync must report whatever call met them.
 */
export function meansUnavailable(failure: SyncError): boolean {
  if (failure.status !== null) return [400, 403, 404, 405, 410, 501].includes(failure.status);
  return failure.category === 'Validation' && !failure.retryable;
}

/**
 * Counting only plans and shows progress. A server that cannot count (a proxy or restricted site
 * answering 404 on Cloud's approximate-count) is synced unsplit, without expected totals, and
 * checked against its id lists instead: noted once per run, never a failure.
 */
export async function countIfAvailable(ctx: ProjectContext, query: SearchQuery): Promise<number | null> {
  if (ctx.capabilities.countUnavailable !== null) return null;
  try {
    return await ctx.client.count(query, ctx.stats, ctx.signal);
  } catch (error) {
    const failure = toSyncError(error);
    if (ctx.signal.aborted || !meansUnavailable(failure)) throw error;
    ctx.capabilities.countUnavailable = failure.message;
    ctx.notice(
      `${ctx.instanceName}: Jira could not count issues (${failure.message}); its projects were synced without ` +
        'splitting or expected totals, and checked against their id lists',
    );
    return null;
  }
}

/** After every unit succeeded: fold split ranges (if any) into the project cursor. */
export function completeUnits(ctx: ProjectContext): void {
  if (getSlices(ctx.store, ctx.instanceId, ctx.projectKey).length > 0) completeSlices(ctx.store, ctx.instanceId, ctx.projectKey);
}

/** Whether this sync of the project also sweeps: asked for, due every Nth sync, or repairing the project. */
export function sweepDue(store: Store, instanceId: string, projectKey: string, config: PerformanceConfig, requested: boolean): boolean {
  if (requested) return true;
  const { syncCount, repairReason } = getProjectCursor(store, instanceId, projectKey);
  if (repairReason !== null) return true;
  return config.sweepEvery > 0 && syncCount > 0 && (syncCount + 1) % config.sweepEvery === 0;
}

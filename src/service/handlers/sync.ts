/** Syncs: start one (one per database at a time, across processes), stop it, ask which one runs. */
import { randomUUID } from 'node:crypto';
import type { ParsedInput } from '../../shared/contract.ts';
import type { Initiator } from '../../shared/model.ts';
import { findLiveRun, getRun, recordRunInstances } from '../../store/runs.ts';
import { ApiFailure } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import { planInstance, selectInstances, type BackendContext } from '../context.ts';
import { isOwnerAlive } from '../ownership.ts';

export type StartRun = (request: ParsedInput<'startSync'>, initiatedBy: Initiator) => Promise<{ runId: string }>;

/** Starting a sync for any initiator: the contract's call, the tray's Sync now, the schedule. */
export function runStarter(ctx: BackendContext): StartRun {
  const { store, host } = ctx;
  /** Who started the sync that runs or is being started now (for the CONFLICT message). */
  let currentInitiator: Initiator | null = null;
  let starting = false;

  function alreadyRunning(runId: string | null): ApiFailure {
    const run = runId ? ` (run ${runId})` : '';
    return new ApiFailure(
      'CONFLICT',
      currentInitiator === 'scheduled'
        ? `a scheduled sync is already running${run}; it brings the mirror up to date: wait for it to finish, or stop it first`
        : `a sync is already running${run}`,
    );
  }

  return async (request, initiatedBy) => {
    // Planning awaits (the demo's simulator starts on first use): a second start meanwhile is refused too.
    if (starting) throw alreadyRunning(null);
    starting = true;
    try {
      // A run's final update arrives just before its engine thread exits: a Sync now clicked in those
      // milliseconds waits for the exit instead of being refused.
      const finishing = host.activeRunId;
      if (finishing && getRun(store, finishing)?.status !== 'running') await host.wait(finishing).catch(() => undefined);
      if (host.activeRunId) throw alreadyRunning(host.activeRunId);
      // One sync per database at a time, across processes too (the app and a cron job of the CLI).
      const elsewhere = findLiveRun(store, isOwnerAlive);
      if (elsewhere) {
        throw new ApiFailure(
          'CONFLICT',
          `a sync started by ${elsewhere.initiatedBy} (process ${elsewhere.ownerPid}) is already running on this database (run ${elsewhere.id})`,
        );
      }
      currentInitiator = initiatedBy;
      const selected = selectInstances(ctx, request.instances);
      const planned = await Promise.all(selected.map((record) => planInstance(ctx, record)));
      const runId = await host.start({
        runId: randomUUID(),
        initiatedBy,
        instances: planned,
        ...(request.projects ? { projects: request.projects } : {}),
        ...(request.sweep ? { sweep: true } : {}),
      });
      recordRunInstances(store, runId, selected);
      return { runId };
    } finally {
      starting = false;
    }
  };
}

export function syncHandlers(ctx: BackendContext, startRun: StartRun) {
  const { host } = ctx;
  return {
    startSync: (request) => startRun(request, ctx.initiator),
    stopSync: async ({ id }) => ({ stopped: host.stop(id) }),
    getActiveSync: async () => ({ runId: host.activeRunId }),
  } satisfies Partial<Handlers>;
}

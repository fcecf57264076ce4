/** Syncs: start one (one per database at a time, across processes), stop it, ask which one runs. */
import { randomUUID } from 'node:crypto';
import { findLiveRun, recordRunInstances } from '../../store/runs.ts';
import { ApiFailure } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import { planInstance, selectInstances, type BackendContext } from '../context.ts';
import { isOwnerAlive } from '../ownership.ts';

export function syncHandlers(ctx: BackendContext) {
  const { store, host } = ctx;
  return {
    startSync: async (request) => {
      if (host.activeRunId) throw new ApiFailure('CONFLICT', `a sync is already running (run ${host.activeRunId})`);
      // One sync per database at a time, across processes too (the app and a cron job of the CLI).
      const elsewhere = findLiveRun(store, isOwnerAlive);
      if (elsewhere) {
        throw new ApiFailure(
          'CONFLICT',
          `a sync started by ${elsewhere.initiatedBy} (process ${elsewhere.ownerPid}) is already running on this database (run ${elsewhere.id})`,
        );
      }
      const selected = selectInstances(ctx, request.instances);
      const planned = await Promise.all(selected.map((record) => planInstance(ctx, record)));
      const runId = await host.start({
        runId: randomUUID(),
        initiatedBy: ctx.initiator,
        instances: planned,
        ...(request.projects ? { projects: request.projects } : {}),
        ...(request.sweep ? { sweep: true } : {}),
      });
      recordRunInstances(store, runId, selected);
      return { runId };
    },
    stopSync: async ({ id }) => ({ stopped: host.stop(id) }),
    getActiveSync: async () => ({ runId: host.activeRunId }),
  } satisfies Partial<Handlers>;
}

/** Performance settings: read, save (applies live), the dry run and the audit trail (recommendations are analytics'). */
import { toSyncError } from '../../engine/errors.ts';
import { estimateSync } from '../../engine/estimate.ts';
import { probeInstances } from '../../engine/probe.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../../store/config.ts';
import { getSyncHistoryBasis } from '../../store/history.ts';
import { ApiFailure } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import { planInstance, selectInstances, type BackendContext } from '../context.ts';

export function configHandlers(ctx: BackendContext) {
  const { store } = ctx;
  return {
    getPerformanceConfig: async () => getPerformanceConfig(store),
    savePerformanceConfig: async ({ config, recommendation }) =>
      savePerformanceConfig(store, config, ctx.initiator, recommendation ? `recommendation ${recommendation}` : null),
    estimateSync: async ({ config, probe }) => {
      const basis = getSyncHistoryBasis(store);
      if (!probe) return estimateSync(config, basis);
      const planned = await Promise.all(selectInstances(ctx, undefined).map((record) => planInstance(ctx, record)));
      try {
        return estimateSync(config, basis, await probeInstances(store, planned, config));
      } catch (error) {
        const failure = toSyncError(error);
        throw new ApiFailure('UNAVAILABLE', `the live probe failed (${failure.category}): ${failure.message}`);
      }
    },
  } satisfies Partial<Handlers>;
}

/** Runs: the history (filtered, sorted, exported), one run's detail, statistics, trends and the dashboard. */
import { getRunDetail } from '../../store/runs.ts';
import { getStatsSummary, getSyncHistory } from '../../store/runHistory.ts';
import { notFound } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import type { BackendContext } from '../context.ts';

export function runHandlers(ctx: BackendContext) {
  const { store } = ctx;
  return {
    listRuns: async (query) => getSyncHistory(store, query),
    exportRuns: async (query) => {
      const { text, rows } = await ctx.reads.read('runsCsv', { ...query, nowMs: Date.now() });
      return { csv: text, rows };
    },
    getRun: async ({ id }) => getRunDetail(store, id) ?? notFound(`no run with id ${id}`),
    getStats: async ({ days }) => getStatsSummary(store, days),
    getTrends: (query) => ctx.reads.read('getRunTrends', query),
    getDashboard: (query) => ctx.reads.read('getDashboard', { ...query, nowMs: Date.now() }),
  } satisfies Partial<Handlers>;
}

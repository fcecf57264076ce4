/**
 * The analytics area of the Backend: the answers over the recorded history, applying a
 * recommendation through the audited config path, and anomaly detection after every run this
 * host finishes (each opening and recovery raised once: a push event and the webhooks).
 */
import { detectAnomalies, listAnomalies, type AnomalyChange } from '../../analytics/anomalies.ts';
import { getBestTime } from '../../analytics/bestTime.ts';
import { getFailurePatterns } from '../../analytics/failurePatterns.ts';
import { getHealth } from '../../analytics/health.ts';
import { predictDuration } from '../../analytics/prediction.ts';
import { recommend } from '../../analytics/recommendations.ts';
import type { Initiator, Run, Schedule } from '../../shared/model.ts';
import { getPerformanceConfig, savePerformanceConfig } from '../../store/config.ts';
import type { Store } from '../../store/db.ts';
import { getSyncHistoryBasis } from '../../store/history.ts';
import { getPerformanceEvidence } from '../../store/performanceEvidence.ts';
import { getScheduleEvidence } from '../../store/scheduleEvidence.ts';
import { ApiFailure } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import type { Clock } from '../clock.ts';
import type { EventHub } from '../events.ts';

export interface AnalyticsContext {
  store: Store;
  events: EventHub;
  clock: Clock;
  initiator: Initiator;
  /** The schedule's interval while syncs are scheduled (freshness and the schedule's recommendation are judged against it), else null. */
  scheduleIntervalMs: () => number | null;
  /** Changes the schedule through its audited path; null where this host runs no schedule. */
  changeSchedule: ((intervalMinutes: number, reason: string) => Schedule) | null;
  /** Queues an anomaly's state change for the webhooks subscribed to it. */
  notifyWebhooks: (event: 'anomaly.opened' | 'anomaly.resolved', anomaly: object) => void;
}

export type AnalyticsHandlers = Pick<
  Handlers,
  'getHealth' | 'getFailurePatterns' | 'getBestTime' | 'predictDuration' | 'listAnomalies' | 'getRecommendations' | 'applyRecommendation'
>;

export function currentRecommendations(store: Store, scheduleIntervalMs: number | null) {
  const config = getPerformanceConfig(store);
  return recommend({
    config,
    basis: getSyncHistoryBasis(store),
    evidence: getPerformanceEvidence(store, config.projectTimeout),
    schedule: { intervalMinutes: scheduleIntervalMs === null ? null : scheduleIntervalMs / 60_000, evidence: getScheduleEvidence(store) },
  });
}

export function createAnalytics(ctx: AnalyticsContext): { handlers: AnalyticsHandlers; runFinished(run: Run): AnomalyChange[] } {
  const { store } = ctx;
  const now = () => ctx.clock.now();
  const handlers: AnalyticsHandlers = {
    getHealth: async (scope) => getHealth(store, scope, now(), { scheduleIntervalMs: ctx.scheduleIntervalMs() }),
    getFailurePatterns: async (scope) => getFailurePatterns(store, scope, now()),
    getBestTime: async (scope) => getBestTime(store, scope, now()),
    predictDuration: async (scope) => predictDuration(store, scope, now(), getPerformanceConfig(store)),
    listAnomalies: async (scope) => listAnomalies(store, scope, now()),
    getRecommendations: async () => currentRecommendations(store, ctx.scheduleIntervalMs()),
    applyRecommendation: async ({ id }) => {
      const { recommendations } = currentRecommendations(store, ctx.scheduleIntervalMs());
      const applied = recommendations.find((r) => r.id === id);
      if (!applied) {
        const open = recommendations.map((r) => r.id).join(', ') || 'none';
        throw new ApiFailure(
          'NOT_FOUND',
          `recommendation "${id}" does not apply to the current history and settings (applicable now: ${open})`,
        );
      }
      const reason = `recommendation ${id}`;
      if (applied.scheduleChange) {
        // Only offered where a schedule runs (scheduleIntervalMs is null elsewhere), so never refused in practice.
        if (!ctx.changeSchedule) throw new ApiFailure('UNAVAILABLE', 'this host runs no sync schedule to change');
        const schedule = ctx.changeSchedule(applied.scheduleChange.intervalMinutes, reason);
        return { config: getPerformanceConfig(store), applied, schedule };
      }
      const config = savePerformanceConfig(store, { ...getPerformanceConfig(store), ...applied.change }, ctx.initiator, reason);
      return { config, applied };
    },
  };
  return {
    handlers,
    runFinished(run) {
      if (run.status === 'running') return [];
      const changes = detectAnomalies(store, run.id, run.completedAt ? Date.parse(run.completedAt) : now());
      for (const change of changes) {
        ctx.events.emit('anomalyChanged', change);
        ctx.notifyWebhooks(change.change === 'opened' ? 'anomaly.opened' : 'anomaly.resolved', change.anomaly);
      }
      return changes;
    },
  };
}

/**
 * The next sync's expected duration: per project, a least-squares line of duration on issues over
 * its latest successful incremental syncs (fitted from SQL sums), read at the expected number of
 * changed issues (their mean), with a 90 % interval from the residuals; the projects are then
 * scheduled onto the workers longest first, as the dry run does, after the usual setup time.
 */
import type { AnalyticsScope, DurationPrediction, ProjectPrediction } from '../shared/analytics.ts';
import type { PerformanceConfig } from '../shared/model.ts';
import { makespan } from '../engine/estimate.ts';
import type { Store } from '../store/db.ts';
import { scopeParams } from '../store/analyticsScope.ts';
import { predictionAccuracy, predictionSums, type FitSums } from '../store/analyticsTime.ts';
import { recentSetupMs } from '../store/history.ts';

/** z of a two-sided 90 % interval. */
const Z90 = 1.645;

export function fitProject(s: FitSums): ProjectPrediction {
  const meanX = s.sx / s.n;
  const meanY = s.sy / s.n;
  const varX = s.sxx - s.n * meanX * meanX;
  const slope = s.n > 1 && varX > 1e-9 ? (s.sxy - s.n * meanX * meanY) / varX : meanX > 0 ? meanY / meanX : 0;
  const fixed = s.n > 1 && varX > 1e-9 ? meanY - slope * meanX : meanX > 0 ? 0 : meanY;
  // The residuals' sum of squares from the sums alone: Σ(y − a − bx)².
  const sse = Math.max(
    0,
    s.syy - 2 * fixed * s.sy - 2 * slope * s.sxy + s.n * fixed * fixed + 2 * fixed * slope * s.sx + slope * slope * s.sxx,
  );
  const sigma = s.n > 2 ? Math.sqrt(sse / (s.n - 2)) : 0;
  const durationMs = Math.max(0, fixed + slope * meanX);
  const spread = Z90 * sigma * Math.sqrt(1 + 1 / s.n);
  return {
    instance: s.instance,
    project: s.project,
    syncs: s.n,
    expectedIssues: Math.round(meanX * 10) / 10,
    fixedMs: Math.round(fixed),
    msPerIssue: Math.round(slope * 100) / 100,
    durationMs: Math.round(durationMs),
    lowMs: Math.round(Math.max(0, durationMs - spread)),
    highMs: Math.round(durationMs + spread),
  };
}

export function predict(scope: AnalyticsScope, sums: FitSums[], config: PerformanceConfig, setupMs: number) {
  const projects = sums.map(fitProject);
  const workers = config.connectionPoolBlock ? Math.min(config.maxWorkers, config.connectionPoolSize) : config.maxWorkers;
  const total = (pick: (p: ProjectPrediction) => number) =>
    projects.length === 0 ? 0 : Math.round(setupMs + makespan(projects.map(pick), workers));
  return {
    scope,
    projects,
    workers,
    setupMs: Math.round(setupMs),
    durationMs: total((p) => p.durationMs),
    lowMs: total((p) => p.lowMs),
    highMs: total((p) => p.highMs),
  };
}

export function predictDuration(store: Store, scope: AnalyticsScope, nowMs: number, config: PerformanceConfig): DurationPrediction {
  const params = scopeParams(scope, nowMs);
  const accuracy = predictionAccuracy(store, params);
  return {
    ...predict(scope, predictionSums(store, params), config, Math.max(0, recentSetupMs(store))),
    accuracy: { syncs: accuracy.syncs, mape: accuracy.mape === null ? null : Math.round(accuracy.mape * 10_000) / 10_000 },
  };
}

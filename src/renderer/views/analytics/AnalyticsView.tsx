/** Analytics: what the recorded history says — health, failure patterns, the best time to sync, the next sync, anomalies, recommendations. */
import { PeriodSwitch } from '../../components/PeriodSwitch.tsx';
import { useCall } from '../../api/useCall.ts';
import { LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { utcOffsetMinutes } from '../../lib/format.ts';
import type { Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { ANALYTICS_PERIODS, analyticsDays, DEFAULT_ANALYTICS_DAYS } from './analyticsModel.ts';
import { AnomalyList } from './AnomalyList.tsx';
import { BestTimePanel } from './BestTimePanel.tsx';
import { FailurePanel } from './FailurePanel.tsx';
import { HealthPanel } from './HealthPanel.tsx';
import { PredictionPanel } from './PredictionPanel.tsx';
import { RecommendationPanel } from './RecommendationPanel.tsx';

const REFRESH = { refreshOn: ['runUpdated', 'anomalyChanged'] as const, throttleMs: 5000 };

export function AnalyticsView({ route }: { route: Route }) {
  const days = analyticsDays(route);
  const update = useParamUpdater(route);
  const scope = { days, utcOffsetMinutes: utcOffsetMinutes() };
  const health = useCall('getHealth', scope, REFRESH);
  const failures = useCall('getFailurePatterns', scope, REFRESH);
  const bestTime = useCall('getBestTime', scope, REFRESH);
  const prediction = useCall('predictDuration', scope, REFRESH);
  const anomalies = useCall('listAnomalies', scope, REFRESH);
  const recommendations = useCall('getRecommendations', {}, REFRESH);
  const loading = <Spinner label="Reading the history" />;
  return (
    <div data-testid="analytics">
      <div className="page-head">
        <div>
          <h1>Analytics</h1>
          <p className="page-sub">What the sync history says: each answer with the figures behind it.</p>
        </div>
        <div className="page-actions">
          <PeriodSwitch
            periods={ANALYTICS_PERIODS}
            days={days}
            defaultDays={DEFAULT_ANALYTICS_DAYS}
            onChange={(next) => update({ days: next })}
            testIdPrefix="analytics-period-"
          />
        </div>
      </div>
      {[health, failures, bestTime, prediction, anomalies, recommendations]
        .filter((call) => call.error)
        .slice(0, 1)
        .map((call) => (
          <LoadError key="error" what="the analytics" message={call.error!} onRetry={call.reload} />
        ))}
      <div className="analytics-grid">
        {health.data ? <HealthPanel health={health.data} /> : loading}
        <section className="card card-padded" aria-labelledby="anomalies-title" data-testid="analytics-anomalies">
          <h2 id="anomalies-title">Anomalies</h2>
          {anomalies.data ? <AnomalyList anomalies={anomalies.data} /> : loading}
        </section>
        {prediction.data ? <PredictionPanel prediction={prediction.data} /> : loading}
        {recommendations.data ? <RecommendationPanel recommendations={recommendations.data} onApplied={recommendations.reload} /> : loading}
      </div>
      {failures.data ? <FailurePanel failures={failures.data} /> : loading}
      {bestTime.data ? <BestTimePanel bestTime={bestTime.data} /> : loading}
    </div>
  );
}

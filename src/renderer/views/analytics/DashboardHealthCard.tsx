/** The dashboard's small card: the overall health score and the open anomalies, linking to Analytics. */
import { useCall } from '../../api/useCall.ts';
import { utcOffsetMinutes } from '../../lib/format.ts';
import { AnomalyList } from './AnomalyList.tsx';
import { ScoreBadge } from './HealthPanel.tsx';

export function DashboardHealthCard() {
  const scope = { days: 30, utcOffsetMinutes: utcOffsetMinutes() };
  const refresh = { refreshOn: ['runUpdated', 'anomalyChanged'] as const, throttleMs: 5000 };
  const health = useCall('getHealth', scope, refresh);
  const anomalies = useCall('listAnomalies', scope, refresh);
  return (
    <section className="card card-padded health-card" aria-labelledby="health-card-title" data-testid="dashboard-health">
      <h2 id="health-card-title">
        Health <a href="#/analytics">Analytics</a>
      </h2>
      {health.data ? (
        <p>
          <ScoreBadge score={health.data.overall} /> <span className="sub">{health.data.overall.reason}</span>
        </p>
      ) : (
        <p className="muted">{health.error ?? 'Reading the history…'}</p>
      )}
      {anomalies.data && <AnomalyList anomalies={anomalies.data} compact />}
    </section>
  );
}

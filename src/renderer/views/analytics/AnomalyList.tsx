/** Open anomalies (and, unless compact, the recently resolved ones), each with the numbers that raised it. */
import type { Anomaly, AnomalyList as Anomalies } from '../../../shared/analytics.ts';
import { formatDateTime } from '../../lib/format.ts';

function Item({ anomaly }: { anomaly: Anomaly }) {
  return (
    <li data-testid="anomaly" data-status={anomaly.status} data-metric={anomaly.metric}>
      <span className={`badge badge-${anomaly.status === 'open' ? 'failed' : 'completed'}`}>
        {anomaly.status === 'open' ? 'Open' : 'Resolved'}
      </span>{' '}
      {anomaly.description}
      <span className="sub">
        {' '}
        since {formatDateTime(anomaly.openedAt)}
        {anomaly.resolvedAt ? `, resolved ${formatDateTime(anomaly.resolvedAt)}` : ''}
      </span>
    </li>
  );
}

export function AnomalyList({ anomalies, compact = false }: { anomalies: Anomalies; compact?: boolean }) {
  const shown = compact ? anomalies.open : [...anomalies.open, ...anomalies.recent];
  if (shown.length === 0) return <p className="muted">{compact ? 'No open anomaly.' : 'No anomaly in the period.'}</p>;
  return (
    <ul className="plain-list anomalies">
      {shown.map((a) => (
        <Item key={a.id} anomaly={a} />
      ))}
    </ul>
  );
}

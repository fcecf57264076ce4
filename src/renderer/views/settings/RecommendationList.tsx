import type { Evidence, PerformanceConfig } from '../../../shared/model.ts';
import { useCall } from '../../api/useCall.ts';
import { formatDuration, formatMs, formatNumber, formatPercent } from '../../lib/format.ts';
import { recommendationPrice } from '../../lib/recommendation.ts';

function formatEvidence(evidence: Evidence): string {
  switch (evidence.unit) {
    case 'ms':
      return evidence.value >= 10_000 ? formatDuration(evidence.value) : formatMs(evidence.value);
    case 's':
      return `${formatNumber(evidence.value)} s`;
    case 'min':
      return `${formatNumber(evidence.value)} min`;
    case 'share':
      return formatPercent(evidence.value, 2);
    default:
      return formatNumber(evidence.value);
  }
}

/** Changes the recorded history suggests, each with its evidence and its dry-run price; "Apply" puts it in the form. */
export function RecommendationList({ onApply }: { onApply: (change: Partial<PerformanceConfig>) => void }) {
  const result = useCall('getRecommendations', {}, { refreshOn: ['runUpdated'], throttleMs: 10_000 });
  const data = result.data;
  return (
    <section className="card card-padded" aria-labelledby="recommendations-title" data-testid="recommendations">
      <h2 id="recommendations-title">Recommendations</h2>
      {!data ? (
        <p className="muted">{result.error ?? 'Reading the history…'}</p>
      ) : data.runsConsidered === 0 ? (
        <p className="muted">Recommendations appear after the first finished sync.</p>
      ) : data.recommendations.length === 0 ? (
        <p className="muted" data-testid="no-recommendations">
          The last {data.runsConsidered} runs give no reason to change a setting.
        </p>
      ) : (
        <ul className="recommendations">
          {data.recommendations.map((r) => (
            <li key={r.id} data-testid="recommendation" data-id={r.id}>
              <h3>{r.title}</h3>
              <p>{r.reason}</p>
              <dl className="evidence">
                {r.evidence.map((e) => (
                  <div key={e.label}>
                    <dt>{e.label}</dt>
                    <dd>{formatEvidence(e)}</dd>
                  </div>
                ))}
              </dl>
              <p className="sub">{recommendationPrice(r, data.current)}</p>
              {r.scheduleChange ? (
                <p className="sub">
                  The schedule is not part of this form: apply it in Analytics, or set the interval under Sync schedule.
                </p>
              ) : (
                <button type="button" className="btn btn-small" onClick={() => onApply(r.change)} data-testid="apply-recommendation">
                  Apply to the form
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

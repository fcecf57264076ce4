/** The tuning and schedule recommendations with their price, each applied with one click (audited as `recommendation <id>`). */
import { useState } from 'react';
import type { Recommendations } from '../../../shared/model.ts';
import { callApi } from '../../api/useCall.ts';
import { formatNumber } from '../../lib/format.ts';
import { recommendationPrice } from '../../lib/recommendation.ts';

export function RecommendationPanel({ recommendations, onApplied }: { recommendations: Recommendations; onApplied: () => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  async function apply(id: string) {
    setBusy(id);
    setMessage(null);
    try {
      const { applied } = await callApi('applyRecommendation', { id });
      setMessage({ tone: 'success', text: `Applied: ${applied.title}.` });
      onApplied();
    } catch (error) {
      setMessage({ tone: 'error', text: (error as Error).message });
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="card card-padded" aria-labelledby="analytics-recommendations-title" data-testid="analytics-recommendations">
      <h2 id="analytics-recommendations-title">Recommendations</h2>
      {message && (
        <div className={`alert alert-${message.tone}`} role="status" data-testid="apply-result">
          {message.text}
        </div>
      )}
      {recommendations.recommendations.length === 0 ? (
        <p className="muted">The last {formatNumber(recommendations.runsConsidered)} runs give no reason to change a setting.</p>
      ) : (
        <ul className="recommendations">
          {recommendations.recommendations.map((r) => (
            <li key={r.id} data-testid="analytics-recommendation" data-id={r.id}>
              <h3>{r.title}</h3>
              <p>{r.reason}</p>
              <p className="sub">{recommendationPrice(r, recommendations.current)}</p>
              <button
                type="button"
                className="btn btn-small btn-primary"
                disabled={busy !== null}
                onClick={() => void apply(r.id)}
                data-testid="apply"
              >
                {busy === r.id ? 'Applying…' : 'Apply'}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

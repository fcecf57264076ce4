/** The next sync's predicted duration per project and in total, with its interval and measured accuracy. */
import type { DurationPrediction } from '../../../shared/analytics.ts';
import { formatDuration, formatNumber, formatPercent } from '../../lib/format.ts';

export function PredictionPanel({ prediction }: { prediction: DurationPrediction }) {
  return (
    <section className="card card-padded" aria-labelledby="prediction-title" data-testid="analytics-prediction">
      <h2 id="prediction-title">Next sync</h2>
      {prediction.projects.length === 0 ? (
        <p className="muted">No successful incremental sync in the period to predict from.</p>
      ) : (
        <>
          <p data-testid="prediction-total">
            <strong>{formatDuration(prediction.durationMs)}</strong> expected (90 %: {formatDuration(prediction.lowMs)} –{' '}
            {formatDuration(prediction.highMs)}) on {prediction.workers} workers
            {prediction.accuracy.mape !== null &&
              `; off by ${formatPercent(prediction.accuracy.mape)} on average over the last ${formatNumber(prediction.accuracy.syncs)} project syncs`}
            .
          </p>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Predicted duration per project</caption>
              <thead>
                <tr>
                  <th scope="col">Project</th>
                  <th scope="col" className="num">
                    Expected issues
                  </th>
                  <th scope="col" className="num">
                    Per issue
                  </th>
                  <th scope="col" className="num">
                    Fixed
                  </th>
                  <th scope="col" className="num">
                    Expected
                  </th>
                </tr>
              </thead>
              <tbody>
                {prediction.projects.map((p) => (
                  <tr key={`${p.instance}/${p.project}`} data-testid="prediction-project">
                    <th scope="row">
                      {p.instance} / {p.project}
                    </th>
                    <td className="num">{formatNumber(p.expectedIssues)}</td>
                    <td className="num">{formatNumber(p.msPerIssue)} ms</td>
                    <td className="num">{formatDuration(p.fixedMs)}</td>
                    <td className="num">{formatDuration(p.durationMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}

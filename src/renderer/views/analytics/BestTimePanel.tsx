/** The best time to sync: a weekday × hour heatmap of each bucket's relative cost, and the recommended bucket with its confidence. */
import type { BestTime } from '../../../shared/analytics.ts';
import { formatMs, formatNumber, formatPercent } from '../../lib/format.ts';
import { bucketLabel, HEAT_LEVELS, heatmapRows, hourLabel } from './analyticsModel.ts';

export function BestTimePanel({ bestTime }: { bestTime: BestTime }) {
  const rows = heatmapRows(bestTime);
  const best = bestTime.best;
  return (
    <section className="card card-padded" aria-labelledby="best-time-title" data-testid="analytics-best-time">
      <h2 id="best-time-title">Best time to sync</h2>
      {bestTime.best ? (
        <p data-testid="best-time">
          <strong>{bucketLabel(bestTime.best)}</strong> — {bestTime.best.confidence} confidence ({formatNumber(bestTime.best.syncs)} syncs
          in that hour; failures {formatPercent(bestTime.best.failureRate)}, 429 {formatPercent(bestTime.best.rateLimitShare)}, latency{' '}
          {formatMs(bestTime.best.latencyMs)}).
          {bestTime.worst && ` Avoid ${bucketLabel(bestTime.worst)} (cost ${bestTime.worst.cost}).`}
        </p>
      ) : (
        <p className="muted">Not enough history yet: an hour needs {bestTime.minSyncsPerBucket} syncs behind it.</p>
      )}
      <p className="sub">
        {bestTime.granularity === 'hour-of-week' ? 'Hours of the week' : 'Hours of the day (too little history for hours of the week)'}; a
        bucket's cost weighs its failure rate, 429 share, latency and time per issue against the period's (1 = average, lower is better).
      </p>
      <div className="heatmap-wrap">
        <table className="heatmap" data-testid="heatmap">
          <caption className="visually-hidden">Relative cost of syncing per weekday and hour</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Day</span>
              </th>
              {Array.from({ length: 24 }, (_, hour) => (
                <th key={hour} scope="col">
                  {hour % 3 === 0 ? String(hour).padStart(2, '0') : <span className="visually-hidden">{hourLabel(hour)}</span>}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                {row.cells.map((cell, hour) => (
                  <td
                    key={hour}
                    className={cell.level === null ? 'heat-none' : `heat-${cell.level}`}
                    title={
                      cell.bucket
                        ? `${bucketLabel(cell.bucket)}: cost ${cell.bucket.cost}, ${cell.bucket.syncs} syncs, failures ${formatPercent(cell.bucket.failureRate)}, 429 ${formatPercent(cell.bucket.rateLimitShare)}`
                        : `${hourLabel(hour)}: no syncs`
                    }
                    data-best={
                      cell.bucket && best && cell.bucket.weekday === best.weekday && cell.bucket.hour === best.hour ? 'true' : undefined
                    }
                  >
                    <span className="visually-hidden">{cell.bucket ? `cost ${cell.bucket.cost}` : 'no syncs'}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="heat-legend sub" data-testid="heat-legend">
        Cheaper
        {Array.from({ length: HEAT_LEVELS }, (_, level) => (
          <span key={level} className={`heat-swatch heat-${level}`} aria-hidden="true" />
        ))}
        dearer; grey: no syncs; outlined: the recommended hour
      </p>
    </section>
  );
}

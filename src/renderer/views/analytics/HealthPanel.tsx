/** The health score with its components (score, weight, what was measured), and each instance's and project's score. */
import type { HealthReport, HealthScore } from '../../../shared/analytics.ts';
import { BAND_LABELS, bandTone } from './analyticsModel.ts';

export function ScoreBadge({ score }: { score: HealthScore }) {
  return (
    <span className={`score score-${bandTone(score.band)}`} data-testid="score-badge">
      {score.band === 'none' ? (
        BAND_LABELS.none
      ) : (
        <>
          <strong>{score.score}</strong>
          <span className="visually-hidden"> of 100,</span> {BAND_LABELS[score.band]}
        </>
      )}
    </span>
  );
}

export function HealthPanel({ health }: { health: HealthReport }) {
  const { overall } = health;
  return (
    <section className="card card-padded" aria-labelledby="health-title" data-testid="analytics-health">
      <h2 id="health-title">Health</h2>
      <div className="health-head">
        <ScoreBadge score={overall} />
        <p className="muted" data-testid="health-reason">
          {overall.reason}
        </p>
      </div>
      {overall.components.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Components of the overall health score</caption>
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col" className="num">
                  Weight
                </th>
                <th scope="col">Measured</th>
              </tr>
            </thead>
            <tbody>
              {overall.components.map((c) => (
                <tr key={c.id} data-testid="health-component" data-id={c.id}>
                  <th scope="row">{c.label}</th>
                  <td className="num">{c.score}</td>
                  <td className="num">{Math.round(c.weight * 100)} %</td>
                  <td>{c.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Instances and projects</h3>
      <ul className="score-list">
        {[...health.instances, ...health.projects].map((s) => (
          <li
            key={`${s.instance}/${s.project ?? ''}`}
            data-testid="health-scope"
            data-scope={s.project ? `${s.instance}/${s.project}` : s.instance}
          >
            <span className="strong">{s.project ? `${s.instance} / ${s.project}` : `${s.instance} (instance)`}</span>{' '}
            <ScoreBadge score={s} />
            <span className="sub">{s.reason}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

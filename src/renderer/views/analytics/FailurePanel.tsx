/** Failure patterns: charts by hour and by project, categories, streaks, recurring errors and when a project started failing. */
import type { FailurePatterns } from '../../../shared/analytics.ts';
import { Chart } from '../../components/Chart.tsx';
import { formatDateTime, formatNumber } from '../../lib/format.ts';
import { hourLabel, WEEKDAYS } from './analyticsModel.ts';

export function FailurePanel({ failures }: { failures: FailurePatterns }) {
  const none = failures.projectFailures + failures.runFailures === 0;
  return (
    <section className="card card-padded" aria-labelledby="failures-title" data-testid="analytics-failures">
      <h2 id="failures-title">Failure patterns</h2>
      <p className="muted" data-testid="failure-summary">
        {formatNumber(failures.projectFailures)} of {formatNumber(failures.projectSyncs)} project syncs failed
        {failures.runFailures > 0 ? `; ${formatNumber(failures.runFailures)} runs failed before reaching a project` : ''}.
      </p>
      {!none && (
        <>
          <div className="chart-grid">
            <div className="chart-card">
              <h3>By hour of the day</h3>
              <Chart
                kind="bar"
                label="Failed project syncs by hour of the day"
                labels={failures.byHour.map((h) => hourLabel(h.key))}
                series={[{ label: 'Failures', values: failures.byHour.map((h) => h.failures), color: '--chart-6' }]}
                xTitle="Hour (local)"
                yTitle="Failures"
                integer
                testId="chart-failures-hour"
              />
            </div>
            <div className="chart-card">
              <h3>By day of the week</h3>
              <Chart
                kind="bar"
                label="Failed project syncs by day of the week"
                labels={failures.byWeekday.map((d) => WEEKDAYS[d.key]!)}
                series={[{ label: 'Failures', values: failures.byWeekday.map((d) => d.failures), color: '--chart-4' }]}
                xTitle="Day"
                yTitle="Failures"
                integer
                testId="chart-failures-weekday"
              />
            </div>
          </div>
          <div className="two-columns">
            <div>
              <h3>By category</h3>
              <ul className="plain-list" data-testid="failure-categories">
                {failures.byCategory.map((c) => (
                  <li key={c.category}>
                    <span className="category">{c.category}</span> {formatNumber(c.failures)}
                  </li>
                ))}
              </ul>
              <h3>By project</h3>
              <ul className="plain-list" data-testid="failure-projects">
                {failures.byProject
                  .filter((p) => p.failures > 0)
                  .map((p) => (
                    <li key={`${p.instance}/${p.key}`}>
                      {p.instance} / {p.key}: {formatNumber(p.failures)} of {formatNumber(p.syncs)}
                    </li>
                  ))}
              </ul>
            </div>
            <div>
              <h3>Streaks</h3>
              <ul className="plain-list" data-testid="failure-streaks">
                {failures.streaks.map((s) => (
                  <li key={`${s.instance}/${s.project}`}>
                    {s.instance} / {s.project}: {s.current > 0 ? <strong>failing now ({s.current} in a row)</strong> : 'not failing now'},
                    longest {s.longest}
                  </li>
                ))}
              </ul>
              <h3>Recurring errors</h3>
              <ul className="plain-list" data-testid="recurring-errors">
                {failures.recurring.map((r) => (
                  <li key={`${r.category}:${r.pattern}`}>
                    <span className="mono">{r.pattern}</span> — {formatNumber(r.occurrences)}× ({r.category ?? 'unknown'}), last{' '}
                    {formatDateTime(r.lastSeen)}
                  </li>
                ))}
              </ul>
            </div>
          </div>
          {failures.onsets.map((o) => (
            <div key={`${o.instance}/${o.project}`} className="alert alert-warning" data-testid="failure-onset">
              <strong>
                {o.instance} / {o.project} started failing at {formatDateTime(o.startedAt)}
              </strong>{' '}
              ({o.category ?? 'unknown'}, {o.failuresSince} in a row
              {o.lastSuccessAt ? `; last success ${formatDateTime(o.lastSuccessAt)}` : ''}).{' '}
              {o.changes.length > 0
                ? `Just before: ${o.changes.map((c) => `${c.description} (${formatDateTime(c.at)})`).join('; ')}.`
                : 'Nothing recorded changed just before.'}
            </div>
          ))}
        </>
      )}
    </section>
  );
}

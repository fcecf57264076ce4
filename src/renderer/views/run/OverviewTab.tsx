import { Fragment } from 'react';
import type { RunDetail } from '../../../shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG, PERFORMANCE_KEYS, PERFORMANCE_SETTINGS, settingName } from '../../../shared/performanceSettings.ts';
import { StatCard } from '../../components/States.tsx';
import { formatBytes, formatDateTime, formatDuration, formatNumber, runDuration } from '../../lib/format.ts';
import { useNow } from '../../lib/hooks.ts';

export function OverviewTab({ run }: { run: RunDetail }) {
  const now = useNow(run.status === 'running');
  const phase = (pick: (p: RunDetail['projects'][number]) => number | null) => run.projects.reduce((n, p) => n + (pick(p) ?? 0), 0);
  return (
    <>
      {run.errorMessage && (
        <div className={`alert ${run.status === 'stopped' ? 'alert-warning' : 'alert-error'}`} data-testid="run-error">
          {run.errorCategory && <span className="category">{run.errorCategory}</span>}
          {run.errorMessage}
        </div>
      )}
      <section className="stats stats-6" aria-label="Summary" data-testid="run-summary">
        <StatCard label="Duration" value={formatDuration(runDuration(run, now))} />
        <StatCard
          label="Issues"
          value={formatNumber(run.totalIssues)}
          sub={`+${formatNumber(run.issuesCreated)} new · ${formatNumber(run.issuesUpdated)} updated`}
          testId="run-issues-card"
        />
        <StatCard label="Unchanged" value={formatNumber(run.issuesUnchanged)} />
        <StatCard label="Deleted" value={formatNumber(run.issuesDeleted)} />
        <StatCard
          label="Projects"
          value={`${run.successfulProjects}/${run.totalProjects}`}
          sub={run.failedProjects > 0 ? `${run.failedProjects} failed` : undefined}
          tone={run.failedProjects > 0 ? 'danger' : undefined}
          testId="run-projects-card"
        />
        <StatCard
          label="Peak memory"
          value={formatBytes(run.peakRssBytes)}
          sub={run.peakHeapBytes ? `heap ${formatBytes(run.peakHeapBytes)}` : undefined}
        />
      </section>
      {run.notices.length > 0 && (
        <section className="card card-padded" aria-labelledby="notices-title">
          <h2 id="notices-title">Notices</h2>
          <ul className="notices" data-testid="run-notices">
            {run.notices.map((notice) => (
              <li key={notice}>{notice}</li>
            ))}
          </ul>
        </section>
      )}
      <div className="two-columns">
        <section className="card card-padded" aria-labelledby="timing-title">
          <h2 id="timing-title">Timing</h2>
          <dl className="facts">
            <dt>Started</dt>
            <dd>{formatDateTime(run.startedAt)}</dd>
            <dt>Finished</dt>
            <dd>{run.completedAt ? formatDateTime(run.completedAt) : '—'}</dd>
            <dt>Waiting for Jira</dt>
            <dd>{formatDuration(phase((p) => p.waitMs))} (summed over projects)</dd>
            <dt>Parsing and validating</dt>
            <dd>{formatDuration(phase((p) => p.parseMs))}</dd>
            <dt>Writing to SQLite</dt>
            <dd>{formatDuration(phase((p) => p.writeMs))}</dd>
            <dt>API calls</dt>
            <dd>{formatNumber(phase((p) => p.apiCalls))}</dd>
            {run.instances.map((instance) => (
              <Fragment key={instance.name}>
                <dt>Jira of {instance.name}</dt>
                <dd data-testid="run-jira-version">{instance.jiraVersion ?? 'version not read'}</dd>
              </Fragment>
            ))}
          </dl>
        </section>
        <section className="card card-padded" aria-labelledby="config-title">
          <h2 id="config-title">Settings used</h2>
          {run.performanceConfig ? (
            <table className="compact" data-testid="run-config">
              <tbody>
                {PERFORMANCE_KEYS.map((key) => {
                  const value = run.performanceConfig![key];
                  const changed = value !== DEFAULT_PERFORMANCE_CONFIG[key];
                  return (
                    <tr key={key} className={changed ? 'changed' : undefined}>
                      <th scope="row" className="mono">
                        {settingName(key)}
                      </th>
                      <td className="num">
                        {String(value)} {PERFORMANCE_SETTINGS[key].unit}
                      </td>
                      <td className="sub">{changed ? `default ${String(DEFAULT_PERFORMANCE_CONFIG[key])}` : 'default'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          ) : (
            <p className="muted">Not recorded for this run.</p>
          )}
        </section>
      </div>
    </>
  );
}

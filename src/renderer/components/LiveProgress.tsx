/**
 * The running sync as it happens: one bar per project (done / expected where Jira said how many),
 * issues per second, ETA, retries and rate-limit waits, and a Stop button.
 */
import type { ProjectProgress } from '../../shared/model.ts';
import { formatDuration, formatNumber, progressFraction, progressText } from '../lib/format.ts';
import { useLiveSync } from '../lib/liveSync.tsx';
import { Spinner, StatusBadge } from './StatusBadge.tsx';

export function LiveProgress() {
  const live = useLiveSync();
  if (!live.activeRunId) return null;
  const projects = live.progress?.projects ?? [];
  const fraction = progressFraction(projects);
  const rate = projects.reduce((n, p) => n + (p.status === 'running' ? p.issuesPerSecond : 0), 0);
  const etas = projects.map((p) => p.etaSeconds).filter((eta): eta is number => eta !== null);
  const retries = projects.reduce((n, p) => n + p.retries, 0);
  const limited = projects.reduce((n, p) => n + p.rateLimited, 0);
  return (
    <section className="card card-padded live" aria-labelledby="live-title" data-testid="live-progress" data-run-id={live.activeRunId}>
      <div className="live-head">
        <h2 id="live-title">
          <Spinner /> Sync running
        </h2>
        <span className="muted" data-testid="live-total">
          {projects.length > 0 ? progressText(projects) : 'Connecting to Jira…'}
        </span>
        <div className="toolbar-spacer" />
        <a className="btn btn-small" href={`#/runs/${live.activeRunId}`}>
          Details
        </a>
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={() => void live.stop()}
          disabled={live.stopping}
          data-testid="stop-sync"
        >
          {live.stopping ? 'Stopping…' : 'Stop'}
        </button>
      </div>
      {fraction !== null && <Bar fraction={fraction} label="Whole sync" />}
      <dl className="live-figures">
        <div>
          <dt>Issues/s</dt>
          <dd data-testid="live-rate">{formatNumber(Math.round(rate))}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd>{etas.length > 0 ? formatDuration(Math.max(...etas) * 1000) : '—'}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd data-testid="live-retries">{formatNumber(retries)}</dd>
        </div>
        <div>
          <dt>Rate-limit waits (429)</dt>
          <dd data-testid="live-rate-limited">{formatNumber(limited)}</dd>
        </div>
      </dl>
      {projects.length > 0 && (
        <ul className="live-projects">
          {projects.map((p) => (
            <ProjectBar key={`${p.instance}/${p.projectKey}`} project={p} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ProjectBar({ project }: { project: ProjectProgress }) {
  const expected = project.expectedIssues;
  const fraction = expected === null ? null : expected === 0 ? 1 : Math.min(1, project.issues / expected);
  return (
    <li className="live-project" data-testid="live-project" data-project={project.projectKey} data-status={project.status}>
      <span className="mono">{project.projectKey}</span>
      <StatusBadge status={project.status} />
      <span className="num">
        {formatNumber(project.issues)}
        {expected !== null && <span className="muted"> / {formatNumber(expected)}</span>}
      </span>
      {fraction !== null ? (
        <Bar fraction={fraction} label={`${project.projectKey} progress`} />
      ) : (
        <span className="muted">total unknown</span>
      )}
      <span className="sub">
        {project.issuesPerSecond > 0 ? `${formatNumber(project.issuesPerSecond)}/s` : ''}
        {project.etaSeconds !== null && project.status === 'running' ? ` · ETA ${formatDuration(project.etaSeconds * 1000)}` : ''}
        {project.retries > 0 ? ` · ${project.retries} retries` : ''}
        {project.rateLimited > 0 ? ` · ${project.rateLimited} × 429` : ''}
      </span>
    </li>
  );
}

function Bar({ fraction, label }: { fraction: number; label: string }) {
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(fraction * 100)}
    >
      <div className="progress-bar" style={{ width: `${fraction * 100}%` }} />
    </div>
  );
}

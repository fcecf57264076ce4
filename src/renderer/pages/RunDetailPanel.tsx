import { useEffect, useId, useRef, useState } from 'react';
import type { ProjectDetail, Run, RunDetail, SyncProgress } from '../../shared/model.ts';
import { errorMessage, getApi, unwrap } from '../api/client.ts';
import { Spinner, StatusBadge } from '../components/StatusBadge.tsx';
import { formatDateTime, formatDuration, formatNumber, progressText, runDuration } from '../lib/format.ts';
import { TableHead } from '../components/TableHead.tsx';

const PROJECT_COLUMNS = [
  { label: 'Instance' },
  { label: 'Project' },
  { label: 'Status' },
  { label: 'Duration', numeric: true },
  { label: 'Issues', numeric: true },
  { label: 'New', numeric: true },
  { label: 'Updated', numeric: true },
  { label: 'Unchanged', numeric: true },
  { label: 'Error' },
];
const PROGRESS_COLUMNS = [
  { label: 'Instance' },
  { label: 'Project' },
  { label: 'Status' },
  { label: 'Issues', numeric: true },
  { label: 'Rate', numeric: true },
];

interface Props {
  runId: string;
  /** The run's latest row from the history table (updated live by events), when it is on the page. */
  liveRun: Run | null;
  progress: SyncProgress | undefined;
  now: number;
  onClose: () => void;
}

/** A side panel with one run's counters, error and per-project table (getRun). */
export function RunDetailPanel({ runId, liveRun, progress, now, onClose }: Props) {
  const [detail, setDetail] = useState<RunDetail | null>(null);
  /** The last load failure, with the run it was for. */
  const [failure, setFailure] = useState<{ runId: string; message: string } | null>(null);
  const titleId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);
  const liveStatus = liveRun?.status;

  // Load on open, and again whenever the run's status changes (e.g. running → completed).
  useEffect(() => {
    let cancelled = false;
    getApi()
      .getRun({ id: runId })
      .then(unwrap)
      .then((run) => {
        if (cancelled) return;
        setDetail(run);
        setFailure(null);
      })
      .catch((e: unknown) => !cancelled && setFailure({ runId, message: errorMessage(e) }));
    return () => {
      cancelled = true;
    };
  }, [runId, liveStatus]);

  useEffect(() => {
    closeRef.current?.focus();
  }, [runId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const shown = detail && detail.id === runId ? detail : null;
  const error = failure?.runId === runId ? failure.message : null;
  // Counters from the live row are at least as fresh as the loaded detail.
  const run: Run | null = liveRun ?? shown;

  return (
    <aside className="drawer" role="dialog" aria-modal="false" aria-labelledby={titleId} data-testid="run-detail">
      <header className="drawer-head">
        <div>
          <h2 id={titleId}>Run details</h2>
          {run && (
            <p className="drawer-sub">
              {formatDateTime(run.startedAt)} · via {run.initiatedBy}
            </p>
          )}
        </div>
        <button ref={closeRef} type="button" className="btn btn-ghost btn-icon" onClick={onClose} aria-label="Close run details">
          ×
        </button>
      </header>

      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      {!run && !error && (
        <div className="drawer-loading">
          <Spinner label="Loading run details" />
        </div>
      )}

      {run && (
        <div className="drawer-body">
          <div className="detail-status">
            <StatusBadge status={run.status} />
            <span>{formatDuration(runDuration(run, now))}</span>
            {run.status === 'running' && progress && <span className="muted">{progressText(progress.projects)}</span>}
          </div>

          {run.errorMessage && (
            <div className="alert alert-error" data-testid="run-error">
              {run.errorCategory && <span className="category">{run.errorCategory}</span>}
              {run.errorMessage}
            </div>
          )}

          <dl className="counters">
            <Counter label="Issues" value={run.totalIssues} />
            <Counter label="Created" value={run.issuesCreated} />
            <Counter label="Updated" value={run.issuesUpdated} />
            <Counter label="Unchanged" value={run.issuesUnchanged} />
            <Counter label="Deleted" value={run.issuesDeleted} />
            <Counter label="Projects" value={`${run.successfulProjects}/${run.totalProjects}`} />
            <Counter label="Failed projects" value={run.failedProjects} danger={run.failedProjects > 0} />
            <Counter label="Finished" value={run.completedAt ? formatDateTime(run.completedAt) : '—'} small />
          </dl>

          <h3>Projects</h3>
          {run.status === 'running' && progress ? (
            <ProgressTable progress={progress} />
          ) : shown ? (
            <ProjectTable projects={shown.projects} />
          ) : (
            <Spinner label="Loading projects" />
          )}
        </div>
      )}
    </aside>
  );
}

function Counter({ label, value, danger, small }: { label: string; value: number | string; danger?: boolean; small?: boolean }) {
  return (
    <div className={`counter${danger ? ' counter-danger' : ''}${small ? ' counter-small' : ''}`}>
      <dt>{label}</dt>
      <dd>{typeof value === 'number' ? formatNumber(value) : value}</dd>
    </div>
  );
}

function ProjectTable({ projects }: { projects: ProjectDetail[] }) {
  if (projects.length === 0) return <p className="muted">No project was synced in this run.</p>;
  return (
    <div className="table-wrap">
      <table className="projects" data-testid="project-table">
        <TableHead columns={PROJECT_COLUMNS} />
        <tbody>
          {projects.map((p) => (
            <tr key={`${p.instance}/${p.projectKey}`}>
              <td>{p.instance}</td>
              <td className="mono">{p.projectKey}</td>
              <td>
                <StatusBadge status={p.status} />
              </td>
              <td className="num">{formatDuration(p.durationMs)}</td>
              <td className="num strong">{formatNumber(p.issuesProcessed)}</td>
              <td className="num">{formatNumber(p.issuesCreated)}</td>
              <td className="num">{formatNumber(p.issuesUpdated)}</td>
              <td className="num">{formatNumber(p.issuesUnchanged)}</td>
              <td className="error-cell">
                {p.errorMessage ? (
                  <>
                    {p.errorCategory && <span className="category">{p.errorCategory}</span>}
                    {p.errorMessage}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProgressTable({ progress }: { progress: SyncProgress }) {
  return (
    <div className="table-wrap">
      <table className="projects" data-testid="progress-table">
        <TableHead columns={PROGRESS_COLUMNS} />
        <tbody>
          {progress.projects.map((p) => (
            <tr key={`${p.instance}/${p.projectKey}`}>
              <td>{p.instance}</td>
              <td className="mono">{p.projectKey}</td>
              <td>
                <StatusBadge status={p.status} />
              </td>
              <td className="num">
                {formatNumber(p.issues)}
                {p.expectedIssues !== null && <span className="muted"> / {formatNumber(p.expectedIssues)}</span>}
              </td>
              <td className="num">
                {p.issuesPerSecond > 0 ? `${p.issuesPerSecond.toFixed(1)}/s` : '—'}
                {p.etaSeconds !== null && p.status === 'running' && <div className="sub">ETA {formatDuration(p.etaSeconds * 1000)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

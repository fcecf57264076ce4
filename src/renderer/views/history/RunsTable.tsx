import type { Run, RunSortKey, SortOrder, SyncProgress } from '../../../shared/model.ts';
import { SortableHeader, type SortColumn } from '../../components/SortableHeader.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { STATUS_LABELS, formatDateTime, formatDuration, formatNumber, issueChanges, progressText, runDuration } from '../../lib/format.ts';

const COLUMNS: Array<SortColumn<RunSortKey>> = [
  { label: 'Date', sort: 'startedAt' },
  { label: 'Status', sort: 'status' },
  { label: 'Duration', sort: 'durationMs', numeric: true },
  { label: 'Issues', sort: 'totalIssues', numeric: true },
  { label: 'Projects', sort: 'totalProjects', numeric: true },
];

export function RunsTable({
  rows,
  now,
  progress,
  sort,
  order,
  onSort,
  loading,
}: {
  rows: Run[] | null;
  now: number;
  progress: SyncProgress | null;
  sort: RunSortKey;
  order: SortOrder;
  onSort: (sort: RunSortKey, order: SortOrder) => void;
  loading: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="runs" data-testid="history-table" aria-busy={loading} aria-describedby="history-range">
        <caption className="visually-hidden">Sync runs</caption>
        <SortableHeader columns={COLUMNS} sort={sort} order={order} onSort={onSort} />
        <tbody className={loading && rows ? 'dimmed' : undefined}>
          {rows === null && <SkeletonRows />}
          {(rows ?? []).map((run) => (
            <RunRow key={run.id} run={run} now={now} progress={progress?.runId === run.id ? progress : null} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RunRow({ run, now, progress }: { run: Run; now: number; progress: SyncProgress | null }) {
  const href = `#/runs/${run.id}`;
  return (
    <tr data-testid="history-row" data-run-id={run.id} data-status={run.status} onClick={() => window.location.assign(href)}>
      <td>
        <a
          className="row-link"
          href={href}
          aria-label={`Run of ${formatDateTime(run.startedAt)}, ${STATUS_LABELS[run.status]}: show details`}
          onClick={(e) => e.stopPropagation()}
        >
          <time dateTime={run.startedAt} title={run.startedAt}>
            {formatDateTime(run.startedAt)}
          </time>
        </a>
        <div className="sub">via {run.initiatedBy}</div>
      </td>
      <td>
        <StatusBadge status={run.status} />
        {run.errorCategory && run.status !== 'stopped' && <span className="category category-small">{run.errorCategory}</span>}
      </td>
      <td className="num" data-testid="run-duration">
        {formatDuration(runDuration(run, now))}
      </td>
      <td className="num">
        <div className="strong" data-testid="run-issues">
          {formatNumber(run.totalIssues)}
        </div>
        <div className="sub" data-testid="run-issues-detail">
          {run.status === 'running' && progress ? progressText(progress.projects) : issueChanges(run)}
        </div>
      </td>
      <td className="num" data-testid="run-projects">
        <div className="strong">
          {run.successfulProjects}/{run.totalProjects}
        </div>
        {run.failedProjects > 0 && <div className="sub text-danger">{run.failedProjects} failed</div>}
      </td>
    </tr>
  );
}

function SkeletonRows() {
  return (
    <>
      {Array.from({ length: 5 }, (_, i) => (
        <tr key={i} className="skeleton-row" aria-hidden="true">
          {Array.from({ length: 5 }, (_, j) => (
            <td key={j}>
              <span className="skeleton" />
            </td>
          ))}
        </tr>
      ))}
    </>
  );
}

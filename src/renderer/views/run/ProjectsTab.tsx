import type { ProjectDetail, ProjectVerification, RunDetail } from '../../../shared/model.ts';
import { callApi } from '../../api/useCall.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { SortableHeader, type SortColumn } from '../../components/SortableHeader.tsx';
import { EmptyState } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatDuration, formatMs, formatNumber } from '../../lib/format.ts';
import { oneOf, type Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { PROJECT_SORT_KEYS, sortProjects, type ProjectSortKey } from './runDetailModel.ts';

const COLUMNS: Array<SortColumn<ProjectSortKey>> = [
  { label: 'Project', sort: 'project' },
  { label: 'Status', sort: 'status' },
  { label: 'Duration', sort: 'durationMs', numeric: true },
  { label: 'Processed', sort: 'issuesProcessed', numeric: true },
  { label: 'New', sort: 'issuesCreated', numeric: true },
  { label: 'Updated', sort: 'issuesUpdated', numeric: true },
  { label: 'Unchanged', sort: 'issuesUnchanged', numeric: true },
  { label: 'Deleted', sort: 'issuesDeleted', numeric: true },
  { label: 'API calls', sort: 'apiCalls', numeric: true },
  { label: 'Retries', sort: 'retries', numeric: true },
  { label: '429s', sort: 'rateLimited', numeric: true },
  { label: 'p50', sort: 'latencyP50Ms', numeric: true },
  { label: 'p95', sort: 'latencyP95Ms', numeric: true },
  { label: 'Verification' },
];

export function ProjectsTab({ run, route }: { run: RunDetail; route: Route }) {
  const update = useParamUpdater(route);
  const sort = oneOf(route.params.sort, PROJECT_SORT_KEYS, 'project');
  const order = oneOf(route.params.order, ['asc', 'desc'] as const, 'asc');
  if (run.projects.length === 0) return <EmptyState title="No project was synced in this run">{run.errorMessage ?? undefined}</EmptyState>;
  return (
    <>
      <div className="toolbar">
        <span className="toolbar-spacer" />
        <ExportButton
          label="Export CSV"
          className="btn btn-small"
          create={() => callApi('exportCsv', { kind: 'run-projects', runId: run.id })}
          testId="export-projects-csv"
        />
      </div>
      <div className="table-wrap">
        <table className="projects" data-testid="project-table">
          <SortableHeader columns={COLUMNS} sort={sort} order={order} onSort={(s, o) => update({ sort: s, order: o }, { replace: true })} />
          <tbody>
            {sortProjects(run.projects, sort, order).map((p) => (
              <ProjectRow key={`${p.instance}/${p.projectKey}`} project={p} />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function ProjectRow({ project: p }: { project: ProjectDetail }) {
  return (
    <tr data-testid="project-row" data-project={p.projectKey}>
      <td>
        <span className="mono strong">{p.projectKey}</span>
        <div className="sub">{p.instance}</div>
      </td>
      <td>
        <StatusBadge status={p.status} />
        {p.errorCategory && <span className="category category-small">{p.errorCategory}</span>}
      </td>
      <td className="num">{formatDuration(p.durationMs)}</td>
      <td className="num strong" data-testid="project-processed">
        {formatNumber(p.issuesProcessed)}
      </td>
      <td className="num">{formatNumber(p.issuesCreated)}</td>
      <td className="num">{formatNumber(p.issuesUpdated)}</td>
      <td className="num">{formatNumber(p.issuesUnchanged)}</td>
      <td className="num">{formatNumber(p.issuesDeleted)}</td>
      <td className="num">{formatNumber(p.apiCalls)}</td>
      <td className="num">{formatNumber(p.retries)}</td>
      <td className="num">{formatNumber(p.rateLimited)}</td>
      <td className="num">{formatMs(p.latencyP50Ms)}</td>
      <td className="num">{formatMs(p.latencyP95Ms)}</td>
      <td>
        <Verification verification={p.verification} />
      </td>
    </tr>
  );
}

const VERIFICATION_LABELS = { exact: 'Exact', approximate: 'Approximate', mismatch: 'Mismatch' } as const;

function Verification({ verification }: { verification: ProjectVerification | null }) {
  if (!verification) return <span className="muted">—</span>;
  const title = `Jira ${formatNumber(verification.jiraCount)} · mirror ${formatNumber(verification.mirrorCount)} (${verification.method}, issues updated before ${new Date(verification.before).toLocaleString()})`;
  return (
    <span className={`verification verification-${verification.result}`} title={title}>
      {VERIFICATION_LABELS[verification.result]}
      <span className="sub">
        {' '}
        {formatNumber(verification.mirrorCount)}/{formatNumber(verification.jiraCount)}
      </span>
    </span>
  );
}

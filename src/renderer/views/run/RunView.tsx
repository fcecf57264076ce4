/** One run, deep-linkable by id: tabs Overview, Projects, Metrics and Errors (`#/runs/<id>/<tab>`). */
import { useCall } from '../../api/useCall.ts';
import { LiveProgress } from '../../components/LiveProgress.tsx';
import { LoadError } from '../../components/States.tsx';
import { Spinner, StatusBadge } from '../../components/StatusBadge.tsx';
import { Tabs } from '../../components/Tabs.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { useLiveSync } from '../../lib/liveSync.tsx';
import { formatRoute, oneOf, type Route } from '../../lib/router.ts';
import { ErrorsTab } from './ErrorsTab.tsx';
import { MetricsTab } from './MetricsTab.tsx';
import { OverviewTab } from './OverviewTab.tsx';
import { ProjectsTab } from './ProjectsTab.tsx';
import { groupErrors } from './runDetailModel.ts';

const TABS = ['overview', 'projects', 'metrics', 'errors'] as const;
type Tab = (typeof TABS)[number];

export function RunView({ route }: { route: Route }) {
  const id = route.segments[0] ?? '';
  const tab = oneOf(route.segments[1], TABS, 'overview');
  const live = useLiveSync();
  const detail = useCall('getRun', id ? { id } : null, { refreshOn: ['runUpdated'], throttleMs: 2000 });
  const run = detail.data && !detail.stale ? detail.data : null;
  const errorCount = run ? groupErrors(run).reduce((n, g) => n + g.failures.length, 0) : 0;
  const tabs: Array<{ id: Tab; label: string }> = [
    { id: 'overview', label: 'Overview' },
    { id: 'projects', label: run ? `Projects (${run.projects.length})` : 'Projects' },
    { id: 'metrics', label: 'Metrics' },
    { id: 'errors', label: run ? `Errors (${errorCount})` : 'Errors' },
  ];

  return (
    <div data-testid="run-detail" data-run-id={id}>
      <div className="page-head">
        <div>
          <a href="#/history" className="back-link">
            ← History
          </a>
          <h1>Run details</h1>
          {run && (
            <p className="page-sub">
              <StatusBadge status={run.status} /> {formatDateTime(run.startedAt)} · via {run.initiatedBy}
            </p>
          )}
        </div>
      </div>
      {live.activeRunId === id && <LiveProgress />}
      {detail.error && !run && <LoadError what="this run" message={detail.error} onRetry={detail.reload} />}
      {!run && !detail.error && <Spinner label="Loading the run" />}
      {run && (
        <>
          <Tabs label="Run details" tabs={tabs} current={tab} hrefOf={(t) => formatRoute({ view: 'runs', segments: [id, t] })} />
          <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="tab-panel" data-testid={`panel-${tab}`}>
            {tab === 'overview' && <OverviewTab run={run} />}
            {tab === 'projects' && <ProjectsTab run={run} route={route} />}
            {tab === 'metrics' && <MetricsTab run={run} />}
            {tab === 'errors' && <ErrorsTab run={run} />}
          </div>
        </>
      )}
    </div>
  );
}

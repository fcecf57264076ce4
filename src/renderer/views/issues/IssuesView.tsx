/** Issues: the mirror browsed offline — full-text search, filters, sortable pages and a detail pane. */
import type { Instance } from '../../../shared/model.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { ExportButton } from '../../components/ExportButton.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { EmptyState, LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import type { Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { IssueDetailPane } from './IssueDetailPane.tsx';
import { IssueFilters } from './IssueFilters.tsx';
import { IssueTable } from './IssueTable.tsx';
import { ISSUE_PAGE_SIZE, issueExport, issueSearch, selectedIssue } from './issueParams.ts';

export function IssuesView({ route, instances }: { route: Route; instances: Instance[] }) {
  const update = useParamUpdater(route);
  const search = issueSearch(route.params);
  const selected = selectedIssue(route.params);
  const results = useCall('searchIssues', search, { refreshOn: ['runUpdated'], throttleMs: 5000 });
  const facets = useCall('getIssueFacets', {
    ...(search.instance ? { instance: search.instance } : {}),
    ...(search.project ? { project: search.project } : {}),
  });
  const mirrors = useCall('listInstanceMirrors', {}, { refreshOn: ['instancesChanged'] });
  const filtered = Object.keys(route.params).some((key) => !['page', 'sort', 'order', 'issue'].includes(key));
  const select = (issue: { instance: string; id: string } | null) =>
    update({ issue: issue ? `${issue.instance}:${issue.id}` : undefined, page: route.params.page }, { replace: true });

  return (
    <div data-testid="issues">
      <div className="page-head">
        <div>
          <h1>Issues</h1>
          <p className="page-sub">Everything the mirror holds, searchable offline.</p>
        </div>
        <div className="page-actions">
          <ExportButton
            label="Export CSV"
            create={() => callApi('exportCsv', issueExport(search))}
            disabled={!results.data || results.data.total === 0}
            testId="export-issues-csv"
          />
        </div>
      </div>
      <div className={`split${selected ? ' split-open' : ''}`}>
        <div className="card">
          <IssueFilters params={route.params} instances={instances} mirrors={mirrors.data} facets={facets.data} update={update} />
          {results.error && <LoadError what="the issues" message={results.error} onRetry={results.reload} />}
          {results.data && results.data.total === 0 && !results.loading ? (
            filtered ? (
              <EmptyState title="No issue matches">Try fewer words or filters; words match as prefixes, all of them must occur.</EmptyState>
            ) : (
              <EmptyState
                title="The mirror is empty"
                action={
                  <a className="btn btn-primary" href="#/dashboard">
                    Go to the dashboard and sync
                  </a>
                }
              >
                Issues appear here after the first sync.
              </EmptyState>
            )
          ) : results.data ? (
            <>
              <IssueTable
                rows={results.data.rows}
                selected={selected}
                loading={results.loading}
                sort={search.sort}
                order={search.order ?? 'desc'}
                rankable={
                  search.text !== undefined &&
                  !['instance', 'project', 'status', 'type', 'assignee', 'from', 'to'].some((key) => route.params[key])
                }
                onSort={(sort, order) => update({ sort, order })}
                onSelect={select}
              />
              <Pagination
                offset={search.offset ?? 0}
                shown={results.data.rows.length}
                total={results.data.total}
                pageSize={ISSUE_PAGE_SIZE}
                disabled={results.loading}
                onPage={(page) => update({ page: page || undefined, issue: route.params.issue })}
              />
            </>
          ) : (
            !results.error && <Spinner label="Searching" />
          )}
        </div>
        {selected && <IssueDetailPane issue={selected} onClose={() => select(null)} />}
      </div>
    </div>
  );
}

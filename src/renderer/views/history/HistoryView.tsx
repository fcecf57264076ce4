/** History: every run, filtered (status, dates, instance, initiator) and sorted from the URL, with charts and CSV export. */
import { useState } from 'react';
import type { Instance } from '../../../shared/model.ts';
import { errorMessage } from '../../api/errors.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { Pagination } from '../../components/Pagination.tsx';
import { EmptyState, LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { LiveProgress } from '../../components/LiveProgress.tsx';
import { SyncIcon } from '../../components/Icons.tsx';
import { utcOffsetMinutes } from '../../lib/format.ts';
import { downloadBlob } from '../../lib/download.ts';
import { useNow } from '../../lib/hooks.ts';
import { useLiveSync, withLiveRuns } from '../../lib/liveSync.tsx';
import type { Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { HistoryCharts } from './HistoryCharts.tsx';
import { HistoryFilters } from './HistoryFilters.tsx';
import { PAGE_SIZE, historyQuery, historyState, trendQuery } from './historyParams.ts';
import { RunsTable } from './RunsTable.tsx';

export function HistoryView({ route, instances }: { route: Route; instances: Instance[] }) {
  const state = historyState(route.params);
  const update = useParamUpdater(route);
  const live = useLiveSync();
  const now = useNow(live.activeRunId !== null);
  // The end of today, not "now": the query stays the same while new runs arrive (and are charted).
  const [chartEnd] = useState(() => new Date().setHours(23, 59, 59, 999));
  const runs = useCall('listRuns', state.rangeError ? null : historyQuery(state), { refreshOn: ['runUpdated'], throttleMs: 1500 });
  const trends = useCall('getTrends', state.rangeError ? null : trendQuery(state, chartEnd, utcOffsetMinutes()), {
    refreshOn: ['runUpdated'],
    throttleMs: 5000,
  });
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const busy = live.starting || live.activeRunId !== null;
  const rows = runs.data ? withLiveRuns(runs.data.rows, live.runs) : null;

  async function exportCsv() {
    setExportError(null);
    setExporting(true);
    try {
      const { csv } = await callApi('exportRuns', { ...state.filter, sort: state.sort, order: state.order });
      downloadBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), `jira-mirror-history-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (e) {
      setExportError(errorMessage(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <div data-testid="history">
      <div className="page-head">
        <div>
          <h1>Sync history</h1>
          <p className="page-sub">Every mirror run. Open a run for its projects, metrics and errors.</p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className="btn"
            onClick={() => void exportCsv()}
            disabled={exporting || !runs.data || runs.data.total === 0}
            data-testid="export-csv"
          >
            {exporting && <Spinner />} Export CSV
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void live.start()} disabled={busy} data-testid="sync-now">
            {busy ? <Spinner /> : <SyncIcon />}
            {busy ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      </div>
      {(live.error || exportError) && (
        <div className="alert alert-error" role="alert" data-testid="sync-error">
          {live.error ?? exportError}
        </div>
      )}
      <LiveProgress />
      <div className="card">
        <HistoryFilters state={state} params={route.params} instances={instances} update={update} />
        {state.rangeError && (
          <div className="alert alert-warning" role="alert">
            {state.rangeError}
          </div>
        )}
        {runs.error && <LoadError what="the history" message={runs.error} onRetry={runs.reload} />}
        {runs.data && runs.data.total === 0 && !runs.loading ? (
          state.filtered ? (
            <EmptyState title="No runs match these filters">Try another status, instance or a wider date range.</EmptyState>
          ) : (
            <EmptyState
              title="No sync runs yet"
              action={
                <button type="button" className="btn btn-primary" onClick={() => void live.start()} disabled={busy}>
                  <SyncIcon /> Sync now
                </button>
              }
            >
              Start the first sync to mirror your Jira issues. Each run will show up here with its results.
            </EmptyState>
          )
        ) : (
          !state.rangeError && (
            <RunsTable
              rows={rows}
              now={now}
              progress={live.progress}
              sort={state.sort}
              order={state.order}
              loading={runs.loading}
              onSort={(sort, order) => update({ sort, order })}
            />
          )
        )}
        {runs.data && runs.data.total > 0 && (
          <Pagination
            id="history-range"
            offset={state.page * PAGE_SIZE}
            shown={runs.data.rows.length}
            total={runs.data.total}
            pageSize={PAGE_SIZE}
            disabled={runs.loading}
            onPage={(page) => update({ page: page || undefined })}
          />
        )}
      </div>
      <HistoryCharts trends={trends.data} />
    </div>
  );
}

import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { CallInput } from '../../shared/contract.ts';
import { RUN_STATUSES } from '../../shared/model.ts';
import type { Run, RunStatus, StatsSummary, SyncProgress } from '../../shared/model.ts';
import { ApiCallError, errorMessage, getApi, unwrap } from '../api/client.ts';
import { Spinner, StatusBadge } from '../components/StatusBadge.tsx';
import {
  STATUS_LABELS,
  dayEndIso,
  dayStartIso,
  formatDateTime,
  formatDuration,
  formatNumber,
  issueChanges,
  pageRange,
  progressFraction,
  progressText,
  runDuration,
} from '../lib/format.ts';
import { applyRunUpdate, fresher, mergeLoaded, type HistoryView } from '../lib/historyState.ts';
import { useApiEvent, useNow } from '../lib/hooks.ts';
import { RunDetailPanel } from './RunDetailPanel.tsx';
import { TableHead } from '../components/TableHead.tsx';
import { EmptyIcon, RefreshIcon, SyncIcon } from '../components/Icons.tsx';

const RUN_COLUMNS = [
  { label: 'Date' },
  { label: 'Status' },
  { label: 'Duration', numeric: true },
  { label: 'Issues', numeric: true },
  { label: 'Projects', numeric: true },
];

export const PAGE_SIZE = 25;
/** Safety net should the event stream drop: how often to re-check a run we believe is active. */
const ACTIVE_RECHECK_MS = 5000;

interface Filter {
  status: RunStatus | '';
  from: string;
  to: string;
}
const NO_FILTER: Filter = { status: '', from: '', to: '' };

export function HistoryPage({ initialActiveRunId = null }: { initialActiveRunId?: string | null }) {
  const api = getApi();
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [offset, setOffset] = useState(0);
  const [view, setViewState] = useState<HistoryView | null>(null);
  const viewRef = useRef<HistoryView | null>(null);
  /** The query whose answer is on screen (or failed); loading while it differs from the current one. */
  const [settledKey, setSettledKey] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [newActivity, setNewActivity] = useState(false);
  const [reloadKey, setReloadKey] = useState(0);
  const [activeRunId, setActiveRunIdState] = useState<string | null>(initialActiveRunId);
  const activeRef = useRef<string | null>(initialActiveRunId);
  /** Runs seen finishing, so a late startSync answer cannot mark a finished run active. */
  const finishedRef = useRef(new Set<string>());
  const [starting, setStarting] = useState(false);
  const [syncError, setSyncError] = useState<string | null>(null);
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [stats, setStats] = useState<StatsSummary | null>(null);
  const [statsKey, setStatsKey] = useState(0);
  /** Events received while a page load is in flight, folded in when it lands. */
  const pendingRef = useRef<Map<string, Run> | null>(null);
  const loadSeq = useRef(0);
  const lastFocus = useRef<HTMLElement | null>(null);
  const ids = { status: useId(), from: useId(), to: useId() };

  const setActiveRunId = useCallback((id: string | null) => {
    activeRef.current = id;
    setActiveRunIdState(id);
  }, []);

  const setView = useCallback((next: HistoryView | null) => {
    viewRef.current = next;
    setViewState(next);
  }, []);

  const filtered = filter.status !== '' || filter.from !== '' || filter.to !== '';
  const filterError = filter.from && filter.to && filter.from > filter.to ? 'The “from” date is after the “to” date.' : null;
  const queryKey = JSON.stringify([offset, filter.status, filter.from, filter.to, reloadKey]);
  const loading = !filterError && settledKey !== queryKey;

  // Load the current page whenever the query changes (or a refresh is asked for).
  useEffect(() => {
    if (filterError) return;
    const seq = ++loadSeq.current;
    const pending = new Map<string, Run>();
    pendingRef.current = pending;
    const query: CallInput<'listRuns'> = { limit: PAGE_SIZE, offset };
    if (filter.status) query.status = filter.status;
    const from = dayStartIso(filter.from);
    const to = dayEndIso(filter.to);
    if (from) query.from = from;
    if (to) query.to = to;
    api
      .listRuns(query)
      .then(unwrap)
      .then((page) => {
        if (seq !== loadSeq.current) return;
        pendingRef.current = null;
        setView(mergeLoaded({ ...page, offset, pageSize: PAGE_SIZE, filtered }, pending.values()));
        setLoadError(null);
        setNewActivity(false);
        setSettledKey(queryKey);
      })
      .catch((error: unknown) => {
        if (seq !== loadSeq.current) return;
        pendingRef.current = null;
        setLoadError(errorMessage(error));
        setSettledKey(queryKey);
      });
    // `queryKey` stands for offset, filter and reloadKey; `filtered` derives from `filter`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queryKey, filterError]);

  // Which run is active right now (a sync may have been started elsewhere: CLI, tray, another window).
  const recheckActive = useCallback(
    () =>
      api
        .getActiveSync({})
        .then(unwrap)
        .then(({ runId }) => {
          if (activeRef.current !== runId) {
            setActiveRunId(runId);
            setReloadKey((k) => k + 1);
          }
        })
        .catch(() => {
          // Leave the current belief; the next event or refresh corrects it.
        }),
    [api, setActiveRunId],
  );

  useEffect(() => {
    void recheckActive();
  }, [recheckActive]);

  useEffect(() => {
    if (!activeRunId) return;
    const timer = setInterval(() => void recheckActive(), ACTIVE_RECHECK_MS);
    return () => clearInterval(timer);
  }, [activeRunId, recheckActive]);

  useEffect(() => {
    let cancelled = false;
    api
      .getStats({ days: 30 })
      .then(unwrap)
      .then((summary) => !cancelled && setStats(summary))
      .catch(() => !cancelled && setStats(null));
    return () => {
      cancelled = true;
    };
  }, [api, statsKey]);

  useApiEvent('runUpdated', (run) => {
    if (run.status === 'running') {
      setActiveRunId(run.id);
    } else {
      finishedRef.current.add(run.id);
      if (activeRef.current === run.id) setActiveRunId(null);
      setProgress((current) => {
        if (!(run.id in current)) return current;
        const next = { ...current };
        delete next[run.id];
        return next;
      });
      setStatsKey((k) => k + 1);
    }
    const pending = pendingRef.current;
    if (pending) {
      const known = pending.get(run.id);
      pending.set(run.id, known ? fresher(known, run) : run);
    }
    const current = viewRef.current;
    if (!current) return;
    const outcome = applyRunUpdate(current, run);
    if (outcome.view !== current) setView(outcome.view);
    if (outcome.newActivity) setNewActivity(true);
  });

  useApiEvent('syncProgress', (update) => {
    setProgress((current) => ({ ...current, [update.runId]: update }));
  });

  const rows = view?.rows ?? [];
  const anyRunning = rows.some((run) => run.status === 'running');
  const now = useNow(anyRunning);
  const busy = starting || activeRunId !== null;

  async function syncNow() {
    setSyncError(null);
    setStarting(true);
    try {
      const { runId } = unwrap(await api.startSync({}));
      if (!finishedRef.current.has(runId)) setActiveRunId(runId);
      // The runUpdated event normally adds the row; if it has not arrived, load page 1 again.
      const shown = viewRef.current?.rows.some((row) => row.id === runId);
      if (!shown && offset === 0 && !filtered) setReloadKey((k) => k + 1);
    } catch (error) {
      setSyncError(errorMessage(error));
      if (error instanceof ApiCallError && error.code === 'CONFLICT') void recheckActive();
    } finally {
      setStarting(false);
    }
  }

  function refresh() {
    setStatsKey((k) => k + 1);
    setReloadKey((k) => k + 1);
    void recheckActive();
  }

  function changeFilter(patch: Partial<Filter>) {
    setFilter((current) => ({ ...current, ...patch }));
    setOffset(0);
  }

  function openRun(id: string, origin: HTMLElement | null) {
    lastFocus.current = origin;
    setSelectedId(id);
  }

  function closeRun() {
    setSelectedId(null);
    lastFocus.current?.focus();
  }

  const selectedRun = rows.find((run) => run.id === selectedId) ?? null;

  return (
    <main className="page" id="main">
      <div className="page-head">
        <div>
          <h1>Sync history</h1>
          <p className="page-sub">Every mirror run, newest first. Click a run for its per-project details.</p>
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={refresh} data-testid="refresh" disabled={loading && !view}>
            <RefreshIcon /> Refresh
          </button>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void syncNow()}
            disabled={busy}
            aria-busy={busy}
            data-testid="sync-now"
          >
            {busy ? <Spinner /> : <SyncIcon />}
            {busy ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      </div>

      {syncError && (
        <div className="alert alert-error" role="alert" data-testid="sync-error">
          <strong>Could not start a sync.</strong> {syncError}
          <button type="button" className="alert-close" aria-label="Dismiss" onClick={() => setSyncError(null)}>
            ×
          </button>
        </div>
      )}

      <StatsStrip stats={stats} />

      <div className="card">
        <div className="toolbar" role="search" aria-label="Filter runs">
          <div className="field-inline">
            <label htmlFor={ids.status}>Status</label>
            <select
              id={ids.status}
              value={filter.status}
              onChange={(e) => changeFilter({ status: e.target.value as RunStatus | '' })}
              data-testid="status-filter"
            >
              <option value="">All statuses</option>
              {RUN_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {STATUS_LABELS[status]}
                </option>
              ))}
            </select>
          </div>
          <div className="field-inline">
            <label htmlFor={ids.from}>From</label>
            <input
              id={ids.from}
              type="date"
              value={filter.from}
              max={filter.to || undefined}
              onChange={(e) => changeFilter({ from: e.target.value })}
              data-testid="date-from"
            />
          </div>
          <div className="field-inline">
            <label htmlFor={ids.to}>To</label>
            <input
              id={ids.to}
              type="date"
              value={filter.to}
              min={filter.from || undefined}
              onChange={(e) => changeFilter({ to: e.target.value })}
              data-testid="date-to"
            />
          </div>
          {filtered && (
            <button type="button" className="btn btn-ghost" onClick={() => changeFilter(NO_FILTER)} data-testid="clear-filters">
              Clear filters
            </button>
          )}
          <div className="toolbar-spacer" />
          {newActivity && (
            <button type="button" className="btn btn-ghost notice" onClick={refresh} data-testid="new-activity">
              New runs since this page loaded · Refresh
            </button>
          )}
          {loading && view && <Spinner label="Loading runs" />}
        </div>

        {filterError && (
          <div className="alert alert-warning" role="alert">
            {filterError}
          </div>
        )}
        {loadError && (
          <div className="alert alert-error" role="alert" data-testid="load-error">
            <strong>Could not load the history.</strong> {loadError}{' '}
            <button type="button" className="btn btn-small" onClick={refresh}>
              Try again
            </button>
          </div>
        )}

        {view && view.total === 0 && !loading ? (
          filtered ? (
            <div className="empty" data-testid="empty-state">
              <h2>No runs match these filters</h2>
              <p>Try another status or a wider date range.</p>
              <button type="button" className="btn" onClick={() => changeFilter(NO_FILTER)}>
                Clear filters
              </button>
            </div>
          ) : busy ? (
            <div className="empty" data-testid="empty-state">
              <Spinner label="Starting" />
              <h2>Starting the first sync…</h2>
              <p>The run will appear here in a moment, with live progress.</p>
            </div>
          ) : (
            <div className="empty" data-testid="empty-state">
              <EmptyIcon />
              <h2>No sync runs yet</h2>
              <p>Start the first sync to mirror your Jira issues. Each run will show up here with its results.</p>
              <button type="button" className="btn btn-primary" onClick={() => void syncNow()} disabled={busy}>
                {busy ? <Spinner /> : <SyncIcon />} Sync now
              </button>
            </div>
          )
        ) : (
          <div className="table-wrap">
            <table className="runs" data-testid="history-table" aria-busy={loading} aria-describedby="history-range">
              <caption className="visually-hidden">Sync runs, newest first</caption>
              <TableHead columns={RUN_COLUMNS} />
              <tbody className={loading && view ? 'dimmed' : undefined}>
                {!view && loading && <SkeletonRows />}
                {rows.map((run) => (
                  <RunRow key={run.id} run={run} now={now} progress={progress[run.id]} selected={run.id === selectedId} onOpen={openRun} />
                ))}
              </tbody>
            </table>
          </div>
        )}

        {view && view.total > 0 && (
          <nav className="pagination" aria-label="Pagination">
            <span id="history-range" data-testid="pagination-range" aria-live="polite">
              {pageRange(view.offset, rows.length, view.total)}
            </span>
            <div className="pagination-buttons">
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                disabled={offset === 0 || loading}
                data-testid="page-prev"
              >
                ‹ Previous
              </button>
              <button
                type="button"
                className="btn btn-small"
                onClick={() => setOffset(offset + PAGE_SIZE)}
                disabled={offset + PAGE_SIZE >= view.total || loading}
                data-testid="page-next"
              >
                Next ›
              </button>
            </div>
          </nav>
        )}
      </div>

      {selectedId && (
        <RunDetailPanel runId={selectedId} liveRun={selectedRun} progress={progress[selectedId]} now={now} onClose={closeRun} />
      )}
    </main>
  );
}

function RunRow({
  run,
  now,
  progress,
  selected,
  onOpen,
}: {
  run: Run;
  now: number;
  progress: SyncProgress | undefined;
  selected: boolean;
  onOpen: (id: string, origin: HTMLElement | null) => void;
}) {
  const running = run.status === 'running';
  const fraction = running && progress ? progressFraction(progress.projects) : null;
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <tr
      data-testid="history-row"
      data-run-id={run.id}
      data-status={run.status}
      className={selected ? 'selected' : undefined}
      onClick={() => onOpen(run.id, buttonRef.current)}
    >
      <td>
        <button
          ref={buttonRef}
          type="button"
          className="row-link"
          aria-label={`Run of ${formatDateTime(run.startedAt)}, ${STATUS_LABELS[run.status]}: show details`}
          onClick={(e) => {
            e.stopPropagation();
            onOpen(run.id, e.currentTarget);
          }}
        >
          <time dateTime={run.startedAt} title={run.startedAt}>
            {formatDateTime(run.startedAt)}
          </time>
        </button>
        <div className="sub">via {run.initiatedBy}</div>
      </td>
      <td>
        <StatusBadge status={run.status} />
      </td>
      <td className="num" data-testid="run-duration">
        {formatDuration(runDuration(run, now))}
      </td>
      <td className="num">
        <div className="strong" data-testid="run-issues">
          {formatNumber(run.totalIssues)}
        </div>
        <div className="sub" data-testid="run-issues-detail">
          {running && progress ? progressText(progress.projects) : issueChanges(run)}
        </div>
        {fraction !== null && (
          <div
            className="progress"
            role="progressbar"
            aria-label="Sync progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(fraction * 100)}
          >
            <div className="progress-bar" style={{ width: `${fraction * 100}%` }} />
          </div>
        )}
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

function StatsStrip({ stats }: { stats: StatsSummary | null }) {
  if (!stats || stats.totalRuns === 0) return null;
  const rate = stats.successRate === null ? '—' : `${Math.round(stats.successRate * 100)} %`;
  return (
    <section className="stats" aria-label={`Last ${stats.days} days`} data-testid="stats">
      <div className="stat">
        <span className="stat-label">Runs · {stats.days} days</span>
        <span className="stat-value">{formatNumber(stats.totalRuns)}</span>
      </div>
      <div className="stat">
        <span className="stat-label">Success rate</span>
        <span className="stat-value">{rate}</span>
      </div>
      <div className="stat">
        <span className="stat-label">Median duration</span>
        <span className="stat-value">{formatDuration(stats.p50DurationMs)}</span>
      </div>
      <div className="stat">
        <span className="stat-label">Issues synced</span>
        <span className="stat-value">{formatNumber(stats.totalIssues)}</span>
        <span className="stat-sub">
          +{formatNumber(stats.issuesCreated)} new · {formatNumber(stats.issuesUpdated)} updated
        </span>
      </div>
    </section>
  );
}

/**
 * The one place the renderer follows syncs: which run is active, its latest counters and live
 * per-project progress, and starting or stopping it. Every view reads it through `useLiveSync`.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Run, SyncProgress, SyncRequest } from '../../shared/model.ts';
import { ApiCallError, errorMessage } from '../api/errors.ts';
import { callApi } from '../api/useCall.ts';
import { useApiEvent } from './hooks.ts';

export interface LiveSync {
  /** The running sync's id, or null. */
  activeRunId: string | null;
  /** The newest snapshot of every run seen this session (live counters for tables). */
  runs: Record<string, Run>;
  /** Live progress of the active run, once the engine has reported it. */
  progress: SyncProgress | null;
  starting: boolean;
  stopping: boolean;
  error: string | null;
  start(request?: SyncRequest): Promise<string | null>;
  stop(): Promise<void>;
  dismissError(): void;
}

const LiveSyncContext = createContext<LiveSync | null>(null);

/** Should the event stream drop, how often to re-ask which run is active. */
const RECHECK_MS = 5000;

/** Of two snapshots of the same run, the more advanced one (a finished run beats a running one). */
export function fresher(current: Run, incoming: Run): Run {
  const currentDone = current.status !== 'running';
  const incomingDone = incoming.status !== 'running';
  if (currentDone !== incomingDone) return incomingDone ? incoming : current;
  const score = (run: Run) => run.totalIssues + run.successfulProjects + run.failedProjects;
  return score(incoming) >= score(current) ? incoming : current;
}

export function LiveSyncProvider({ children }: { children: ReactNode }) {
  const [activeRunId, setActiveRunId] = useState<string | null>(null);
  const [runs, setRuns] = useState<Record<string, Run>>({});
  /** Latest progress per running run (another process's run may report too). */
  const [progress, setProgress] = useState<Record<string, SyncProgress>>({});
  const [starting, setStarting] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const finished = useRef(new Set<string>());

  const recheck = useCallback(
    () =>
      callApi('getActiveSync', {})
        .then(({ runId }) => setActiveRunId(runId !== null && finished.current.has(runId) ? null : runId))
        .catch(() => undefined),
    [],
  );

  useEffect(() => {
    void recheck();
  }, [recheck]);

  useEffect(() => {
    if (!activeRunId) return;
    const timer = setInterval(() => void recheck(), RECHECK_MS);
    return () => clearInterval(timer);
  }, [activeRunId, recheck]);

  useApiEvent('runUpdated', (run) => {
    setRuns((current) => {
      const known = current[run.id];
      const next = known ? fresher(known, run) : run;
      return next === known ? current : { ...current, [run.id]: next };
    });
    if (run.status === 'running') {
      if (!finished.current.has(run.id)) setActiveRunId(run.id);
    } else {
      finished.current.add(run.id);
      setActiveRunId((current) => (current === run.id ? null : current));
      setProgress(({ [run.id]: _done, ...others }) => others);
      setStopping(false);
    }
  });

  useApiEvent('syncProgress', (update) => {
    if (!finished.current.has(update.runId)) setProgress((current) => ({ ...current, [update.runId]: update }));
  });

  const start = useCallback(
    async (request: SyncRequest = {}) => {
      setError(null);
      setStarting(true);
      try {
        const { runId } = await callApi('startSync', request);
        if (!finished.current.has(runId)) setActiveRunId(runId);
        return runId;
      } catch (e) {
        setError(errorMessage(e));
        if (e instanceof ApiCallError && e.code === 'CONFLICT') void recheck();
        return null;
      } finally {
        setStarting(false);
      }
    },
    [recheck],
  );

  const stop = useCallback(async () => {
    if (!activeRunId) return;
    setStopping(true);
    try {
      await callApi('stopSync', { id: activeRunId });
    } catch (e) {
      setError(errorMessage(e));
      setStopping(false);
    }
  }, [activeRunId]);

  const value = useMemo<LiveSync>(
    () => ({
      activeRunId,
      runs,
      progress: activeRunId ? (progress[activeRunId] ?? null) : null,
      starting,
      stopping,
      error,
      start,
      stop,
      dismissError: () => setError(null),
    }),
    [activeRunId, runs, progress, starting, stopping, error, start, stop],
  );
  return <LiveSyncContext.Provider value={value}>{children}</LiveSyncContext.Provider>;
}

export function useLiveSync(): LiveSync {
  const value = useContext(LiveSyncContext);
  if (!value) throw new Error('useLiveSync needs a LiveSyncProvider');
  return value;
}

/** Rows of a table with every run's newest known snapshot. */
export function withLiveRuns(rows: Run[], runs: Record<string, Run>): Run[] {
  return rows.map((row) => (runs[row.id] ? fresher(row, runs[row.id]!) : row));
}

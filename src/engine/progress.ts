/** Live per-project progress of one run, pushed to the UI at a bounded rate. */
import type { ProjectProgress, SyncProgress } from '../shared/model.ts';

const EMIT_INTERVAL_MS = 250;

export class ProgressTracker {
  readonly #runId: string;
  readonly #projects = new Map<string, ProjectProgress & { startedMs: number }>();
  readonly #emit: (progress: SyncProgress) => void;
  #lastEmitMs = 0;

  constructor(runId: string, emit: (progress: SyncProgress) => void) {
    this.#runId = runId;
    this.#emit = emit;
  }

  add(instance: string, projectKey: string): void {
    this.#projects.set(`${instance}/${projectKey}`, {
      instance,
      projectKey,
      status: 'queued',
      pages: 0,
      issues: 0,
      expectedIssues: null,
      retries: 0,
      rateLimited: 0,
      issuesPerSecond: 0,
      etaSeconds: null,
      startedMs: 0,
    });
  }

  update(instance: string, projectKey: string, change: Partial<ProjectProgress>): void {
    const entry = this.#projects.get(`${instance}/${projectKey}`);
    if (!entry) return;
    if (change.status === 'running' && entry.status === 'queued') entry.startedMs = performance.now();
    Object.assign(entry, change);
    const elapsedS = (performance.now() - entry.startedMs) / 1000;
    entry.issuesPerSecond = elapsedS > 0 ? Math.round(entry.issues / elapsedS) : 0;
    entry.etaSeconds =
      entry.expectedIssues !== null && entry.issuesPerSecond > 0 && entry.status === 'running'
        ? Math.max(0, Math.round((entry.expectedIssues - entry.issues) / entry.issuesPerSecond))
        : null;
    this.flush(false);
  }

  flush(force = true): void {
    const now = performance.now();
    if (!force && now - this.#lastEmitMs < EMIT_INTERVAL_MS) return;
    this.#lastEmitMs = now;
    this.#emit({
      runId: this.#runId,
      projects: [...this.#projects.values()].map(({ startedMs: _startedMs, ...progress }) => progress),
    });
  }
}

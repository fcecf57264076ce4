/** Recorded runs written straight into a store through its real repository functions. */
import { randomUUID } from 'node:crypto';
import type { Initiator } from '../../src/shared/model.ts';
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import type { Store } from '../../src/store/db.ts';
import { createRun, finalizeRun, finishProjectDetail, recordRunInstances, startProjectDetail } from '../../src/store/runs.ts';

export interface SeedProject {
  instance?: { id: string; name: string };
  key: string;
  status?: 'completed' | 'failed';
  issues?: number;
  durationMs?: number;
  apiCalls?: number;
  rateLimited?: number;
  latencyP50Ms?: number;
  latencyP95Ms?: number | null;
  latencyMaxMs?: number;
  errorCategory?: 'Timeout' | 'Network' | 'Authentication' | null;
}

export interface SeedRun {
  startedAtMs: number;
  status: 'completed' | 'failed' | 'partial' | 'stopped' | 'interrupted';
  durationMs: number;
  initiatedBy?: Initiator;
  instances?: Array<{ id: string; name: string }>;
  projects?: SeedProject[];
  errorCategory?: 'Network' | 'Authentication' | 'Timeout' | null;
  errorMessage?: string | null;
}

const DEFAULT_INSTANCE = { id: 'instance-1', name: 'acme' };

/** Writes one finished run (and its project details) as the engine would; returns its id. */
export function seedRun(store: Store, seed: SeedRun): string {
  const id = randomUUID();
  createRun(store, {
    id,
    initiatedBy: seed.initiatedBy ?? 'cli',
    performanceConfig: DEFAULT_PERFORMANCE_CONFIG,
    ownerPid: process.pid,
    ownerHost: 'seed',
    startedAtMs: seed.startedAtMs,
  });
  recordRunInstances(store, id, seed.instances ?? [DEFAULT_INSTANCE]);
  for (const project of seed.projects ?? []) {
    const instance = project.instance ?? DEFAULT_INSTANCE;
    const detailId = startProjectDetail(store, {
      runId: id,
      instanceId: instance.id,
      instanceName: instance.name,
      projectKey: project.key,
      startedAtMs: seed.startedAtMs,
    });
    const issues = project.issues ?? 0;
    store
      .statement(`UPDATE sync_project_details SET issues_processed = ?, pages = ? WHERE id = ?`)
      .run(issues, Math.max(1, Math.ceil(issues / 100)), detailId);
    finishProjectDetail(store, detailId, {
      status: project.status ?? 'completed',
      errorCategory: project.errorCategory ?? null,
      errorMessage: project.errorCategory ? `${project.errorCategory} failure` : null,
      apiCalls: project.apiCalls ?? Math.max(1, Math.ceil(issues / 100)),
      retries: project.rateLimited ?? 0,
      rateLimited: project.rateLimited ?? 0,
      latencyP50Ms: project.latencyP50Ms ?? 100,
      latencyP95Ms: project.latencyP95Ms === undefined ? 200 : project.latencyP95Ms,
      latencyMaxMs: project.latencyMaxMs ?? 300,
      waitMs: 0,
      parseMs: 0,
      writeMs: 0,
      completedAtMs: seed.startedAtMs + (project.durationMs ?? seed.durationMs),
    });
  }
  finalizeRun(store, id, {
    status: seed.status,
    completedAtMs: seed.startedAtMs + seed.durationMs,
    errorCategory: seed.errorCategory ?? null,
    errorMessage: seed.errorMessage ?? null,
  });
  return id;
}

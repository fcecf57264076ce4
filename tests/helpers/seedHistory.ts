/**
 * Writes a deterministic history straight into the tables (runs, project details, performance
 * samples, growth samples), for tests and benchmarks that need months of runs in seconds. Every
 * figure follows from the run's index, so tests can state the exact values they expect.
 */
import type { Store } from '../../src/store/db.ts';

export interface SeedOptions {
  /** The first run's start (ms). */
  startMs: number;
  runs: number;
  /** Time between two runs' starts. */
  intervalMs: number;
  projects?: string[];
  instanceId?: string;
  instanceName?: string;
  /** Performance samples per run. */
  samplesPerRun?: number;
  /** Overrides run i's status and duration, and its projects' figures (see seededProject), for histories with patterns. */
  shape?: (i: number, startMs: number) => RunShape;
}

/** What a history with patterns changes in one run; a project's status 'failed' makes the run partial. */
export interface RunShape {
  status?: SeededRun['status'];
  durationMs?: number;
  projects?: Record<string, Partial<SeededProject>>;
}

export interface SeededProject {
  status: 'completed' | 'failed' | 'stopped';
  durationMs: number;
  issues: number;
  created: number;
  updated: number;
  deleted: number;
  message: string | null;
  category: string | null;
  calls: number;
  retries: number;
  limited: number;
  pages: number;
  p50: number;
  p95: number;
  max: number;
}

export interface SeededRun {
  id: string;
  startedAt: string;
  status: 'completed' | 'partial' | 'failed' | 'stopped';
  durationMs: number;
}

/** Run i: every 7th fails (Authentication), every 5th (not failed) is partial with its last project failing on a Timeout, every 23rd is stopped. */
export function seededStatus(i: number): SeededRun['status'] {
  if (i % 7 === 3) return 'failed';
  if (i % 23 === 11) return 'stopped';
  if (i % 5 === 1) return 'partial';
  return 'completed';
}

export function seedHistory(store: Store, options: SeedOptions): SeededRun[] {
  const projects = options.projects ?? ['ALPHA', 'BETA', 'GAMMA'];
  const instanceId = options.instanceId ?? 'inst-seed';
  const instanceName = options.instanceName ?? 'seed';
  const samples = options.samplesPerRun ?? 2;
  const insertRun = store.sqlite.prepare(
    `INSERT INTO sync_runs (sync_id, started_at, completed_at, status, total_projects, successful_projects, failed_projects,
       total_issues, issues_created, issues_updated, issues_unchanged, issues_deleted, duration_ms, error_message, error_category,
       initiated_by, notices)
     VALUES (@id, @startedAt, @completedAt, @status, @total, @ok, @failedProjects, @issues, @created, @updated, @unchanged, @deleted,
       @durationMs, @message, @category, 'scheduled', '[]')`,
  );
  const insertDetail = store.sqlite.prepare(
    `INSERT INTO sync_project_details (sync_id, instance_id, instance_name, project_key, started_at, completed_at, duration_ms,
       issues_processed, issues_created, issues_updated, issues_unchanged, issues_deleted, status, error_message, error_category,
       api_calls, retries, rate_limited, pages, latency_p50_ms, latency_p95_ms, latency_max_ms)
     VALUES (@runId, @instanceId, @instanceName, @key, @startedAt, @completedAt, @durationMs, @issues, @created, @updated, @unchanged,
       @deleted, @status, @message, @category, @calls, @retries, @limited, @pages, @p50, @p95, @max)`,
  );
  const insertSample = store.sqlite.prepare(
    `INSERT INTO sync_performance_metrics (sync_id, project_key, recorded_at, metric, value) VALUES (?, NULL, ?, 'issues_per_second', ?)`,
  );
  const insertGrowth = store.sqlite.prepare(
    `INSERT INTO database_growth (sync_id, recorded_at, file_bytes, wal_bytes, used_bytes, mirrored_issues) VALUES (?, ?, ?, 0, ?, ?)`,
  );
  const seeded: SeededRun[] = [];
  // The instance and its projects, as a sync leaves them (the last success is set below).
  store.sqlite
    .prepare(
      `INSERT OR IGNORE INTO instances (id, name, url, flavor, credential, token_env, created_at)
       VALUES (?, ?, 'https://seed.example.com', 'cloud', 'env', 'SEED_TOKEN', ?)`,
    )
    .run(instanceId, instanceName, new Date(options.startMs).toISOString());
  const upsertProject = store.sqlite.prepare(
    `INSERT INTO projects (instance_id, key, last_synced_at, sync_count) VALUES (?, ?, ?, 1)
     ON CONFLICT (instance_id, key) DO UPDATE SET last_synced_at = COALESCE(excluded.last_synced_at, last_synced_at)`,
  );
  store.sqlite.transaction(() => {
    for (let i = 0; i < options.runs; i += 1) {
      const startMs = options.startMs + i * options.intervalMs;
      const shape = options.shape?.(i, startMs) ?? {};
      const failingByShape = Object.values(shape.projects ?? {}).some((p) => p.status === 'failed');
      const status = shape.status ?? (options.shape ? (failingByShape ? 'partial' : 'completed') : seededStatus(i));
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const durationMs = shape.durationMs ?? 20_000 + (i % 13) * 7_000;
      const startedAt = new Date(startMs).toISOString();
      const completedAt = new Date(startMs + durationMs).toISOString();
      let ok = 0;
      let failedProjects = 0;
      const totals = { issues: 0, created: 0, updated: 0, unchanged: 0, deleted: 0 };
      const details = status === 'failed' ? [] : projects;
      const detailRows: Array<Record<string, unknown>> = [];
      details.forEach((key, p) => {
        const failing = !options.shape && status === 'partial' && p === projects.length - 1;
        const issues = 10 + ((i + p) % 9) * 5;
        const seeded: SeededProject = {
          status: !options.shape && status === 'stopped' && p === projects.length - 1 ? 'stopped' : failing ? 'failed' : 'completed',
          durationMs: durationMs - 1_000 * (p + 1),
          issues,
          created: (i + p) % 4,
          updated: (i * 3 + p) % 6,
          deleted: (i + p) % 11 === 0 ? 1 : 0,
          message: failing ? 'the project took longer than project_timeout (1800 s)' : null,
          category: failing ? 'Timeout' : null,
          calls: 3 + (i % 3),
          retries: (i + p) % 3,
          limited: (i + p) % 5 === 0 ? 1 : 0,
          pages: 2,
          p50: 100 + ((i + p) % 10) * 10,
          p95: 200 + ((i * 7 + p) % 17) * 15,
          max: 900 + (i % 4) * 50,
          ...shape.projects?.[key],
        };
        if (seeded.status === 'completed') ok += 1;
        if (seeded.status === 'failed') failedProjects += 1;
        const unchanged = Math.max(0, seeded.issues - seeded.created - seeded.updated);
        totals.issues += seeded.issues;
        totals.created += seeded.created;
        totals.updated += seeded.updated;
        totals.unchanged += unchanged;
        totals.deleted += seeded.deleted;
        detailRows.push({
          ...seeded,
          runId: id,
          instanceId,
          instanceName,
          key,
          startedAt,
          completedAt: options.shape ? new Date(startMs + seeded.durationMs).toISOString() : completedAt,
          unchanged,
        });
      });
      const failedRow = detailRows.find((row) => row.status === 'failed');
      insertRun.run({
        id,
        startedAt,
        completedAt,
        status,
        total: details.length,
        ok,
        failedProjects,
        ...totals,
        durationMs,
        message:
          status === 'failed'
            ? 'seed: Jira rejected the credentials (401)'
            : status === 'partial'
              ? `${instanceName}/${failedRow?.key ?? projects.at(-1)}: ${failedRow?.message ?? 'the project took longer than project_timeout (1800 s)'}`
              : status === 'stopped'
                ? 'Stopped by the user; committed pages were kept.'
                : null,
        category:
          status === 'failed'
            ? 'Authentication'
            : status === 'partial'
              ? ((failedRow?.category as string | undefined) ?? 'Timeout')
              : status === 'stopped'
                ? 'Cancelled'
                : null,
      });
      for (const row of detailRows) {
        insertDetail.run(row);
        upsertProject.run(instanceId, row.key, row.status === 'completed' ? completedAt : null);
      }
      for (let s = 0; s < samples; s += 1) insertSample.run(id, new Date(startMs + s * 1000).toISOString(), 100 + s);
      insertGrowth.run(id, completedAt, 1_000_000 + i * 4_096, 900_000 + i * 4_000, 1_000 + i * 3);
      seeded.push({ id, startedAt, status, durationMs });
    }
  })();
  return seeded;
}

/**
 * A history with the patterns the analytics must find, written through seedHistory's shape hook:
 * hourly runs of ALPHA, BETA and GAMMA on instance "seed" for 60 days from Tuesday 2026-09-01 UTC;
 *
 * - ALPHA fails every night at 02:00 with a Network error whose message carries a changing address;
 * - BETA's latency doubles (+200 ms) and its time per issue rises (+500 ms) from day 40 (run 960) on;
 * - at 14:00 every project's requests are rate-limited (3 of 5 answered 429 and retried);
 * - GAMMA is slow (3 s per issue instead of 0.5 s), and its last 3 syncs fail with Timeout after
 *   project_timeout was lowered to 30 s at 20:30 on the last day;
 * - 06:00 is the quickest hour (latency 40 ms lower);
 * - the instance's serverInfo said Jira 9.4.0, then 9.12.15 from day 20 (run 480; unreadable in run
 *   700), and 10.3.1 from GAMMA's first failing run on.
 *
 * Every figure follows from the run's index, so tests state exactly what the analytics must say.
 */
import { DEFAULT_PERFORMANCE_CONFIG } from '../../src/shared/performance.ts';
import { savePerformanceConfig } from '../../src/store/config.ts';
import type { Store } from '../../src/store/db.ts';
import { seedHistory, type SeededProject, type SeededRun } from './seedHistory.ts';

export const HISTORY_START_MS = Date.UTC(2026, 8, 1);
export const HOUR_MS = 3_600_000;
export const HISTORY_DAYS = 60;
export const HISTORY_RUNS = HISTORY_DAYS * 24;
export const PROJECTS = ['ALPHA', 'BETA', 'GAMMA'] as const;
export const REGRESSION_FROM = 40 * 24;
export const NIGHTLY_HOUR = 2;
export const RATE_LIMITED_HOUR = 14;
export const QUICK_HOUR = 6;
export const GAMMA_FAILING = 3;
export const JIRA_VERSIONS = { first: '9.4.0', upgradedAt: 20 * 24, unreadAt: 700, second: '9.12.15', last: '10.3.1' } as const;
/** Where a test's "now" is: a minute after the last run ended. */
export const HISTORY_NOW_MS = HISTORY_START_MS + HISTORY_RUNS * HOUR_MS;

export const issuesOf = (i: number) => 10 + (i % 7);
export const COST_PER_ISSUE = { ALPHA: 500, BETA: 500, GAMMA: 3000 } as const;
export const FIXED_MS = 2000;

export function projectShape(i: number, key: (typeof PROJECTS)[number], runs: number): Partial<SeededProject> {
  const hour = i % 24;
  const regressed = key === 'BETA' && i >= REGRESSION_FROM;
  const issues = issuesOf(i);
  const p50 = 200 + (i % 5) * 2 + (hour === QUICK_HOUR ? -40 : 0) + (regressed ? 200 : 0);
  const limited = hour === RATE_LIMITED_HOUR;
  const base: Partial<SeededProject> = {
    status: 'completed',
    issues,
    created: i % 3,
    updated: issues - (i % 3),
    deleted: 0,
    durationMs: FIXED_MS + issues * (COST_PER_ISSUE[key] + (regressed ? 500 : 0)),
    calls: limited ? 5 : 3,
    retries: limited ? 3 : 0,
    limited: limited ? 3 : 0,
    pages: 1,
    p50,
    p95: p50 * 2,
    max: p50 * 4,
    message: null,
    category: null,
  };
  const failed = { issues: 0, created: 0, updated: 0, durationMs: 30_000, status: 'failed' as const };
  if (key === 'ALPHA' && hour === NIGHTLY_HOUR) {
    const day = Math.floor(i / 24);
    return { ...base, ...failed, category: 'Network', message: `connect ETIMEDOUT 10.0.${day % 250}.7:443 after 30000 ms` };
  }
  if (key === 'GAMMA' && i >= runs - GAMMA_FAILING) {
    return { ...base, ...failed, category: 'Timeout', message: `the project took longer than project_timeout (30 s)` };
  }
  return base;
}

export function jiraVersionOf(i: number, runs: number): string | null {
  if (i === JIRA_VERSIONS.unreadAt) return null;
  if (i < JIRA_VERSIONS.upgradedAt) return JIRA_VERSIONS.first;
  return i < runs - GAMMA_FAILING ? JIRA_VERSIONS.second : JIRA_VERSIONS.last;
}

/**
 * Writes the history (and the project_timeout change) into `store`; returns the runs, oldest first.
 * `startMs` (a whole UTC hour; run i's "hour" is i mod 24 from it) moves it, e.g. to end now for a CLI that reads up to now.
 */
export function seedAnalyticsHistory(store: Store, { runs = HISTORY_RUNS, startMs = HISTORY_START_MS } = {}): SeededRun[] {
  const seeded = seedHistory(store, {
    startMs,
    runs,
    intervalMs: HOUR_MS,
    projects: [...PROJECTS],
    samplesPerRun: 0,
    shape: (i) => {
      const projects = Object.fromEntries(PROJECTS.map((key) => [key, projectShape(i, key, runs)]));
      return { durationMs: Math.max(...Object.values(projects).map((p) => p.durationMs!)) + 1000, projects };
    },
  });
  savePerformanceConfig(store, { ...DEFAULT_PERFORMANCE_CONFIG, projectTimeout: 30 }, 'cli');
  const changedAt = new Date(startMs + (runs - GAMMA_FAILING) * HOUR_MS - 30 * 60_000).toISOString();
  store.sqlite.prepare(`UPDATE configuration_audit SET changed_at = ?`).run(changedAt);
  // The runs since the change started with it, as their config snapshots say.
  const lowered = JSON.stringify({ ...DEFAULT_PERFORMANCE_CONFIG, projectTimeout: 30 });
  store.sqlite.prepare(`UPDATE sync_runs SET performance_config = ? WHERE started_at >= ?`).run(lowered, changedAt);
  const reported = store.sqlite.prepare(
    `INSERT INTO sync_run_instances (sync_id, instance_id, instance_name, jira_version) VALUES (?, 'inst-seed', 'seed', ?)`,
  );
  seeded.forEach((run, i) => reported.run(run.id, jiraVersionOf(i, runs)));
  return seeded;
}

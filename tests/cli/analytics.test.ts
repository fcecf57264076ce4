/** `jira-mirror analytics …` against a generated history that ends now (tests/helpers/analyticsHistory.ts). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../src/cli/main.ts';
import type { AnomalyList, BestTime, DurationPrediction, FailurePatterns, HealthReport } from '../../src/shared/analytics.ts';
import type { PerformanceConfig, Recommendation, Recommendations } from '../../src/shared/model.ts';
import { openStore } from '../../src/store/db.ts';
import { HISTORY_DAYS, HOUR_MS, seedAnalyticsHistory } from '../helpers/analyticsHistory.ts';
import { tempDir } from '../helpers/tempDb.ts';

let temp: ReturnType<typeof tempDir>;

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    progress: () => undefined,
    env: {},
    readStdin: async () => '',
    onInterrupt: () => () => undefined,
  };
  const code = await runCli(['--db', temp.dbFile, ...args], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

async function cliJson<T>(args: string[]): Promise<T> {
  const result = await cli([...args, '--json']);
  expect(result).toMatchObject({ code: 0, err: '' });
  return JSON.parse(result.out) as T;
}

beforeAll(async () => {
  temp = tempDir();
  const store = openStore({ file: temp.dbFile });
  // Ending in the last hour, so that the CLI (which reads up to now) sees fresh syncs.
  const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const runs = seedAnalyticsHistory(store, { startMs: hour - HISTORY_DAYS * 24 * HOUR_MS });
  store.close();
  expect(runs).toHaveLength(HISTORY_DAYS * 24);
  // Anomalies are detected as a host finishes each run; the seed wrote the runs directly, so none are stored.
});

afterAll(() => temp.cleanup());

describe('jira-mirror analytics', () => {
  it('failures --json: every nightly failure and the new Timeout streak, camelCase', async () => {
    const f = await cliJson<FailurePatterns>(['analytics', 'failures', '--days', '90']);
    expect(f.byCategory).toEqual([
      { category: 'Network', failures: HISTORY_DAYS },
      { category: 'Timeout', failures: 3 },
    ]);
    expect(f.onsets.map((o) => [o.project, o.failuresSince, o.changes.map((c) => c.description)])).toEqual([
      ['GAMMA', 3, ['performance settings changed by cli: project_timeout 1800 → 30', 'seed reported Jira 10.3.1 (was 9.12.15)']],
    ]);
  });

  it('failures as a table names the recurring error and the onset', async () => {
    const { code, out } = await cli(['analytics', 'failures', '--days', '90', '--project', 'GAMMA']);
    expect(code).toBe(0);
    expect(out).toContain('3 of 4320 project syncs failed'.replace('4320', String(HISTORY_DAYS * 24)));
    expect(out).toContain('Recurring (3×, Timeout): the project took longer than project_timeout (<n> s)');
    expect(out).toContain('seed/GAMMA has failed since');
  });

  it('health, best-time and predict answer for a scope', async () => {
    const health = await cliJson<HealthReport>(['analytics', 'health', '--days', '30', '--instance', 'seed']);
    expect(health.projects.map((p) => [p.project, p.band])).toEqual([
      ['ALPHA', 'healthy'],
      ['BETA', 'healthy'],
      ['GAMMA', 'warning'],
    ]);
    expect(health.overall.components.map((c) => c.id)).toEqual(['successRate', 'freshness', 'durationRegression', 'retries', 'rateLimits']);
    const best = await cliJson<BestTime>(['analytics', 'best-time', '--days', '30']);
    expect(best.granularity).toBe('hour-of-week');
    expect(best.best?.syncs).toBe(12);
    const prediction = await cliJson<DurationPrediction>(['analytics', 'predict']);
    expect(prediction.projects.map((p) => [p.project, p.msPerIssue])).toEqual([
      ['ALPHA', 500],
      ['BETA', 1000],
      ['GAMMA', 3000],
    ]);
    const text = await cli(['analytics', 'predict']);
    expect(text.out).toMatch(/^Next sync: 40\.\d s \(90 %: /);
    expect((await cli(['analytics', 'anomalies'])).out).toBe('0 open\n0 resolved recently');
    expect(await cliJson<AnomalyList>(['analytics', 'anomalies'])).toEqual({ open: [], recent: [] });
  });

  it('recommendations lists the proposal and apply records it in the audit', async () => {
    const recs = await cliJson<Recommendations>(['analytics', 'recommendations']);
    expect(recs.recommendations.map((r) => r.id)).toEqual(['raise-project-timeout']);
    const applied = await cliJson<{ config: PerformanceConfig; applied: Recommendation }>(['analytics', 'apply', 'raise-project-timeout']);
    expect(applied.config.projectTimeout).toBe(120);
    const history = await cli(['config', 'history', '--type', 'performance']);
    expect(history.out).toContain('cli (recommendation raise-project-timeout)');
    const missing = await cli(['analytics', 'apply', 'raise-workers']);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('recommendation "raise-workers" does not apply');
  });

  it('rejects bad usage with exit 2', async () => {
    expect(await cli(['analytics', 'weather'])).toMatchObject({ code: 2 });
    const days = await cli(['analytics', 'health', '--days', '0']);
    expect(days.code).toBe(2);
    expect(days.err).toContain('--days must be a whole number from 1 to 3650, got "0"');
  });
});

/** The benchmark's naive baseline mirrors exactly what the simulator holds, the way the bench says it does. */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBaseline, type BaselineResult } from '../../bench/baseline.ts';
import { startSimulator, type RunningSimulator } from '../../src/simulator/index.ts';
import { tempDir } from '../helpers/tempDb.ts';

describe('bench baseline', () => {
  let sim: RunningSimulator;
  let temp: ReturnType<typeof tempDir>;
  let result: BaselineResult;

  beforeAll(async () => {
    sim = await startSimulator({
      flavor: 'cloud',
      projects: [
        { key: 'AA', issues: 120 },
        { key: 'BB', issues: 7 },
        { key: 'CC', issues: 0 },
      ],
      seed: 3,
      auth: { email: 'bench@example.com', apiToken: 'bench-token' },
    });
    temp = tempDir();
    result = await runBaseline({ url: sim.url, email: 'bench@example.com', token: 'bench-token', dbFile: temp.dbFile });
  });
  afterAll(async () => {
    await sim.close();
    temp.cleanup();
  });

  it('stores every issue once, with its key, project, summary and raw JSON', () => {
    expect(result.issues).toBe(127);
    expect(result.rowsInDb).toBe(127);
    const db = new Database(temp.dbFile, { readonly: true });
    try {
      const rows = db.prepare('SELECT id, key, project, summary, updated, raw_json FROM issues').all() as Array<{
        id: string;
        key: string;
        project: string;
        summary: string;
        updated: string;
        raw_json: string;
      }>;
      const truth = new Map(sim.control.snapshot().map((e) => [e.id, e]));
      expect(rows).toHaveLength(truth.size);
      for (const row of rows) {
        expect(truth.get(row.id)?.key).toBe(row.key);
        expect(truth.get(row.id)?.projectKey).toBe(row.project);
        const raw = JSON.parse(row.raw_json) as { key: string; fields: { summary: string; updated: string; status?: unknown } };
        expect(raw.key).toBe(row.key);
        expect(raw.fields.summary).toBe(row.summary);
        expect(raw.fields.updated).toBe(row.updated);
        // *navigable: the full field set, not the id-only default of search/jql.
        expect(raw.fields.status).toBeDefined();
      }
    } finally {
      db.close();
    }
  });

  it('pages sequentially by 50 with nextPageToken, on a default (non-WAL) database', () => {
    // 1 project list + AA: 3 pages (50, 50, 20) + BB: 1 + CC: 1 (empty).
    expect(result.apiCalls).toBe(6);
    const stats = sim.control.stats();
    expect(stats.totalRequests).toBe(6);
    expect(stats.issuesServed).toBe(127);
    expect(stats.maxOpenConnections).toBeGreaterThanOrEqual(1);
    expect(result.journalMode).toBe('delete');
  });
});

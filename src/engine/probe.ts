/**
 * The dry run's live probe: asks each instance what the next sync would fetch (a count per project
 * from its cursor) and times one search page. Reads only; writes nothing anywhere.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import { getProjectCursor } from '../store/instances.ts';
import type { EstimateProject } from './estimate.ts';
import { RequestStats } from './http.ts';
import { connectInstance } from './jira.ts';
import { CURSOR_OVERLAP_MS } from './projectSync.ts';
import type { PlannedInstance } from './syncManager.ts';

export interface ProbeResult {
  projects: EstimateProject[];
  latencyMs: number;
  instances: number;
}

export async function probeInstances(
  store: Store,
  instances: PlannedInstance[],
  config: PerformanceConfig,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const stats = new RequestStats();
  const projects: EstimateProject[] = [];
  for (const instance of instances) {
    const { http, client } = connectInstance(instance, () => config);
    try {
      await client.myself(stats, signal);
      const listed = await client.listProjects(stats, signal);
      const counted = await Promise.all(
        listed.map(async (project) => {
          const cursor = getProjectCursor(store, instance.id, project.key).cursorUpdatedMs;
          const query = { projectKey: project.key, fromMs: cursor === null ? null : cursor - CURSOR_OVERLAP_MS, toMs: null };
          const issues = await client.count(query, stats, signal);
          // One real page, to time a full-size round trip (nothing of it is stored).
          if (issues > 0) await client.search(query, config.batchSize, null, stats, signal);
          return { flavor: instance.flavor, issues, extraCalls: cursor === null ? 1 : 0 };
        }),
      );
      projects.push(...counted);
    } finally {
      await http.close();
    }
  }
  return { projects, latencyMs: stats.percentile(0.5) ?? 0, instances: instances.length };
}

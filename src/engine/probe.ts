/**
 * The dry run's live probe: asks each instance what the next sync would fetch (a count per project
 * from its cursor) and times one search page. Reads only; writes nothing anywhere. A server that
 * cannot count still gets its page timed; its projects' sizes then come from recorded history.
 */
import type { PerformanceConfig } from '../shared/model.ts';
import type { Store } from '../store/db.ts';
import { getSyncHistoryBasis } from '../store/history.ts';
import { getProjectCursor } from '../store/instances.ts';
import { toSyncError } from './errors.ts';
import type { EstimateProject, LiveProbe } from './estimate.ts';
import { RequestStats } from './http.ts';
import { connectInstance } from './jira.ts';
import { CURSOR_OVERLAP_MS } from './projectSync.ts';
import type { PlannedInstance } from './syncManager.ts';

/** Instances whose server could not count carry the reason in `uncounted`: their sizes come from history. */
export type ProbeResult = LiveProbe;

export async function probeInstances(
  store: Store,
  instances: PlannedInstance[],
  config: PerformanceConfig,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const stats = new RequestStats();
  const projects: EstimateProject[] = [];
  const uncounted: ProbeResult['uncounted'] = [];
  const recorded = new Map(getSyncHistoryBasis(store).projects.map((p) => [`${p.instanceName}/${p.projectKey}`, p.issues]));
  for (const instance of instances) {
    const { http, client } = connectInstance(instance, () => config);
    try {
      await client.myself(stats, signal);
      const chosen = instance.projects ? new Set(instance.projects) : null;
      const listed = (await client.listProjects(stats, signal)).filter((project) => !chosen || chosen.has(project.key));
      const counted = await Promise.all(
        listed.map(async (project) => {
          const cursor = getProjectCursor(store, instance.id, project.key).cursorUpdatedMs;
          const query = { projectKey: project.key, fromMs: cursor === null ? null : cursor - CURSOR_OVERLAP_MS, toMs: null };
          let issues: number;
          try {
            issues = await client.count(query, stats, signal);
          } catch (error) {
            const failure = toSyncError(error);
            if (signal?.aborted || failure.category === 'Authentication' || failure.category === 'Cancelled') throw error;
            if (!uncounted.some((u) => u.instance === instance.name)) uncounted.push({ instance: instance.name, reason: failure.message });
            issues = recorded.get(`${instance.name}/${project.key}`) ?? 0;
          }
          // One real page, to time a full-size round trip (nothing of it is stored).
          if (issues > 0) (await client.search(query, config.batchSize, null, stats, signal)).release();
          return { flavor: instance.flavor, issues, firstSync: cursor === null };
        }),
      );
      projects.push(...counted);
    } finally {
      await http.close();
    }
  }
  return { projects, latencyMs: stats.percentile(0.5) ?? 0, instances: instances.length, uncounted };
}

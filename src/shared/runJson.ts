/** A run in the CLI's `--json` shape: exactly the fields of the contract's Run (webhook payloads carry the same). */
import type { Run } from './model.ts';

export function runJson(run: Run): Run {
  return {
    id: run.id,
    status: run.status,
    initiatedBy: run.initiatedBy,
    startedAt: run.startedAt,
    completedAt: run.completedAt,
    durationMs: run.durationMs,
    totalProjects: run.totalProjects,
    successfulProjects: run.successfulProjects,
    failedProjects: run.failedProjects,
    totalIssues: run.totalIssues,
    issuesCreated: run.issuesCreated,
    issuesUpdated: run.issuesUpdated,
    issuesUnchanged: run.issuesUnchanged,
    issuesDeleted: run.issuesDeleted,
    errorMessage: run.errorMessage,
    errorCategory: run.errorCategory,
  };
}

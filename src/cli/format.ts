/** Human-readable output of the CLI: aligned tables and short durations. */
import { duration } from '../shared/duration.ts';
import type { ProjectDetail, ProjectVerification, Run, RunDetail, SyncEstimate } from '../shared/model.ts';

export { duration };
export { runJson } from '../shared/runJson.ts';

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function runRows(runs: Run[]): string {
  return table(
    ['RUN', 'STARTED', 'STATUS', 'DURATION', 'ISSUES', 'NEW', 'UPDATED', 'PROJECTS'],
    runs.map((r) => [
      r.id,
      r.startedAt.replace('T', ' ').slice(0, 19),
      r.status,
      duration(r.durationMs),
      String(r.totalIssues),
      String(r.issuesCreated),
      String(r.issuesUpdated),
      `${r.successfulProjects}/${r.totalProjects}${r.failedProjects ? ` (${r.failedProjects} failed)` : ''}`,
    ]),
  );
}

export function runSummary(run: Run): string {
  const lines = [
    `Run ${run.id}: ${run.status} in ${duration(run.durationMs)}`,
    `  issues: ${run.totalIssues} processed, ${run.issuesCreated} created, ${run.issuesUpdated} updated, ${run.issuesUnchanged} unchanged, ${run.issuesDeleted} deleted`,
    `  projects: ${run.successfulProjects} of ${run.totalProjects} succeeded, ${run.failedProjects} failed`,
  ];
  if (run.errorMessage) lines.push(`  error${run.errorCategory ? ` (${run.errorCategory})` : ''}: ${run.errorMessage}`);
  return lines.join('\n');
}

/** `exact 777/777 (total)`: the completeness check, mirror count first. */
export function verificationText(verification: ProjectVerification | null): string {
  if (!verification) return '-';
  return `${verification.result} ${verification.mirrorCount}/${verification.jiraCount} (${verification.method})`;
}

export function projectRows(projects: ProjectDetail[]): string {
  return table(
    ['INSTANCE', 'PROJECT', 'STATUS', 'DURATION', 'ISSUES', 'NEW', 'UPDATED', 'UNCHANGED', 'CALLS', 'VERIFIED', 'ERROR'],
    projects.map((p) => [
      p.instance,
      p.projectKey,
      p.status,
      duration(p.durationMs),
      String(p.issuesProcessed),
      String(p.issuesCreated),
      String(p.issuesUpdated),
      String(p.issuesUnchanged),
      String(p.apiCalls),
      verificationText(p.verification),
      p.errorMessage ? `${p.errorCategory ?? ''}: ${p.errorMessage}` : '',
    ]),
  );
}

export function estimateSummary(estimate: SyncEstimate): string {
  const basis =
    estimate.basis === 'none'
      ? 'no recorded runs yet: sync once (or use --probe) for an estimate'
      : estimate.basis === 'probe'
        ? 'a live probe of the server'
        : `the last ${estimate.runsConsidered} recorded run${estimate.runsConsidered === 1 ? '' : 's'}`;
  const lines = [
    `Estimate from ${basis}:`,
    `  duration ~${duration(estimate.durationMs)}, ${estimate.apiCalls} API calls, ${estimate.expectedIssues} issues in ${estimate.projects} projects`,
    `  peak concurrency ${estimate.peakConcurrency}, page round trip ~${estimate.latencyMs} ms`,
  ];
  for (const warning of estimate.warnings) lines.push(`  warning: ${warning.message}`);
  return lines.join('\n');
}

/** Where a run's time and memory went: per-project throughput and phase timings. */
export function runEngineSummary(run: RunDetail): string {
  const mb = (bytes: number | null) => (bytes === null ? '-' : `${Math.round(bytes / 1_048_576)} MB`);
  const rows = run.projects.map((p) => {
    const seconds = (p.durationMs ?? 0) / 1000;
    const writeSeconds = (p.writeMs ?? 0) / 1000;
    return [
      p.projectKey,
      seconds > 0 ? String(Math.round(p.issuesProcessed / seconds)) : '-',
      writeSeconds > 0 ? String(Math.round(p.issuesProcessed / writeSeconds)) : '-',
      `${p.latencyP50Ms === null ? '-' : Math.round(p.latencyP50Ms)} / ${p.latencyP95Ms === null ? '-' : Math.round(p.latencyP95Ms)} / ${p.latencyMaxMs === null ? '-' : Math.round(p.latencyMaxMs)}`,
      `${duration(p.waitMs)} / ${duration(p.parseMs)} / ${duration(p.writeMs)}`,
      `${p.retries} / ${p.rateLimited}`,
    ];
  });
  return [
    `engine: peak RSS ${mb(run.peakRssBytes)}, peak heap ${mb(run.peakHeapBytes)}`,
    table(['PROJECT', 'ISSUES/S', 'DB ROWS/S', 'LATENCY P50/P95/MAX MS', 'WAIT / PARSE / WRITE', 'RETRIES / 429'], rows),
  ].join('\n');
}

/**
 * Jira simulator: a real HTTP server on 127.0.0.1 that speaks Jira Cloud (REST v3 + v2) or Jira
 * Data Center (REST v2), for integration tests, benchmarks and a demo instance.
 *
 *   const sim = await startSimulator({ flavor: 'cloud', projects: 3, issuesPerProject: 40, seed: 1 });
 *   // sim.url, sim.control.updateIssue('DEMO-1'), sim.control.setFaults([{ kind: 'rate-limit', count: 1 }])
 *   await sim.close();
 *
 * Faithful behaviours (see /work/shared/docs/jira-facts.md):
 * - Cloud: GET /rest/api/3/serverInfo, /myself, /project/search, /project, /project/{key},
 *   GET|POST /search/jql (keyset `nextPageToken` + `isLast`, no total; default fields = id only;
 *   page cap 100, or 5000 when only id/key are requested), POST /search/approximate-count,
 *   removed GET|POST /rest/api/{2,3}/search → 410. v2 paths also answer (wiki-markup descriptions).
 * - Data Center: GET /rest/api/2/serverInfo, /myself, /project (plain array), /project/{key},
 *   GET|POST /search (offset paging over the live data: concurrent changes can shift pages; default
 *   fields *navigable; maxResults capped at dcMaxResults; startAt+maxResults > dcPagingWindow → 500).
 * - Both: GET /rest/api/{v}/issue/{idOrKey} (always current, default fields *all); unknown routes 404.
 * - Auth: Cloud Basic email:apiToken (default demo@example.com / demo-token); DC Bearer PAT (default
 *   demo-pat) or Basic username:password when configured. serverInfo needs no auth. Missing or wrong
 *   credentials → 401 with WWW-Authenticate (Cloud: JSON when missing, text/plain when wrong; DC: HTML).
 * - Timestamps like `2022-03-20T06:21:50.295-0400` in the SITE zone (DST-correct); JQL date literals
 *   are read in the USER zone (/myself.timeZone) at minute precision; digits = epoch ms.
 * - JQL: see jql.ts. With no ORDER BY the order is `created DESC` (+ id tiebreak).
 * - Errors: `{"errorMessages":[...],"errors":{}}`; unknown or hidden project in JQL → 400 "The value
 *   'X' does not exist for the field 'project'."; project without permission named in JQL → 403 with
 *   an empty body; Cloud JQL without any restriction → 400 "Unbounded JQL queries are not allowed here…".
 * - Faults (`setFaults`), token bucket (`rateLimit`), latency, index lag: see types.ts / control.ts.
 *
 * Data: deterministic from `seed`. Generated timestamps are anchored at `dataAnchor` (default: UTC
 * midnight of the start day; creation spread over the 400 days before it; updated ≥ created), so the
 * same seed and anchor give byte-identical pages apart from the port in `self` URLs. Issue values
 * derive from (seed, issue id, version, overrides) — the id survives moves. Per-issue state is a
 * small object (~260 bytes incl. indexes); fields are rendered on demand (~50k full issues/s), or
 * with `prerender` kept rendered as bytes (prerender.ts) so that a page costs the simulator next to
 * nothing. Sync-style range queries are answered from a sorted view per project (rangeQuery.ts).
 * Issues created through the control API get created = updated = the simulator clock.
 *
 * Control API: `sim.control` in-process, or HTTP `/_sim/…` (routes listed in control.ts), or
 * `createControlClient(url)` from another process.
 */
import { SimServer } from './server.ts';
import type { RunningSimulator, SimulatorOptions } from './types.ts';

export type {
  FaultKind,
  FaultRule,
  IssueChanges,
  ProjectInfo,
  RateLimitConfig,
  RemoteSimulatorControl,
  RequestLogEntry,
  RunningSimulator,
  SearchResolution,
  SimulatorAuth,
  SimulatorControl,
  SimulatorFlavor,
  SimulatorOptions,
  SimulatorStats,
  SnapshotEntry,
  SnapshotOptions,
} from './types.ts';
export { createControlClient } from './control.ts';
export { validateFaultRules } from './faults.ts';
export { parseServerVersion } from './server.ts';
export { JqlError, parseJql } from './jql.ts';
export { formatJiraTimestamp } from './time.ts';

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const server = new SimServer(options);
  await server.listen(options.port ?? 0);
  return {
    url: server.url,
    flavor: server.flavor,
    control: server.control,
    close: () => server.close(),
  };
}

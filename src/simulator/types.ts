/** Public types of the Jira simulator. */

export type SimulatorFlavor = 'cloud' | 'datacenter';

/**
 * How finely search compares and sorts `updated`/`created`: to the millisecond, or to the whole
 * minute (an index that keeps minutes, as JQL's own date literals have). Jira documents neither.
 */
export type SearchResolution = 'millisecond' | 'minute';

export type SimulatorAuth = { email: string; apiToken: string } | { pat: string; username?: string; password?: string };

export interface RateLimitConfig {
  /** Token refill rate. */
  requestsPerSecond: number;
  /** Bucket size (maximum burst). */
  burst: number;
}

export interface SimulatorOptions {
  /** Default 'cloud'; one server speaks one flavour. */
  flavor?: SimulatorFlavor;
  /** Default 0 = a free port; the host is always 127.0.0.1. */
  port?: number;
  /** Default 3 projects. A number means that many generated projects of `issuesPerProject` issues. */
  projects?: number | Array<{ key: string; name?: string; issues: number }>;
  /** Default 40 (used when `projects` is a number). */
  issuesPerProject?: number;
  /** Default 1; the same seed gives the same data. */
  seed?: number;
  /** Added to every API response (not to /_sim control routes). Default 0. */
  latencyMs?: number;
  /** Default 'America/New_York'. Response timestamps use it. */
  siteTimeZone?: string;
  /** Default 'Asia/Kolkata'. /myself.timeZone; JQL date literals are read in it. */
  userTimeZone?: string;
  /** Cloud default { email: 'demo@example.com', apiToken: 'demo-token' }; DC default { pat: 'demo-pat' }. */
  auth?: SimulatorAuth;
  /** DC page-size cap. Default 1000. */
  dcMaxResults?: number;
  /** DC: startAt + maxResults beyond this → 500. Default 10000. */
  dcPagingWindow?: number;
  /** Optional built-in token bucket producing real burst 429s. */
  rateLimit?: RateLimitConfig;
  /**
   * Instant the generated data is anchored to (epoch ms): creation times spread over the 400 days
   * before it. Default: UTC midnight of the start day (so the same seed on the same day → same data).
   */
  dataAnchor?: number;
  /**
   * The site's base URL as Jira reports it in `self` links and serverInfo. Default: the server's own
   * address. Real Jira reports its configured base URL (behind a proxy, not the address connected
   * to); a stable one keeps issues byte-identical when the simulator restarts on another port.
   */
  baseUrl?: string;
  /**
   * Keep every issue's JSON rendered (as UTF-8 bytes, per issue version, field selection, API
   * version and changelog expansion; all current issues rendered at start-up for `*navigable`)
   * so that serving a search page costs the simulator next to nothing — for measuring a client,
   * not the simulator. What it serves is byte-identical either way. Costs memory: ~7.5 KB per
   * issue and selection (200,000 issues: ~1.5 GB). Default false.
   */
  prerender?: boolean;
  /** Default 'millisecond'. See SearchResolution. */
  searchResolution?: SearchResolution;
  /**
   * The version serverInfo reports, `major.minor.patch[-suffix]`. Default: Cloud '1001.0.0-SNAPSHOT'
   * (what every Cloud site reports), Data Center '9.12.15'. `setServerVersion` upgrades it live.
   */
  serverVersion?: string;
  /** Clock (epoch ms). Default Date.now. */
  now?: () => number;
}

/**
 * `not-found`: 404 as from a proxy or a site without the endpoint (e.g. Cloud's approximate-count);
 * `drop-issue`: a search page that silently leaves out one issue from its middle (a lossy pager),
 * paging on as if it had not; a request with no issue to lose (a count) does not use up its `count`.
 */
export type FaultKind =
  'rate-limit' | 'quota' | 'status' | 'reset' | 'slow' | 'truncated' | 'malformed' | 'html-401' | 'not-found' | 'drop-issue';

export interface FaultRule {
  kind: FaultKind;
  /** For kind 'status'. Default 503. */
  status?: 500 | 502 | 503 | 504;
  /** 0..1; drawn from a PRNG seeded by the simulator seed (re-seeded by setFaults) → repeatable. */
  probability?: number;
  /** Apply to the next N matching requests only (default: unlimited). */
  count?: number;
  /** Only requests whose path (with query string) contains this. */
  pathIncludes?: string;
  /** Only requests whose body contains this (e.g. a project key in a POSTed JQL). */
  bodyIncludes?: string;
  /** Retry-After seconds: rate-limit default 1, quota default 1800, status 503 only when given. */
  retryAfterSeconds?: number;
  /** For kind 'slow'. Default 1000. */
  delayMs?: number;
}

/** Changes accepted by createIssues/updateIssue. Names are case-insensitive. */
export interface IssueChanges {
  summary?: string;
  /** Status name: 'To Do' | 'In Progress' | 'In Review' | 'Done'. */
  status?: string;
  /** Priority name: 'Highest' | 'High' | 'Medium' | 'Low' | 'Lowest'. */
  priority?: string;
  /** Issue type name: 'Task' | 'Bug' | 'Story' | 'Epic'. */
  issuetype?: string;
  /** accountId (Cloud) / username (DC) / display name of a simulated user, or null to unassign. */
  assignee?: string | null;
  labels?: string[];
  /** Plain text (rendered as ADF on Cloud v3, as wiki markup on v2) or null. */
  description?: string | null;
}

export interface SnapshotEntry {
  id: string;
  key: string;
  projectKey: string;
  /** epoch ms */
  updated: number;
  deleted?: boolean;
}

export interface SnapshotOptions {
  /** Include deleted issues (flagged deleted: true). */
  includeDeleted?: boolean;
  /** Include issues of hidden / deleted / no-permission projects. */
  includeHidden?: boolean;
}

export interface ProjectInfo {
  id: string;
  key: string;
  name: string;
  hidden: boolean;
  deleted: boolean;
  permission: 'browse' | 'none';
  issueCount: number;
}

export interface SimulatorStats {
  totalRequests: number;
  /** `METHOD /route/{pattern}` → count */
  requests: Record<string, number>;
  /** status code → count ('0' = connection reset without a response) */
  statuses: Record<string, number>;
  issuesServed: number;
  pagesServed: number;
  bytesServed: number;
  /** TCP connections accepted, and the most open at once (how a client pools its connections). */
  connectionsOpened: number;
  maxOpenConnections: number;
  faults: Partial<Record<FaultKind | 'token-bucket', number>>;
}

export interface RequestLogEntry {
  /** simulator clock, epoch ms (when the request arrived) */
  at: number;
  method: string;
  path: string;
  status: number;
  fault?: FaultKind | 'token-bucket';
}

export interface SimulatorControl {
  /** Creates `count` issues (created = updated = now). Returns their keys. */
  createIssues(projectKey: string, count: number, fields?: IssueChanges): string[];
  /** Creates an empty (or pre-filled) project. */
  createProject(key: string, options?: { name?: string; issues?: number }): void;
  /** Bumps `updated` to now. Default change: a summary suffix. */
  updateIssue(key: string, changes?: IssueChanges): void;
  updateIssues(keys: string[], changes?: IssueChanges): void;
  deleteIssue(key: string): void;
  /** Moves to another project: new key, same id, updated = now. Returns the new key. */
  moveIssue(key: string, toProjectKey: string): string;
  deleteProject(key: string): void;
  hideProject(key: string): void;
  showProject(key: string): void;
  setProjectPermission(key: string, permission: 'browse' | 'none'): void;
  listProjects(): ProjectInfo[];
  setLatency(ms: number): void;
  setIndexLag(ms: number): void;
  setSearchResolution(resolution: SearchResolution): void;
  /** What serverInfo reports from now on, as after an upgrade of the site. */
  setServerVersion(version: string): void;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  setRateLimit(config: RateLimitConfig | null): void;
  /** Shifts the simulator clock forward by `ms` (cumulative). */
  advanceClock(ms: number): void;
  /** The simulator clock, epoch ms. */
  now(): number;
  stats(): SimulatorStats;
  requests(): RequestLogEntry[];
  resetStats(): void;
  snapshot(options?: SnapshotOptions): SnapshotEntry[];
  issueCount(): number;
}

export interface RunningSimulator {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  flavor: SimulatorFlavor;
  control: SimulatorControl;
  /** Closes the server and all sockets promptly. */
  close(): Promise<void>;
}

/** The control API driven over HTTP (every method returns a Promise). */
export type RemoteSimulatorControl = {
  [K in keyof SimulatorControl]: (...args: Parameters<SimulatorControl[K]>) => Promise<ReturnType<SimulatorControl[K]>>;
};

/**
 * The simulator's data: projects and compact per-issue state. Everything else about an issue
 * (type, status, people, texts, custom fields) is derived on demand from (seed, issue id, version,
 * overrides), so 200,000 issues cost a few hundred bytes each.
 */
import { mix, mulberry32, pick } from './prng.ts';
import type { IssueView, JqlEnv, AttrField, CompiledJql, SortKey } from './jql.ts';
import { rangeSlice, type RangeQuery } from './rangeQuery.ts';
import type { IssueChanges, ProjectInfo, SearchResolution, SnapshotEntry, SnapshotOptions } from './types.ts';

// ---------------------------------------------------------------- catalog

export interface StatusDef {
  id: string;
  name: string;
  description: string;
  cat: 'new' | 'indeterminate' | 'done';
}
export const STATUSES: readonly StatusDef[] = [
  { id: '10000', name: 'To Do', description: '', cat: 'new' },
  {
    id: '3',
    name: 'In Progress',
    description: 'This issue is being actively worked on at the moment by the assignee.',
    cat: 'indeterminate',
  },
  { id: '10001', name: 'In Review', description: '', cat: 'indeterminate' },
  { id: '10002', name: 'Done', description: '', cat: 'done' },
];
export const STATUS_CATEGORIES = {
  new: { id: 2, colorName: 'blue-gray', name: 'To Do' },
  indeterminate: { id: 4, colorName: 'yellow', name: 'In Progress' },
  done: { id: 3, colorName: 'green', name: 'Done' },
} as const;
export const PRIORITIES = ['Highest', 'High', 'Medium', 'Low', 'Lowest'] as const;
export interface IssueTypeDef {
  id: string;
  name: string;
  description: string;
  avatarId: number;
}
export const ISSUE_TYPES: readonly IssueTypeDef[] = [
  { id: '10001', name: 'Task', description: 'A small, distinct piece of work.', avatarId: 10318 },
  { id: '10004', name: 'Bug', description: 'A problem or error.', avatarId: 10303 },
  { id: '10002', name: 'Story', description: 'Functionality or a feature expressed as a user goal.', avatarId: 10315 },
  { id: '10000', name: 'Epic', description: 'A big user story that needs to be broken down.', avatarId: 10307 },
];
const FIRST = [
  'Mia',
  'Noah',
  'Aarav',
  'Sofia',
  'Lukas',
  'Chen',
  'Amara',
  'Jonas',
  'Priya',
  'Mateo',
  'Zoë',
  'Kenji',
  'Fatima',
  'Olu',
  'Ingrid',
  'José',
];
const LAST = ['Krystof', 'Sharma', 'Müller', 'Okafor', 'Tanaka', 'García', 'Nguyen', 'Larsen', "O'Brien", 'Kowalski', 'Haddad', 'Silva'];
const USER_ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo', 'UTC'];
export const LABELS = ['backend', 'frontend', 'ux', 'performance', 'security', 'tech-debt', 'customer', 'regression', 'infra', 'docs'];
export const COMPONENTS = ['API', 'Web', 'Mobile', 'Database', 'Auth', 'Billing'];
const VERBS = ['Fix', 'Add', 'Improve', 'Refactor', 'Investigate', 'Remove', 'Document', 'Migrate', 'Optimise', 'Support'];
const OBJECTS = [
  'login timeout',
  'export to CSV',
  'search indexing',
  'dark mode',
  'webhook retries',
  'billing report',
  'session handling',
  'the onboarding flow',
  'rate-limit headers',
  'audit log',
  'PDF rendering',
  'SSO with Okta',
  'time-zone handling',
  'the "Save" button',
  'CJK input — 日本語',
  'Überweisung summary',
];
const QUALIFIERS = [
  'on Safari',
  'for large projects',
  'after upgrade',
  'in the mobile app',
  'for admins',
  'under load',
  'when offline',
  'in Data Center',
  '',
];
const WORDS =
  'the a user admin report page server request response cache index query field value project issue sprint board team release customer error timeout retry token page cursor update sync mirror database backup export import filter dashboard widget chart latency'.split(
    ' ',
  );
const PROJECT_NAMES = [
  ['DEMO', 'Demo Project'],
  ['OPS', 'Operations'],
  ['WEB', 'Web Platform'],
  ['API', 'Public API'],
  ['MOB', 'Mobile Apps'],
  ['DATA', 'Data Pipeline'],
  ['SEC', 'Security'],
  ['INFRA', 'Infrastructure'],
  ['QA', 'Quality Assurance'],
  ['DOCS', 'Documentation'],
  ['CRM', 'Customer Relations'],
  ['PAY', 'Payments'],
  ['SRCH', 'Search'],
  ['ML', 'Machine Learning'],
  ['UX', 'User Experience'],
] as const;

export interface SimUser {
  idx: number;
  accountId: string;
  name: string;
  key: string;
  displayName: string;
  email: string | null;
  timeZone: string;
}

// ---------------------------------------------------------------- state

export interface Overrides {
  summary?: string;
  status?: number;
  priority?: number;
  issuetype?: number;
  /** user index, -1 = unassigned */
  assignee?: number;
  labels?: string[];
  description?: string | null;
}

/** Searchable + renderable state of one issue version. */
export interface IssueState extends IssueView {
  key: string;
  /** version (0 = as generated) */
  v: number;
  ov: Overrides | undefined;
  del: boolean;
  /** instant of the last status-category change (0 = derive) */
  scc: number;
}

export class Issue implements IssueState {
  id: number;
  p: number;
  n: number;
  c: number;
  u: number;
  key: string;
  v = 0;
  ov: Overrides | undefined = undefined;
  del = false;
  scc = 0;
  /** when the last change happened (index lag) */
  chg = 0;
  /** index lag: undefined = indexed; null = not yet visible; object = the stale indexed version */
  prev: IssueState | null | undefined = undefined;
  constructor(id: number, p: number, n: number, key: string, c: number, u: number) {
    this.id = id;
    this.p = p;
    this.n = n;
    this.key = key;
    this.c = c;
    this.u = u;
  }
}

export interface Project {
  idx: number;
  id: number;
  key: string;
  name: string;
  hidden: boolean;
  deleted: boolean;
  permission: 'browse' | 'none';
  issues: Issue[];
  nextNum: number;
  lead: number;
}

export interface Attrs {
  type: number;
  prio: number;
  status: number;
  reporter: number;
  creator: number;
  assignee: number;
  labels: string[];
  components: number[];
  summary: string;
  /** undefined = the generated text (see Store.description), null = none, string = override */
  description: string | null | undefined;
  /** per-issue seed for the remaining derived values */
  seed: number;
}

export class SimError extends Error {
  readonly status: number;
  constructor(message: string, status = 404) {
    super(message);
    this.status = status;
  }
}

const DAY = 86_400_000;
const SPAN = 400 * DAY;

export interface StoreOptions {
  seed: number;
  projects: Array<{ key: string; name: string; issues: number }>;
  /** anchor of generated data: every generated timestamp is before it */
  anchor: number;
  now: () => number;
  currentUser: { email: string | null; name: string };
}

/** The matching issues are views[start, end), each with its sort key at the same index in keys. */
export interface SearchResult {
  views: IssueState[];
  keys: SortKey[];
  start: number;
  end: number;
}

/** Sorted results kept (least recently used goes first): a few per project a sync pages at once. */
const SEARCH_CACHE_SIZE = 32;

interface SearchCacheEntry {
  version: number;
  /** simulator-clock interval in which the cached result holds */
  from: number;
  until: number;
  views: IssueState[];
  keys: SortKey[];
}

export class Store {
  readonly seed: number;
  readonly users: SimUser[];
  readonly projects: Project[] = [];
  readonly byId = new Map<number, Issue>();
  private readonly byKey = new Map<string, Issue>();
  private readonly projectByKey = new Map<string, Project>();
  private nextId = 10000;
  private nextProjectId = 10000;
  /** bumps on every visible change (search cache validity) */
  version = 0;
  indexLag = 0;
  /** See JqlEnv.dateResolutionMs. */
  dateResolutionMs = 1;
  readonly pending = new Set<Issue>();
  private readonly now: () => number;
  private readonly searchCache = new Map<string, SearchCacheEntry>();
  private readonly known: Record<AttrField, Set<string>>;

  constructor(opts: StoreOptions) {
    this.seed = opts.seed;
    this.now = opts.now;
    this.users = makeUsers(opts.seed, opts.currentUser);
    for (const pd of opts.projects) this.addProject(pd.key, pd.name, pd.issues, opts.anchor);
    const lc = (xs: readonly string[]): Set<string> => new Set(xs.map((x) => x.toLowerCase()));
    const userIds = new Set<string>();
    for (const u of this.users) for (const x of userIdentifiers(u)) userIds.add(x);
    this.known = {
      status: new Set([...lc(STATUSES.map((s) => s.name)), ...STATUSES.map((s) => s.id)]),
      statuscategory: new Set(['new', 'indeterminate', 'done', 'to do', 'in progress', '2', '3', '4']),
      priority: new Set([...lc(PRIORITIES), '1', '2', '3', '4', '5']),
      issuetype: new Set([...lc(ISSUE_TYPES.map((t) => t.name)), ...ISSUE_TYPES.map((t) => t.id)]),
      assignee: userIds,
      reporter: userIds,
      labels: lc(LABELS),
    };
  }

  // ------------------------------------------------------------ projects

  addProject(key: string, name: string, issues: number, anchor: number): Project {
    const k = key.toUpperCase();
    if (!/^[A-Z][A-Z0-9_]*$/.test(k)) throw new SimError(`Invalid project key '${key}'.`, 400);
    if (this.projectByKey.has(k)) throw new SimError(`A project with key '${k}' already exists.`, 400);
    const idx = this.projects.length;
    const p: Project = {
      idx,
      id: this.nextProjectId++,
      key: k,
      name,
      hidden: false,
      deleted: false,
      permission: 'browse',
      issues: [],
      nextNum: 1,
      lead: mix(this.seed, idx, 77) % this.users.length,
    };
    this.projects.push(p);
    this.projectByKey.set(k, p);
    // Generated issues: created spread over the SPAN before the anchor, increasing with the number.
    for (let n = 1; n <= issues; n++) {
      const r = mulberry32(mix(this.seed, idx, n, 0x5eed));
      const slot = SPAN / issues;
      const c = Math.floor(anchor - SPAN + (n - 1) * slot + r() * slot * 0.9);
      const x = r();
      const u = x < 0.3 ? c : c + Math.floor(r() * r() * (anchor - 1 - c));
      const issue = new Issue(this.nextId++, idx, n, k + '-' + n, c, u);
      p.issues.push(issue);
      this.byId.set(issue.id, issue);
      this.byKey.set(issue.key, issue);
    }
    p.nextNum = issues + 1;
    this.version++;
    return p;
  }

  project(key: string): Project {
    const p = this.projectByKey.get(key.toUpperCase());
    if (!p) throw new SimError(`No project could be found with key '${key}'.`);
    return p;
  }

  /** Exists, not deleted, not hidden (permission may be none). */
  isListed(p: Project): boolean {
    return !p.deleted && !p.hidden;
  }
  /** Issues of this project are searchable by the user. */
  isBrowsable(p: Project): boolean {
    return !p.deleted && !p.hidden && p.permission === 'browse';
  }

  /** Resolves a project value by key, name or id among listed projects. */
  findListedProject(value: string): Project | null {
    const v = value.trim();
    const byKey = this.projectByKey.get(v.toUpperCase());
    if (byKey && this.isListed(byKey)) return byKey;
    const lv = v.toLowerCase();
    for (const p of this.projects) {
      if (!this.isListed(p)) continue;
      if (p.name.toLowerCase() === lv || String(p.id) === v) return p;
    }
    return null;
  }

  deleteProject(key: string): void {
    const p = this.project(key);
    p.deleted = true;
    this.projectByKey.delete(p.key);
    for (const i of p.issues) {
      if (this.byKey.get(i.key) === i) this.byKey.delete(i.key);
    }
    this.version++;
  }
  setHidden(key: string, hidden: boolean): void {
    this.project(key).hidden = hidden;
    this.version++;
  }
  setPermission(key: string, perm: 'browse' | 'none'): void {
    this.project(key).permission = perm;
    this.version++;
  }
  listProjects(): ProjectInfo[] {
    return this.projects.map((p) => ({
      id: String(p.id),
      key: p.key,
      name: p.name,
      hidden: p.hidden,
      deleted: p.deleted,
      permission: p.permission,
      issueCount: p.issues.reduce((s, i) => s + (i.del ? 0 : 1), 0),
    }));
  }

  // ------------------------------------------------------------ issues

  issue(key: string): Issue {
    const i = this.byKey.get(key.toUpperCase());
    if (!i || i.del) throw new SimError(`Issue '${key}' does not exist.`);
    return i;
  }

  /** Called with an issue's id before it changes (the simulator drops what it prerendered of it). */
  onIssueChange: ((id: number) => void) | null = null;

  /** Call before mutating an issue: records the indexed version for index lag and bumps versions. */
  private touch(issue: Issue, isNew = false): void {
    this.onIssueChange?.(issue.id);
    const now = this.now();
    if (this.indexLag > 0) {
      if (issue.prev === undefined) issue.prev = isNew ? null : snapshotState(issue);
      issue.chg = now;
      this.pending.add(issue);
    }
    this.version++;
  }

  createIssues(projectKey: string, count: number, changes?: IssueChanges): string[] {
    const p = this.project(projectKey);
    if (p.deleted) throw new SimError(`No project could be found with key '${projectKey}'.`);
    const now = this.now();
    const keys: string[] = [];
    for (let k = 0; k < count; k++) {
      const n = p.nextNum++;
      const issue = new Issue(this.nextId++, p.idx, n, p.key + '-' + n, now, now);
      if (changes) issue.ov = this.toOverrides(changes, undefined);
      this.touch(issue, true);
      p.issues.push(issue);
      this.byId.set(issue.id, issue);
      this.byKey.set(issue.key, issue);
      keys.push(issue.key);
    }
    return keys;
  }

  updateIssue(key: string, changes?: IssueChanges): void {
    const issue = this.issue(key);
    this.touch(issue);
    const before = this.attrs(issue);
    issue.v++;
    if (!changes || Object.keys(changes).length === 0) {
      if (issue.ov?.summary !== undefined) {
        issue.ov.summary = issue.ov.summary.replace(/ \(rev \d+\)$/, '') + ` (rev ${issue.v})`;
      }
    } else {
      issue.ov = this.toOverrides(changes, issue.ov);
    }
    const now = Math.max(this.now(), issue.u);
    issue.u = now;
    const after = this.attrs(issue);
    if (STATUSES[before.status]?.cat !== STATUSES[after.status]?.cat) issue.scc = now;
  }

  deleteIssue(key: string): void {
    const issue = this.issue(key);
    this.touch(issue);
    issue.del = true;
    issue.v++;
  }

  moveIssue(key: string, toProjectKey: string): string {
    const issue = this.issue(key);
    const to = this.project(toProjectKey);
    if (to.deleted) throw new SimError(`No project could be found with key '${toProjectKey}'.`);
    if (to.idx === issue.p) return issue.key;
    this.touch(issue);
    const from = this.projects[issue.p] as Project;
    const at = from.issues.indexOf(issue);
    if (at >= 0) from.issues.splice(at, 1);
    const n = to.nextNum++;
    issue.p = to.idx;
    issue.n = n;
    issue.key = to.key + '-' + n;
    issue.v++;
    issue.u = Math.max(this.now(), issue.u);
    to.issues.push(issue);
    this.byKey.set(issue.key, issue); // the old key keeps resolving, like Jira
    return issue.key;
  }

  private toOverrides(ch: IssueChanges, base: Overrides | undefined): Overrides {
    const ov: Overrides = { ...base };
    const find = (list: readonly string[], name: string, what: string): number => {
      const i = list.findIndex((x) => x.toLowerCase() === name.toLowerCase());
      if (i < 0) throw new SimError(`Unknown ${what} '${name}'.`, 400);
      return i;
    };
    if (ch.summary !== undefined) ov.summary = ch.summary;
    if (ch.status !== undefined)
      ov.status = find(
        STATUSES.map((s) => s.name),
        ch.status,
        'status',
      );
    if (ch.priority !== undefined) ov.priority = find(PRIORITIES, ch.priority, 'priority');
    if (ch.issuetype !== undefined)
      ov.issuetype = find(
        ISSUE_TYPES.map((t) => t.name),
        ch.issuetype,
        'issue type',
      );
    if (ch.assignee !== undefined) {
      if (ch.assignee === null) ov.assignee = -1;
      else {
        const lv = ch.assignee.toLowerCase();
        const u = this.users.find((x) => userIdentifiers(x).includes(lv));
        if (!u) throw new SimError(`Unknown user '${ch.assignee}'.`, 400);
        ov.assignee = u.idx;
      }
    }
    if (ch.labels !== undefined) ov.labels = [...ch.labels];
    if (ch.description !== undefined) ov.description = ch.description;
    return ov;
  }

  // ------------------------------------------------------------ derived values

  attrs(v: IssueState): Attrs {
    const seed = mix(this.seed, v.id, 0xa77);
    const r = mulberry32(seed);
    const type = Math.floor(r() * 10) < 5 ? 0 : Math.floor(r() * ISSUE_TYPES.length);
    const prio = [2, 2, 2, 1, 3, 0, 4, 2, 1, 3][Math.floor(r() * 10)] as number;
    const sx = r();
    const status = sx < 0.35 ? 0 : sx < 0.6 ? 1 : sx < 0.7 ? 2 : 3;
    const reporter = Math.floor(r() * this.users.length);
    const assignee = r() < 0.25 ? -1 : Math.floor(r() * this.users.length);
    const labels: string[] = [];
    const nl = Math.floor(r() * r() * 4);
    for (let i = 0; i < nl; i++) {
      const l = pick(r, LABELS);
      if (!labels.includes(l)) labels.push(l);
    }
    const components: number[] = [];
    if (r() < 0.5) components.push(Math.floor(r() * COMPONENTS.length));
    const q = pick(r, QUALIFIERS);
    let summary = pick(r, VERBS) + ' ' + pick(r, OBJECTS) + (q ? ' ' + q : '');
    const description: string | null | undefined = r() < 0.7 ? undefined : null;
    const a: Attrs = { type, prio, status, reporter, creator: reporter, assignee, labels, components, summary, description, seed };
    const ov = v.ov;
    if (ov) {
      if (ov.summary !== undefined) a.summary = ov.summary;
      if (ov.status !== undefined) a.status = ov.status;
      if (ov.priority !== undefined) a.prio = ov.priority;
      if (ov.issuetype !== undefined) a.type = ov.issuetype;
      if (ov.assignee !== undefined) a.assignee = ov.assignee;
      if (ov.labels !== undefined) a.labels = ov.labels;
      if (ov.description !== undefined) a.description = ov.description;
    }
    if (v.v > 0 && ov?.summary === undefined) {
      summary = a.summary + ` (rev ${v.v})`;
      a.summary = summary;
    }
    return a;
  }

  /** The description text of an issue (generated lazily: it is the costliest value to derive). */
  description(a: Attrs): string | null {
    if (a.description !== undefined) return a.description;
    const r = mulberry32(mix(a.seed, 0xde5c));
    const paras: string[] = [];
    const np = 1 + Math.floor(r() * 3);
    for (let i = 0; i < np; i++) {
      const ns = 1 + Math.floor(r() * 3);
      let para = '';
      for (let s = 0; s < ns; s++) {
        const nw = 6 + Math.floor(r() * 10);
        let t = '';
        for (let w = 0; w < nw; w++) t += (w ? ' ' : '') + pick(r, WORDS);
        para += (s ? ' ' : '') + t.charAt(0).toUpperCase() + t.slice(1) + '.';
      }
      paras.push(para);
    }
    return paras.join('\n\n');
  }

  /** Instant of the last status-category change. */
  statusCategoryChanged(v: IssueState): number {
    if (v.scc) return v.scc;
    const r = mulberry32(mix(this.seed, v.id, 0x5cc));
    return v.c + Math.floor(r() * (v.u - v.c));
  }

  // ------------------------------------------------------------ search

  /** The view of an issue the search index currently holds (index lag), or null if invisible. */
  indexedView(issue: Issue, now: number): IssueState | null {
    if (issue.prev !== undefined) {
      if (now < issue.chg + this.indexLag) return issue.prev;
      issue.prev = undefined;
      this.pending.delete(issue);
    }
    return issue;
  }

  private visibleView(v: IssueState | null): v is IssueState {
    if (!v || v.del) return false;
    const p = this.projects[v.p];
    return p !== undefined && this.isBrowsable(p);
  }

  setIndexLag(ms: number): void {
    this.indexLag = Math.max(0, ms);
    if (this.indexLag === 0) {
      for (const i of this.pending) i.prev = undefined;
      this.pending.clear();
    }
    this.version++;
  }

  private prunePending(now: number): void {
    if (this.pending.size === 0) return;
    for (const i of [...this.pending]) this.indexedView(i, now);
  }

  /** All issues matching a compiled query, as the search index sees them, sorted. */
  search(jqlText: string, q: CompiledJql<IssueState>): SearchResult {
    const { views, keys } = this.sorted('jql:' + jqlText, q);
    return { views, keys, start: 0, end: views.length };
  }

  /**
   * A range query (see rangeQuery.ts): the issues of `base` (the project restriction, compiled with
   * the query's ORDER BY) whose first sort key lies in the range — the same issues in the same order
   * as the general path, without filtering and sorting the projects again for every new literal.
   */
  searchRange(base: CompiledJql<IssueState>, range: RangeQuery): SearchResult {
    const order = base.sortFields.map((f, i) => f + ((base.sortDirs[i] as number) > 0 ? '+' : '-')).join(',');
    const projects = [...(base.projects ?? [])].sort((a, b) => a - b).join(',');
    const { views, keys } = this.sorted(`range:${projects}|${order}`, base);
    if (range.field === null) return { views, keys, start: 0, end: views.length };
    if (base.sortFields[0] !== range.field) throw new Error('a range query must range over its first ORDER BY field');
    return { views, keys, ...rangeSlice(keys, base.sortDirs[0] as number, range.min, range.max) };
  }

  private sorted(cacheKey: string, q: CompiledJql<IssueState>): { views: IssueState[]; keys: SortKey[] } {
    const now = this.now();
    this.prunePending(now);
    const hit = this.searchCache.get(cacheKey);
    if (hit && hit.version === this.version && now >= hit.from && now < hit.until) {
      this.searchCache.delete(cacheKey);
      this.searchCache.set(cacheKey, hit);
      return hit;
    }
    const matched: IssueState[] = [];
    const consider = (v: IssueState | null): void => {
      if (this.visibleView(v) && q.match(v)) matched.push(v);
    };
    const hasPending = this.pending.size > 0;
    for (const p of this.projects) {
      if (q.projects && !q.projects.has(p.idx)) continue;
      if (!this.isBrowsable(p)) continue;
      for (const issue of p.issues) {
        if (hasPending && this.pending.has(issue)) continue;
        consider(issue);
      }
    }
    if (hasPending) for (const issue of this.pending) consider(this.indexedView(issue, now));
    const decorated = matched.map((v) => ({ v, k: q.sortKey(v) }));
    decorated.sort((a, b) => q.compareKeys(a.k, b.k));
    const res = { views: decorated.map((d) => d.v), keys: decorated.map((d) => d.k) };
    // A result holds until the data changes (version), the next index-lag expiry, and — for
    // clock-dependent JQL (relative dates, now()) — for one second of simulator clock.
    let until = q.cacheable ? Infinity : now + 1000;
    for (const i of this.pending) until = Math.min(until, i.chg + this.indexLag);
    if (this.searchCache.size >= SEARCH_CACHE_SIZE) {
      const oldest = this.searchCache.keys().next().value;
      if (oldest !== undefined) this.searchCache.delete(oldest);
    }
    this.searchCache.set(cacheKey, { version: this.version, from: now, until, ...res });
    return res;
  }

  setSearchResolution(resolution: SearchResolution): void {
    this.dateResolutionMs = resolution === 'minute' ? 60_000 : 1;
    this.version++;
  }

  jqlEnv(userTimeZone: string, currentUser: SimUser): JqlEnv<IssueState> {
    return {
      now: this.now(),
      userTimeZone,
      dateResolutionMs: this.dateResolutionMs,
      findProject: (value) => {
        const p = this.findListedProject(value);
        if (!p) return null;
        if (p.permission === 'none') return 'forbidden';
        return { idx: p.idx };
      },
      projectKey: (idx) => this.projects[idx]?.key ?? '',
      findProjectByKey: (key) => {
        const p = this.projectByKey.get(key.toUpperCase());
        return p && this.isBrowsable(p) ? p.idx : null;
      },
      issueIdByKey: (key) => {
        const i = this.byKey.get(key);
        if (!i || i.del) return null;
        const p = this.projects[i.p];
        return p && this.isBrowsable(p) ? i.id : null;
      },
      issueIdExists: (id) => {
        const i = this.byId.get(id);
        if (!i || i.del) return false;
        const p = this.projects[i.p];
        return p !== undefined && this.isBrowsable(p);
      },
      attr: (v, field) => {
        const a = this.attrs(v);
        switch (field) {
          case 'status': {
            const s = STATUSES[a.status] as StatusDef;
            return [s.name.toLowerCase(), s.id];
          }
          case 'statuscategory': {
            const s = STATUSES[a.status] as StatusDef;
            const c = STATUS_CATEGORIES[s.cat];
            return [s.cat, c.name.toLowerCase(), String(c.id)];
          }
          case 'priority':
            return [(PRIORITIES[a.prio] as string).toLowerCase(), String(a.prio + 1)];
          case 'issuetype': {
            const t = ISSUE_TYPES[a.type] as IssueTypeDef;
            return [t.name.toLowerCase(), t.id];
          }
          case 'assignee':
            return a.assignee < 0 ? [] : userIdentifiers(this.users[a.assignee] as SimUser);
          case 'reporter':
            return userIdentifiers(this.users[a.reporter] as SimUser);
          case 'labels':
            return a.labels.map((l) => l.toLowerCase());
        }
      },
      knownValues: (field) => this.known[field],
      currentUser: userIdentifiers(currentUser),
      text: (v, field) => {
        const a = this.attrs(v);
        return field === 'summary' ? a.summary : a.summary + '\n' + (this.description(a) ?? '');
      },
    };
  }

  // ------------------------------------------------------------ truth

  snapshot(opts: SnapshotOptions = {}): SnapshotEntry[] {
    const out: SnapshotEntry[] = [];
    for (const p of this.projects) {
      if (!opts.includeHidden && !this.isBrowsable(p)) continue;
      for (const i of p.issues) {
        if (i.del) {
          if (opts.includeDeleted) out.push({ id: String(i.id), key: i.key, projectKey: p.key, updated: i.u, deleted: true });
          continue;
        }
        out.push({ id: String(i.id), key: i.key, projectKey: p.key, updated: i.u });
      }
    }
    return out;
  }

  issueCount(): number {
    let n = 0;
    for (const p of this.projects) {
      if (!this.isBrowsable(p)) continue;
      for (const i of p.issues) if (!i.del) n++;
    }
    return n;
  }
}

function snapshotState(i: Issue): IssueState {
  return { id: i.id, p: i.p, n: i.n, c: i.c, u: i.u, key: i.key, v: i.v, ov: i.ov ? { ...i.ov } : undefined, del: i.del, scc: i.scc };
}

export function userIdentifiers(u: SimUser): string[] {
  return [u.accountId.toLowerCase(), u.name.toLowerCase(), u.key.toLowerCase(), u.displayName.toLowerCase()];
}

function makeUsers(seed: number, me: { email: string | null; name: string }): SimUser[] {
  const r = mulberry32(mix(seed, 0x05e5));
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(r() * 16).toString(16);
    return s;
  };
  const users: SimUser[] = [];
  for (let i = 0; i < 12; i++) {
    const accountId = i % 3 === 2 ? `712020:${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}` : hex(24);
    if (i === 0) {
      users.push({
        idx: 0,
        accountId,
        name: me.name,
        key: 'JIRAUSER10000',
        displayName: 'Demo User',
        email: me.email,
        timeZone: 'UTC',
      });
      continue;
    }
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const name =
      (first + '.' + last)
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z.]/g, '') + (i > 9 ? i : '');
    users.push({
      idx: i,
      accountId,
      name,
      key: 'JIRAUSER' + (10100 + i),
      displayName: `${first} ${last}`,
      email: i % 4 === 1 ? null : `${name}@example.com`,
      timeZone: pick(r, USER_ZONES),
    });
  }
  return users;
}

export function defaultProjects(count: number, issuesPerProject: number): Array<{ key: string; name: string; issues: number }> {
  const out: Array<{ key: string; name: string; issues: number }> = [];
  for (let i = 0; i < count; i++) {
    const pn = PROJECT_NAMES[i];
    out.push(
      pn
        ? { key: pn[0], name: pn[1], issues: issuesPerProject }
        : { key: `PRJ${i + 1}`, name: `Project ${i + 1}`, issues: issuesPerProject },
    );
  }
  return out;
}

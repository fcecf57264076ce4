/**
 * The simulator's data: projects and compact per-issue state. Everything else about an issue
 * (type, status, people, texts, custom fields) is derived on demand from (seed, issue id, version,
 * overrides), so 200,000 issues cost a few hundred bytes each.
 */
import { COMPONENTS, ISSUE_TYPES, LABELS, OBJECTS, PRIORITIES, QUALIFIERS, STATUSES, VERBS, WORDS } from './catalog.ts';
import { Issue, SimError, type Attrs, type IssueState, type Overrides, type Project } from './model.ts';
import { mix, mulberry32, pick } from './prng.ts';
import type { IssueChanges, ProjectInfo, SnapshotEntry, SnapshotOptions } from './types.ts';
import { makeUsers, userIdentifiers, type SimUser } from './users.ts';

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

/** Everything but search (store.ts): the projects and issues, the changes made to them, and what is derived from them. */
export class SimData {
  readonly seed: number;
  readonly users: SimUser[];
  readonly projects: Project[] = [];
  readonly byId = new Map<number, Issue>();
  protected readonly byKey = new Map<string, Issue>();
  protected readonly projectByKey = new Map<string, Project>();
  private nextId = 10000;
  private nextProjectId = 10000;
  /** bumps on every visible change (search cache validity) */
  version = 0;
  indexLag = 0;
  readonly pending = new Set<Issue>();
  protected readonly now: () => number;

  constructor(opts: StoreOptions) {
    this.seed = opts.seed;
    this.now = opts.now;
    this.users = makeUsers(opts.seed, opts.currentUser);
    for (const pd of opts.projects) this.addProject(pd.key, pd.name, pd.issues, opts.anchor);
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

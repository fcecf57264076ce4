/**
 * The data (data.ts) as search sees it: the index lag, sorted results cached per query, and the
 * JQL environment a query is compiled against.
 */
import { ISSUE_TYPES, LABELS, PRIORITIES, STATUS_CATEGORIES, STATUSES, type IssueTypeDef, type StatusDef } from './catalog.ts';
import { SimData, type StoreOptions } from './data.ts';
import type { AttrField, CompiledJql, JqlEnv, SortKey } from './jql.ts';
import type { Issue, IssueState } from './model.ts';
import { rangeSlice, type RangeQuery } from './rangeQuery.ts';
import type { SearchResolution } from './types.ts';
import { userIdentifiers, type SimUser } from './users.ts';

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

export class Store extends SimData {
  /** See JqlEnv.dateResolutionMs. */
  dateResolutionMs = 1;
  private readonly searchCache = new Map<string, SearchCacheEntry>();
  private readonly known: Record<AttrField, Set<string>>;

  constructor(opts: StoreOptions) {
    super(opts);
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
}

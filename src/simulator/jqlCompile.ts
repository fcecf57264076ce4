/**
 * The JQL compiler: turns a parsed query into a predicate over issue views (clauses in jqlClauses.ts),
 * the projects it can match at all, and a total sort order with its keyset comparison.
 */
import { compileClause, FIELD_ALIASES, operandValues } from './jqlClauses.ts';
import { JqlError } from './jqlError.ts';
import type { JqlNode, JqlQuery } from './jqlParser.ts';

/** The searchable state of one issue, as seen by the JQL evaluator. */
export interface IssueView {
  id: number;
  /** project index */
  p: number;
  /** issue number within its project */
  n: number;
  /** created, epoch ms */
  c: number;
  /** updated, epoch ms */
  u: number;
}

export type AttrField = 'status' | 'statuscategory' | 'priority' | 'issuetype' | 'assignee' | 'reporter' | 'labels';

export interface JqlEnv<V extends IssueView = IssueView> {
  now: number;
  userTimeZone: string;
  /**
   * Resolution of the search index's `updated`/`created` values, in ms: 1, or 60,000 when the index
   * keeps only whole minutes. Range operators, `=` and ORDER BY then see each issue's instant
   * truncated to that resolution, while literals keep their full value (nothing in Jira's
   * documentation rules this reading out).
   */
  dateResolutionMs: number;
  /** Resolves a project value (key, name or id; case-insensitive). null → unknown or invisible. */
  findProject(value: string): { idx: number } | 'forbidden' | null;
  /** Project key by index (for key ordering). */
  projectKey(idx: number): string;
  /** Resolves `PROJ-12` to its project index (key only), or null when the project is unknown/invisible. */
  findProjectByKey(key: string): number | null;
  /** The id of the (visible, not deleted) issue with this key or old key, else null. */
  issueIdByKey(key: string): number | null;
  /** Whether an issue with this id exists (visible, not deleted). */
  issueIdExists(id: number): boolean;
  /** Lower-cased identifiers of an attribute value (empty = EMPTY). */
  attr(v: V, field: AttrField): string[];
  /** Lower-cased known values of an attribute (for validation). */
  knownValues(field: AttrField): Set<string>;
  /** Lower-cased identifiers of the current user (currentUser()). */
  currentUser: string[];
  /** Text for `~` searches. */
  text(v: V, field: 'summary' | 'text'): string;
}

export type SortField = 'updated' | 'created' | 'key' | 'id' | 'project';
export type SortKey = Array<string | number>;

export interface CompiledJql<V extends IssueView = IssueView> {
  /** false when there is no restriction at all (Cloud search/jql rejects that). */
  bounded: boolean;
  /** false when the result depends on the clock (relative dates, now()). */
  cacheable: boolean;
  /** Candidate projects when the query restricts to a project set at the top level, else null. */
  projects: Set<number> | null;
  /** Projects named by the query (for permission checks). */
  match(v: V): boolean;
  sortFields: SortField[];
  sortDirs: number[];
  sortKey(v: V): SortKey;
  compareKeys(a: SortKey, b: SortKey): number;
}

const SORT_ALIASES: Record<string, SortField> = {
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
  key: 'key',
  issuekey: 'key',
  id: 'id',
  rank: 'id',
  project: 'project',
};

export type Pred<V> = (v: V) => boolean;

/** What compiling one query shares between its clauses. */
export interface CompileContext<V extends IssueView> {
  env: JqlEnv<V>;
  /** An issue's instant as the search index holds it (see JqlEnv.dateResolutionMs). */
  indexed: (ms: number) => number;
  /** Cleared by a value that depends on the clock (relative dates, now()). */
  cacheable: boolean;
}

export function compileJql<V extends IssueView>(query: JqlQuery, env: JqlEnv<V>): CompiledJql<V> {
  const resolution = env.dateResolutionMs;
  const indexed = resolution > 1 ? (ms: number) => ms - (((ms % resolution) + resolution) % resolution) : (ms: number) => ms;
  const cx: CompileContext<V> = { env, indexed, cacheable: true };

  const compileNode = (node: JqlNode): Pred<V> => {
    switch (node.kind) {
      case 'clause':
        return compileClause(node, cx);
      case 'not': {
        const c = compileNode(node.child);
        return (v) => !c(v);
      }
      case 'and': {
        const cs = node.children.map(compileNode);
        if (cs.length === 2) {
          const [a, b] = cs as [Pred<V>, Pred<V>];
          return (v) => a(v) && b(v);
        }
        return (v) => {
          for (const c of cs) if (!c(v)) return false;
          return true;
        };
      }
      case 'or': {
        const cs = node.children.map(compileNode);
        return (v) => {
          for (const c of cs) if (c(v)) return true;
          return false;
        };
      }
    }
  };

  // Project narrowing: which projects can possibly match.
  const narrow = (node: JqlNode): Set<number> | null => {
    if (node.kind === 'clause') {
      const canon = FIELD_ALIASES[node.field.toLowerCase()];
      if (canon !== 'project' || (node.op !== '=' && node.op !== 'in')) return null;
      const s = new Set<number>();
      for (const val of operandValues(node.operand)) {
        const r = env.findProject(val.text);
        if (r && r !== 'forbidden') s.add(r.idx);
      }
      return s;
    }
    if (node.kind === 'and') {
      let best: Set<number> | null = null;
      for (const c of node.children) {
        const s = narrow(c);
        if (s && (!best || s.size < best.size)) best = s;
      }
      return best;
    }
    if (node.kind === 'or') {
      const u = new Set<number>();
      for (const c of node.children) {
        const s = narrow(c);
        if (!s) return null;
        for (const x of s) u.add(x);
      }
      return u;
    }
    return null;
  };

  const match: Pred<V> = query.where ? compileNode(query.where) : () => true;
  const projects = query.where ? narrow(query.where) : null;

  // ORDER BY
  if (query.orderBy.length > 7) {
    throw new JqlError('The ORDER BY clause may contain at most 7 fields.');
  }
  const sortFields: SortField[] = [];
  const sortDirs: number[] = [];
  const seen = new Set<SortField>();
  for (const item of query.orderBy) {
    const f = SORT_ALIASES[item.field.toLowerCase()];
    if (!f) {
      if (FIELD_ALIASES[item.field.toLowerCase()]) {
        throw new JqlError(`Field '${item.field}' does not support sorting.`);
      }
      throw new JqlError(`Field '${item.field}' does not exist or you do not have permission to view it.`);
    }
    if (seen.has(f)) throw new JqlError(`Field '${item.field}' was specified multiple times in the ORDER BY clause.`);
    seen.add(f);
    sortFields.push(f);
    sortDirs.push(item.dir === 'desc' ? -1 : 1);
  }
  if (sortFields.length === 0) {
    sortFields.push('created');
    sortDirs.push(-1);
  }
  if (!seen.has('id')) {
    sortFields.push('id');
    sortDirs.push(1);
  }
  // Flattened key layout: key → [projectKey, number].
  const keyDirs: number[] = [];
  sortFields.forEach((f, i) => {
    keyDirs.push(sortDirs[i] as number);
    if (f === 'key') keyDirs.push(sortDirs[i] as number);
  });
  const sortKey = (v: V): SortKey => {
    const out: SortKey = [];
    for (const f of sortFields) {
      switch (f) {
        case 'updated':
          out.push(indexed(v.u));
          break;
        case 'created':
          out.push(indexed(v.c));
          break;
        case 'id':
          out.push(v.id);
          break;
        case 'project':
          out.push(env.projectKey(v.p));
          break;
        case 'key':
          out.push(env.projectKey(v.p), v.n);
          break;
      }
    }
    return out;
  };
  const compareKeys = (a: SortKey, b: SortKey): number => {
    for (let i = 0; i < keyDirs.length; i++) {
      const x = a[i] as string | number;
      const y = b[i] as string | number;
      if (x === y) continue;
      return (x < y ? -1 : 1) * (keyDirs[i] as number);
    }
    return 0;
  };

  return {
    bounded: query.where !== null,
    cacheable: cx.cacheable,
    projects,
    match,
    sortFields,
    sortDirs,
    sortKey,
    compareKeys,
  };
}

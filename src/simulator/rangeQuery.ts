/**
 * The fast path for what sync clients send page after page:
 * `project = "KEY" [AND updated >= N] [AND updated < M] ORDER BY updated ASC, key ASC` with
 * epoch-ms literals. Data Center keyset paging sends a new `updated >= N` literal on every page, so
 * a result cached per JQL text would miss every time and re-filter and re-sort the whole project.
 * Instead the store keeps, per (project set, ORDER BY), the project's issues sorted as the search
 * index sees them, and the range is a slice of it found by binary search over the first sort key.
 *
 * Exact by construction: the first sort key IS the value the range clauses compare (the issue's
 * instant truncated to the search resolution, see JqlEnv.dateResolutionMs), so the issues in range
 * are contiguous in the sorted view and in the order the general path would sort them into.
 * Anything else (OR, NOT, other fields, relative dates, a range over another field than the first
 * ORDER BY field) takes the general path.
 */
import { canonicalField, type JqlNode, type JqlQuery, type SortKey } from './jql.ts';

export interface RangeQuery {
  /** The query without its range clauses: the project restriction and the same ORDER BY. */
  base: JqlQuery;
  /** The field the range clauses compare, or null when there are none. */
  field: 'updated' | 'created' | null;
  /** Inclusive bounds on that field's indexed value (null = open). */
  min: number | null;
  max: number | null;
}

type Clause = Extract<JqlNode, { kind: 'clause' }>;

function conjuncts(node: JqlNode): Clause[] | null {
  if (node.kind === 'clause') return [node];
  if (node.kind !== 'and') return null;
  const out: Clause[] = [];
  for (const child of node.children) {
    const inner = conjuncts(child);
    if (!inner) return null;
    out.push(...inner);
  }
  return out;
}

function isProjectSet(c: Clause): boolean {
  if (c.op !== '=' && c.op !== 'in') return false;
  if (c.operand.kind === 'value') return !c.operand.value.fn;
  return c.operand.kind === 'list' && c.operand.values.every((v) => !v.fn);
}

/** Recognizes a range query, or null. Validation stays with compileJql: compile the full query too. */
export function rangeQuery(query: JqlQuery): RangeQuery | null {
  const clauses = query.where ? conjuncts(query.where) : null;
  if (!clauses) return null;
  let project: Clause | null = null;
  let field: RangeQuery['field'] = null;
  let min: number | null = null;
  let max: number | null = null;
  for (const c of clauses) {
    const canon = canonicalField(c.field);
    if (canon === 'project') {
      if (project || !isProjectSet(c)) return null;
      project = c;
      continue;
    }
    if (canon !== 'updated' && canon !== 'created') return null;
    if (field !== null && field !== canon) return null;
    field = canon;
    if (c.operand.kind !== 'value' || c.operand.value.fn) return null;
    const text = c.operand.value.text.trim();
    if (!/^\d+$/.test(text)) return null;
    const literal = Number(text);
    if (!Number.isSafeInteger(literal) || !Number.isSafeInteger(literal + 1)) return null;
    // Indexed values are integers: strict bounds become inclusive ones.
    if (c.op === '>' || c.op === '>=') {
      const bound = c.op === '>' ? literal + 1 : literal;
      min = min === null ? bound : Math.max(min, bound);
    } else if (c.op === '<' || c.op === '<=') {
      const bound = c.op === '<' ? literal - 1 : literal;
      max = max === null ? bound : Math.min(max, bound);
    } else return null;
  }
  if (!project) return null;
  return { base: { where: project, orderBy: query.orderBy }, field, min, max };
}

/**
 * The slice [start, end) of `keys` (sorted, first component = the ranged field's indexed value,
 * ascending when dir is 1, descending when -1) whose first component lies in [min, max].
 */
export function rangeSlice(keys: SortKey[], dir: number, min: number | null, max: number | null): { start: number; end: number } {
  // First index whose first component is past `bound` in sort order (strictly, or not).
  const after = (bound: number, strict: boolean): number => {
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const x = (keys[mid] as SortKey)[0] as number;
      const before = dir > 0 ? (strict ? x <= bound : x < bound) : strict ? x >= bound : x > bound;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const [low, high] = dir > 0 ? [min, max] : [max, min];
  const start = low === null ? 0 : after(low, false);
  const end = high === null ? keys.length : after(high, true);
  return { start, end: Math.max(start, end) };
}

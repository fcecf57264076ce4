/**
 * The fields a JQL clause can name (every spelling Jira accepts), and what a clause on each matches:
 * projects, issue keys and ids, dates, text, and the attribute fields (status, people, labels…).
 */
import type { AttrField, CompileContext, IssueView, Pred } from './jqlCompile.ts';
import { dateInterval, type Interval } from './jqlDates.ts';
import { JqlError } from './jqlError.ts';
import type { JqlNode, JqlOp, JqlOperand, JqlValue } from './jqlParser.ts';

export const FIELD_ALIASES: Record<string, string> = {
  project: 'project',
  key: 'issuekey',
  issuekey: 'issuekey',
  id: 'issuekey',
  issue: 'issuekey',
  updated: 'updated',
  updateddate: 'updated',
  created: 'created',
  createddate: 'created',
  status: 'status',
  statuscategory: 'statuscategory',
  priority: 'priority',
  issuetype: 'issuetype',
  type: 'issuetype',
  assignee: 'assignee',
  reporter: 'reporter',
  labels: 'labels',
  summary: 'summary',
  text: 'text',
};

/** The canonical name of a searchable field (`updatedDate` → `updated`), or undefined if unknown. */
export function canonicalField(name: string): string | undefined {
  return FIELD_ALIASES[name.toLowerCase()];
}

const KEY_RE = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;

export function operandValues(operand: JqlOperand): JqlValue[] {
  return operand.kind === 'value' ? [operand.value] : operand.kind === 'list' ? operand.values : [];
}

function opError(op: JqlOp, field: string): never {
  throw new JqlError(`The operator '${op.toUpperCase()}' is not supported by the '${field}' field.`);
}

export function compileClause<V extends IssueView>(node: Extract<JqlNode, { kind: 'clause' }>, cx: CompileContext<V>): Pred<V> {
  const { env, indexed } = cx;
  const fieldName = node.field;
  const canon = FIELD_ALIASES[fieldName.toLowerCase()];
  if (!canon) {
    throw new JqlError(`Field '${fieldName}' does not exist or you do not have permission to view it.`);
  }
  const op = node.op;
  const isList = op === 'in' || op === 'not in';
  if (isList && node.operand.kind !== 'list' && !(node.operand.kind === 'value' && node.operand.value.fn)) {
    // Jira accepts a single value with IN only as a list; be lenient like Jira's parser is not.
    throw new JqlError(
      `Error in the JQL Query: Expecting '(' but got '${node.operand.kind === 'value' ? node.operand.value.text : 'EMPTY'}'.`,
    );
  }
  if (!isList && node.operand.kind === 'list') {
    throw new JqlError(`The operator '${op}' does not support the list value for field '${fieldName}'.`);
  }
  const negate = op === '!=' || op === 'not in' || op === 'is not' || op === '!~';

  if (canon === 'project') {
    if (node.operand.kind === 'empty') {
      if (op !== 'is' && op !== 'is not') opError(op, fieldName);
      return op === 'is' ? () => false : () => true;
    }
    if (!['=', '!=', 'in', 'not in'].includes(op)) opError(op, fieldName);
    const set = new Set<number>();
    for (const val of operandValues(node.operand)) {
      const r = env.findProject(val.text);
      if (r === null) throw new JqlError(`The value '${val.text}' does not exist for the field '${fieldName}'.`);
      if (r === 'forbidden') throw new JqlError('', 403);
      set.add(r.idx);
    }
    if (set.size === 1) {
      const only = set.values().next().value as number;
      return negate ? (v) => v.p !== only : (v) => v.p === only;
    }
    return negate ? (v) => !set.has(v.p) : (v) => set.has(v.p);
  }

  if (canon === 'issuekey') {
    if (node.operand.kind === 'empty') {
      if (op !== 'is' && op !== 'is not') opError(op, fieldName);
      return op === 'is' ? () => false : () => true;
    }
    if (op === '~' || op === '!~') opError(op, fieldName);
    const vals = operandValues(node.operand);
    if (op === '>' || op === '>=' || op === '<' || op === '<=') {
      const val = vals[0] as JqlValue;
      const text = val.text.trim();
      const cmp = (a: number, b: number): boolean => (op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b);
      if (/^\d+$/.test(text)) {
        const id = Number(text);
        return (v) => cmp(v.id, id);
      }
      const m = KEY_RE.exec(text);
      if (!m) throw new JqlError(`The issue key '${val.text}' for field '${fieldName}' is invalid.`);
      const p = env.findProjectByKey(m[1] as string);
      if (p === null) throw new JqlError(`An issue with key '${val.text}' does not exist for field '${fieldName}'.`);
      const num = Number(m[2]);
      return (v) => v.p === p && cmp(v.n, num);
    }
    const ids = new Set<number>();
    for (const val of vals) {
      const text = val.text.trim();
      let id: number | null;
      if (/^\d+$/.test(text)) id = env.issueIdExists(Number(text)) ? Number(text) : null;
      else if (KEY_RE.test(text)) id = env.issueIdByKey(text.toUpperCase());
      else throw new JqlError(`The issue key '${val.text}' for field '${fieldName}' is invalid.`);
      if (id === null) throw new JqlError(`An issue with key '${val.text}' does not exist for field '${fieldName}'.`);
      ids.add(id);
    }
    return negate ? (v) => !ids.has(v.id) : (v) => ids.has(v.id);
  }

  if (canon === 'updated' || canon === 'created') {
    const get: (v: V) => number = canon === 'updated' ? (v) => indexed(v.u) : (v) => indexed(v.c);
    if (node.operand.kind === 'empty') {
      if (op !== 'is' && op !== 'is not') opError(op, fieldName);
      return op === 'is' ? () => false : () => true;
    }
    if (op === '~' || op === '!~') opError(op, fieldName);
    const ivs = operandValues(node.operand).map((val) => dateInterval(fieldName, val, cx));
    const iv = ivs[0] as Interval;
    switch (op) {
      case '>':
        return (v) => get(v) > iv.start;
      case '>=':
        return (v) => get(v) >= iv.start;
      case '<':
        return (v) => get(v) < iv.start;
      case '<=':
        return (v) => get(v) <= iv.start;
      default: {
        const inAny = (x: number): boolean => {
          for (const r of ivs) if (x >= r.start && x < r.end) return true;
          return false;
        };
        return negate ? (v) => !inAny(get(v)) : (v) => inAny(get(v));
      }
    }
  }

  if (canon === 'summary' || canon === 'text') {
    if (op !== '~' && op !== '!~') opError(op, fieldName);
    if (node.operand.kind !== 'value') opError(op, fieldName);
    const needle = (node.operand as { kind: 'value'; value: JqlValue }).value.text.toLowerCase().replace(/\*/g, '');
    const words = needle.split(/\s+/).filter(Boolean);
    const f = canon;
    const hit = (v: V): boolean => {
      const t = env.text(v, f).toLowerCase();
      return words.every((w) => t.includes(w));
    };
    return negate ? (v) => !hit(v) : hit;
  }

  // attribute fields
  const af = canon as AttrField;
  if (node.operand.kind === 'empty') {
    if (op !== 'is' && op !== 'is not') opError(op, fieldName);
    return op === 'is' ? (v) => env.attr(v, af).length === 0 : (v) => env.attr(v, af).length > 0;
  }
  if (!['=', '!=', 'in', 'not in'].includes(op)) opError(op, fieldName);
  const wanted = new Set<string>();
  const known = env.knownValues(af);
  for (const val of operandValues(node.operand)) {
    if (val.fn) {
      if (val.fn.name.toLowerCase() === 'currentuser' && (af === 'assignee' || af === 'reporter')) {
        for (const u of env.currentUser) wanted.add(u);
        continue;
      }
      throw new JqlError(`Unable to find JQL function '${val.fn.name}(${val.fn.args.join(', ')})'.`);
    }
    const lv = val.text.toLowerCase();
    if (af !== 'labels' && !known.has(lv)) {
      throw new JqlError(`The value '${val.text}' does not exist for the field '${fieldName}'.`);
    }
    wanted.add(lv);
  }
  const hit = (v: V): boolean => {
    for (const x of env.attr(v, af)) if (wanted.has(x)) return true;
    return false;
  };
  // Jira: `assignee != X` does not match unassigned issues.
  return negate ? (v) => env.attr(v, af).length > 0 && !hit(v) : hit;
}

/**
 * JQL subset used by sync clients: a real tokenizer, a recursive-descent parser and a compiler that
 * turns the AST into a predicate + sort over simulator issue views.
 *
 * Grammar (keywords and field names are case-insensitive):
 *   query   := [or] [ORDER BY sortItem ("," sortItem)*]
 *   or      := and (OR and)*                       -- also `||`
 *   and     := not (AND not)*                      -- also `&&`; AND binds tighter than OR
 *   not     := (NOT | "!") not | "(" or ")" | clause
 *   clause  := field op operand
 *   op      := = | != | > | >= | < | <= | ~ | !~ | IN | NOT IN | IS | IS NOT
 *   operand := value | "(" value ("," value)* ")" | fn "(" [value ("," value)*] ")" | EMPTY | NULL
 *   value   := bare word | "double quoted" | 'single quoted' | integer
 *
 * Fields: project, key/issuekey/id/issue, updated(/updatedDate), created(/createdDate), plus status,
 * statusCategory, priority, issuetype/type, assignee, reporter, labels (= / != / IN / NOT IN / IS
 * [NOT] EMPTY) and summary/text (~, !~).
 *
 * Date values: "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd", "yyyy-MM-dd" are read in the
 * USER's time zone at minute precision; an all-digit value is epoch milliseconds; relative periods
 * ("-5d", "-15m", "-2w", "-1h", "-4w 2d") and now()/startOfDay()/endOfDay() are relative to the clock.
 * Range operators compare the issue's exact instant with the literal's instant; `=` matches the
 * whole minute (or the exact millisecond for epoch values). The store caches the result of a
 * clock-dependent query for up to one second of simulator clock (so paging 200,000 issues with
 * `updated >= -30d` does not re-sort on every page).
 *
 * Ordering: updated, created, key/issuekey, id, project (rank is accepted as id order); default
 * direction ASC; at most 7 fields. With no ORDER BY the order is `created DESC`. A final `id`
 * tiebreak (ASC) is always appended so the order is total (keyset paging relies on that).
 */
import { daysInMonth, localToEpoch, tzOffsetMs } from './time.ts';

export class JqlError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'JqlError';
    this.status = status;
  }
}

// ---------------------------------------------------------------- tokens

type TokType = 'lp' | 'rp' | 'comma' | 'op' | 'str' | 'word' | 'and' | 'or' | 'not' | 'eof';
interface Token {
  t: TokType;
  v: string;
  pos: number;
}

const OPERATORS = ['!=', '!~', '>=', '<=', '=', '>', '<', '~'];
const RESERVED = new Set(['+', ';', '?', '*', '%', '^', '$', '#', '@', '[', ']', '{', '}']);
const WORD_STOP = new Set([' ', '\t', '\n', '\r', '(', ')', ',', '"', "'", '=', '!', '<', '>', '~', '&', '|']);

function where(text: string, pos: number): string {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return `(line ${line}, character ${col})`;
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(') {
      out.push({ t: 'lp', v: ch, pos: i++ });
      continue;
    }
    if (ch === ')') {
      out.push({ t: 'rp', v: ch, pos: i++ });
      continue;
    }
    if (ch === ',') {
      out.push({ t: 'comma', v: ch, pos: i++ });
      continue;
    }
    if (ch === '"' || ch === "'") {
      i++;
      let s = '';
      let closed = false;
      while (i < n) {
        const c = text[i] as string;
        if (c === '\\' && i + 1 < n) {
          const e = text[i + 1] as string;
          if (e === 'n') s += '\n';
          else if (e === 't') s += '\t';
          else if (e === 'r') s += '\r';
          else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 4;
          } else s += e;
          i += 2;
          continue;
        }
        if (c === ch) {
          closed = true;
          i++;
          break;
        }
        s += c;
        i++;
      }
      if (!closed) {
        throw new JqlError(`Error in the JQL Query: The quoted string '${s}' has not been completed. ${where(text, start)}`);
      }
      out.push({ t: 'str', v: s, pos: start });
      continue;
    }
    if (ch === '&' || ch === '|') {
      i += text[i + 1] === ch ? 2 : 1;
      out.push({ t: ch === '&' ? 'and' : 'or', v: text.slice(start, i), pos: start });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      i += op.length;
      out.push({ t: 'op', v: op, pos: start });
      continue;
    }
    if (ch === '!') {
      out.push({ t: 'not', v: ch, pos: i++ });
      continue;
    }
    if (RESERVED.has(ch)) {
      const code = ch.charCodeAt(0).toString(16).padStart(4, '0');
      throw new JqlError(
        `Error in the JQL Query: The character '${ch}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead. ${where(text, start)}`,
      );
    }
    while (i < n) {
      const c = text[i] as string;
      if (WORD_STOP.has(c)) break;
      if (RESERVED.has(c) && c !== '+') {
        const code = c.charCodeAt(0).toString(16).padStart(4, '0');
        throw new JqlError(
          `Error in the JQL Query: The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead. ${where(text, i)}`,
        );
      }
      i++;
    }
    const w = text.slice(start, i);
    const up = w.toUpperCase();
    if (up === 'AND') out.push({ t: 'and', v: w, pos: start });
    else if (up === 'OR') out.push({ t: 'or', v: w, pos: start });
    else if (up === 'NOT') out.push({ t: 'not', v: w, pos: start });
    else out.push({ t: 'word', v: w, pos: start });
  }
  out.push({ t: 'eof', v: '', pos: n });
  return out;
}

// ---------------------------------------------------------------- AST

export type JqlOp = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~' | 'in' | 'not in' | 'is' | 'is not';

export interface JqlValue {
  text: string;
  quoted: boolean;
  pos: number;
  fn?: { name: string; args: string[] };
}
export type JqlOperand = { kind: 'value'; value: JqlValue } | { kind: 'list'; values: JqlValue[] } | { kind: 'empty' };

export type JqlNode =
  | { kind: 'and' | 'or'; children: JqlNode[] }
  | { kind: 'not'; child: JqlNode }
  | { kind: 'clause'; field: string; fieldPos: number; op: JqlOp; operand: JqlOperand };

export interface JqlSortItem {
  field: string;
  dir: 'asc' | 'desc' | null;
  pos: number;
}
export interface JqlQuery {
  where: JqlNode | null;
  orderBy: JqlSortItem[];
}

const VALID_OPS = "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

function describe(tok: Token): string {
  return tok.t === 'eof' ? 'end of query' : `'${tok.v}'`;
}

class Parser {
  private i = 0;
  private readonly toks: Token[];
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
    this.toks = tokenize(text);
  }
  private peek(k = 0): Token {
    return (this.toks[this.i + k] ?? this.toks[this.toks.length - 1]) as Token;
  }
  private next(): Token {
    const t = this.peek();
    if (t.t !== 'eof') this.i++;
    return t;
  }
  private fail(msg: string, tok: Token): never {
    throw new JqlError(`Error in the JQL Query: ${msg}${tok.t === 'eof' ? '' : ' ' + where(this.text, tok.pos)}`);
  }
  private isWord(tok: Token, w: string): boolean {
    return tok.t === 'word' && tok.v.toUpperCase() === w;
  }

  parse(): JqlQuery {
    let whereNode: JqlNode | null = null;
    if (!(this.isWord(this.peek(), 'ORDER') && this.isWord(this.peek(1), 'BY')) && this.peek().t !== 'eof') {
      whereNode = this.parseOr();
    }
    const orderBy: JqlSortItem[] = [];
    const t = this.peek();
    if (this.isWord(t, 'ORDER')) {
      this.next();
      const by = this.next();
      if (!this.isWord(by, 'BY')) this.fail(`Expecting 'BY' but got ${describe(by)}.`, by);
      for (;;) {
        const f = this.next();
        if (f.t !== 'word' && f.t !== 'str') this.fail(`Expecting a field name but got ${describe(f)}.`, f);
        let dir: 'asc' | 'desc' | null = null;
        if (this.isWord(this.peek(), 'ASC')) {
          this.next();
          dir = 'asc';
        } else if (this.isWord(this.peek(), 'DESC')) {
          this.next();
          dir = 'desc';
        }
        orderBy.push({ field: f.v, dir, pos: f.pos });
        if (this.peek().t === 'comma') {
          this.next();
          continue;
        }
        break;
      }
    }
    const end = this.peek();
    if (end.t !== 'eof') {
      if (orderBy.length > 0) this.fail(`Expecting ',' but got ${describe(end)}.`, end);
      this.fail(`Expecting either 'OR' or 'AND' but got ${describe(end)}.`, end);
    }
    return { where: whereNode, orderBy };
  }

  private parseOr(): JqlNode {
    const children = [this.parseAnd()];
    while (this.peek().t === 'or') {
      this.next();
      children.push(this.parseAnd());
    }
    return children.length === 1 ? (children[0] as JqlNode) : { kind: 'or', children };
  }
  private parseAnd(): JqlNode {
    const children = [this.parseNot()];
    while (this.peek().t === 'and') {
      this.next();
      children.push(this.parseNot());
    }
    return children.length === 1 ? (children[0] as JqlNode) : { kind: 'and', children };
  }
  private parseNot(): JqlNode {
    const t = this.peek();
    if (t.t === 'not') {
      this.next();
      return { kind: 'not', child: this.parseNot() };
    }
    if (t.t === 'lp') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.t !== 'rp') this.fail(`Expecting ')' but got ${describe(close)}.`, close);
      return inner;
    }
    return this.parseClause();
  }
  private parseClause(): JqlNode {
    const f = this.next();
    if (f.t !== 'word' && f.t !== 'str') {
      this.fail(`Expecting a field name but got ${describe(f)}.`, f);
    }
    if (this.isWord(f, 'ORDER')) this.fail(`Expecting a field name but got 'ORDER'.`, f);
    const o = this.next();
    let op: JqlOp;
    if (o.t === 'op') op = o.v as JqlOp;
    else if (this.isWord(o, 'IN')) op = 'in';
    else if (this.isWord(o, 'IS')) {
      if (this.peek().t === 'not') {
        this.next();
        op = 'is not';
      } else op = 'is';
    } else if (o.t === 'not' && this.isWord(this.peek(), 'IN')) {
      this.next();
      op = 'not in';
    } else this.fail(`Expecting operator but got ${describe(o)}. ${VALID_OPS}`, o);
    let operand: JqlOperand;
    if (op === 'is' || op === 'is not') {
      const v = this.next();
      if (!(this.isWord(v, 'EMPTY') || this.isWord(v, 'NULL'))) {
        this.fail(`Expecting 'EMPTY' or 'NULL' but got ${describe(v)}.`, v);
      }
      operand = { kind: 'empty' };
    } else if (this.peek().t === 'lp') {
      this.next();
      const values: JqlValue[] = [];
      if (this.peek().t === 'rp') this.fail(`Expecting either a value or function but got ')'.`, this.peek());
      for (;;) {
        values.push(this.parseValue());
        const sep = this.next();
        if (sep.t === 'comma') continue;
        if (sep.t === 'rp') break;
        this.fail(`Expecting ')' but got ${describe(sep)}.`, sep);
      }
      operand = { kind: 'list', values };
    } else {
      const v = this.parseValue();
      if (!v.fn && !v.quoted && (v.text.toUpperCase() === 'EMPTY' || v.text.toUpperCase() === 'NULL')) {
        operand = { kind: 'empty' };
      } else operand = { kind: 'value', value: v };
    }
    return { kind: 'clause', field: f.v, fieldPos: f.pos, op, operand };
  }
  private parseValue(): JqlValue {
    const v = this.next();
    if (v.t === 'str') return { text: v.v, quoted: true, pos: v.pos };
    if (v.t !== 'word') {
      const extra = v.t === 'eof' ? '' : ` You must surround ${describe(v)} in quotation marks to use it as a value.`;
      this.fail(`Expecting either a value, list or function but got ${describe(v)}.${extra}`, v);
    }
    if (this.peek().t === 'lp') {
      this.next();
      const args: string[] = [];
      if (this.peek().t !== 'rp') {
        for (;;) {
          const a = this.next();
          if (a.t !== 'word' && a.t !== 'str') this.fail(`Expecting a function argument but got ${describe(a)}.`, a);
          args.push(a.v);
          const sep = this.next();
          if (sep.t === 'comma') continue;
          if (sep.t === 'rp') break;
          this.fail(`Expecting ')' but got ${describe(sep)}.`, sep);
        }
      } else this.next();
      return { text: v.v, quoted: false, pos: v.pos, fn: { name: v.v, args } };
    }
    return { text: v.v, quoted: false, pos: v.pos };
  }
}

/** Parses JQL text; throws JqlError (status 400) with a Jira-like message on a syntax error. */
export function parseJql(text: string): JqlQuery {
  return new Parser(text).parse();
}

// ---------------------------------------------------------------- compile

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

const FIELD_ALIASES: Record<string, string> = {
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

const DATE_RE = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/;
const PERIOD_RE = /^([-+])?\s*((?:\d+\s*[wdhm]\s*)+)$/;
const KEY_RE = /^([A-Za-z][A-Za-z0-9_]*)-(\d+)$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

interface Interval {
  start: number;
  end: number;
}

type Pred<V> = (v: V) => boolean;

export function compileJql<V extends IssueView>(query: JqlQuery, env: JqlEnv<V>): CompiledJql<V> {
  let cacheable = true;
  const resolution = env.dateResolutionMs;
  const indexed = resolution > 1 ? (ms: number) => ms - (((ms % resolution) + resolution) % resolution) : (ms: number) => ms;

  const dateInterval = (field: string, val: JqlValue): Interval => {
    if (val.fn) {
      const name = val.fn.name.toLowerCase();
      cacheable = false;
      if (name === 'now') return { start: env.now, end: env.now + 1 };
      if (name === 'startofday' || name === 'endofday') {
        const off = tzOffsetMs(env.now, env.userTimeZone);
        const local = new Date(env.now + off);
        const s = localToEpoch(local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), 0, 0, env.userTimeZone);
        const t = name === 'startofday' ? s : s + DAY - 1;
        return { start: t, end: t + 1 };
      }
      throw new JqlError(`Unable to find JQL function '${val.fn.name}(${val.fn.args.join(', ')})'.`);
    }
    const s = val.text.trim();
    if (/^\d+$/.test(s)) {
      const ms = Number(s);
      return { start: ms, end: ms + 1 };
    }
    const m = DATE_RE.exec(s);
    if (m) {
      const y = Number(m[1]);
      const mo = Number(m[2]);
      const d = Number(m[3]);
      const hasTime = m[4] !== undefined;
      const h = hasTime ? Number(m[4]) : 0;
      const mi = hasTime ? Number(m[5]) : 0;
      if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) && h <= 23 && mi <= 59) {
        const t = localToEpoch(y, mo, d, h, mi, env.userTimeZone);
        return { start: t, end: t + MINUTE };
      }
    }
    const p = PERIOD_RE.exec(s);
    if (p) {
      let dur = 0;
      for (const part of (p[2] as string).matchAll(/(\d+)\s*([wdhm])/g)) {
        const k = Number(part[1]);
        const unit = part[2];
        dur += k * (unit === 'w' ? 7 * DAY : unit === 'd' ? DAY : unit === 'h' ? 3_600_000 : MINUTE);
      }
      cacheable = false;
      const t = p[1] === '-' ? env.now - dur : env.now + dur;
      return { start: t, end: t + 1 };
    }
    throw new JqlError(
      `Date value '${val.text}' for field '${field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`,
    );
  };

  const values = (operand: JqlOperand): JqlValue[] =>
    operand.kind === 'value' ? [operand.value] : operand.kind === 'list' ? operand.values : [];

  const opError = (op: JqlOp, field: string): never => {
    throw new JqlError(`The operator '${op.toUpperCase()}' is not supported by the '${field}' field.`);
  };

  const compileClause = (node: Extract<JqlNode, { kind: 'clause' }>): Pred<V> => {
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
      for (const val of values(node.operand)) {
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
      const vals = values(node.operand);
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
      const ivs = values(node.operand).map((val) => dateInterval(fieldName, val));
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
    for (const val of values(node.operand)) {
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
  };

  const compileNode = (node: JqlNode): Pred<V> => {
    switch (node.kind) {
      case 'clause':
        return compileClause(node);
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
      for (const val of values(node.operand)) {
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
    cacheable,
    projects,
    match,
    sortFields,
    sortDirs,
    sortKey,
    compareKeys,
  };
}

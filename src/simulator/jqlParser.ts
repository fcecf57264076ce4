/** The JQL syntax tree, and the recursive-descent parser that builds it from tokens (grammar in jql.ts). */
import { JqlError, where } from './jqlError.ts';
import { tokenize, type Token } from './jqlTokens.ts';

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
    return this.parseJoined('or', () => this.parseAnd());
  }
  private parseAnd(): JqlNode {
    return this.parseJoined('and', () => this.parseNot());
  }
  /** Operands joined by one keyword: the operand alone, or the keyword's node over all of them. */
  private parseJoined(kind: 'or' | 'and', operand: () => JqlNode): JqlNode {
    const children = [operand()];
    while (this.peek().t === kind) {
      this.next();
      children.push(operand());
    }
    return children.length === 1 ? (children[0] as JqlNode) : { kind, children };
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

/**
 * The shapes of the simulator's data: projects, the compact state of an issue version and the overrides
 * the control API sets on it, the values derived from it (Attrs), and the error the data answers with.
 */
import type { IssueView } from './jql.ts';

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

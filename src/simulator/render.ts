/**
 * Renders issues, users and projects as JSON text in the shape of real Jira responses (Cloud v3 with
 * ADF descriptions, v2 with wiki-markup strings). Strings are built by concatenation of cached
 * fragments so a full-field issue (~5 KB) renders in microseconds.
 */
import { mix, mulberry32 } from './prng.ts';
import { COMPONENTS, ISSUE_TYPES, PRIORITIES, STATUSES, STATUS_CATEGORIES } from './catalog.ts';
import type { Attrs, IssueState, Project } from './model.ts';
import type { Store } from './store.ts';
import type { SimUser } from './users.ts';
import { formatJiraTimestamp, formatLocalDate } from './time.ts';

const CLOUD_PROJECT_EXPAND = 'description,lead,issueTypes,url,projectKeys,permissions,insight';
const DC_PROJECT_EXPAND = 'description,lead,url,projectKeys';
import type { SimulatorFlavor } from './types.ts';

export type ApiVersion = 2 | 3;

interface Ctx {
  v: IssueState;
  a: Attrs;
  api: ApiVersion;
  r: Renderer;
}

interface FieldDef {
  name: string;
  nav: boolean;
  only?: SimulatorFlavor;
  render(x: Ctx): string;
}

const q = JSON.stringify;
const NULL = (): string => 'null';

/** A per-field PRNG so values do not depend on which fields were selected. */
function rf(x: Ctx, salt: number): () => number {
  return mulberry32(mix(x.a.seed, salt));
}
function maybe<T>(x: Ctx, salt: number, p: number, f: (r: () => number) => T): T | null {
  const r = rf(x, salt);
  return r() < p ? f(r) : null;
}

function timeSpent(x: Ctx): number | null {
  return maybe(x, 11, 0.3, (r) => (1 + Math.floor(r() * 16)) * 1800);
}
function estimate(x: Ctx): number | null {
  return maybe(x, 12, 0.35, (r) => (1 + Math.floor(r() * 24)) * 3600);
}
function sprintId(x: Ctx): number | null {
  return maybe(x, 13, 0.5, (r) => 1 + Math.floor(r() * 30));
}

const FIELD_DEFS: FieldDef[] = [
  { name: 'statuscategorychangedate', nav: true, only: 'cloud', render: (x) => q(x.r.ts(x.r.store.statusCategoryChanged(x.v))) },
  { name: 'issuetype', nav: true, render: (x) => x.r.issueType(x.a.type, x.api) },
  { name: 'timespent', nav: true, render: (x) => q(timeSpent(x)) },
  { name: 'project', nav: true, render: (x) => x.r.projectRef(x.v.p, x.api) },
  {
    name: 'fixVersions',
    nav: true,
    render: (x) => {
      const r = rf(x, 14);
      if (r() < 0.6) return '[]';
      const n = 1 + Math.floor(r() * 9);
      const id = 10100 + n;
      const released = STATUSES[x.a.status]?.cat === 'done';
      return `[{"self":${q(x.r.base + '/rest/api/' + x.api + '/version/' + id)},"id":"${id}","description":"","name":"1.${n}.0","archived":false,"released":${released}${released ? ',"releaseDate":' + q(formatLocalDate(x.v.u, x.r.siteTz)) : ''}}]`;
    },
  },
  { name: 'aggregatetimespent', nav: true, render: (x) => q(timeSpent(x)) },
  {
    name: 'resolution',
    nav: true,
    render: (x) =>
      STATUSES[x.a.status]?.cat === 'done'
        ? `{"self":${q(x.r.base + '/rest/api/' + x.api + '/resolution/10000')},"id":"10000","description":"Work has been completed on this issue.","name":"Done"}`
        : 'null',
  },
  {
    name: 'resolutiondate',
    nav: true,
    render: (x) => (STATUSES[x.a.status]?.cat === 'done' ? q(x.r.ts(x.r.store.statusCategoryChanged(x.v))) : 'null'),
  },
  { name: 'workratio', nav: true, render: () => '-1' },
  {
    name: 'watches',
    nav: true,
    render: (x) =>
      `{"self":${q(x.r.base + '/rest/api/' + x.api + '/issue/' + x.v.key + '/watchers')},"watchCount":${1 + (x.a.seed % 4)},"isWatching":false}`,
  },
  { name: 'issuerestriction', nav: true, only: 'cloud', render: () => '{"issuerestrictions":{},"shouldDisplay":false}' },
  { name: 'lastViewed', nav: true, render: NULL },
  { name: 'created', nav: true, render: (x) => q(x.r.ts(x.v.c)) },
  {
    name: 'customfield_10020',
    nav: true,
    render: (x) => {
      const s = sprintId(x);
      if (s === null) return 'null';
      const start = x.v.c + 86_400_000;
      const state = STATUSES[x.a.status]?.cat === 'done' ? 'closed' : 'active';
      if (x.r.flavor === 'datacenter') {
        return `["com.atlassian.greenhopper.service.sprint.Sprint@${(x.a.seed >>> 8).toString(16)}[id=${s},rapidViewId=1,state=${state.toUpperCase()},name=Sprint ${s},startDate=${new Date(start).toISOString()},endDate=${new Date(start + 14 * 86_400_000).toISOString()},completeDate=<null>,sequence=${s},goal=]"]`;
      }
      return `[{"id":${s},"name":"Sprint ${s}","state":"${state}","boardId":1,"goal":"","startDate":"${new Date(start).toISOString()}","endDate":"${new Date(start + 14 * 86_400_000).toISOString()}"}]`;
    },
  },
  { name: 'customfield_10021', nav: true, render: NULL },
  { name: 'customfield_10022', nav: true, render: NULL },
  { name: 'customfield_10023', nav: true, render: NULL },
  { name: 'priority', nav: true, render: (x) => x.r.priority(x.a.prio, x.api) },
  { name: 'customfield_10024', nav: true, render: NULL },
  { name: 'customfield_10025', nav: true, render: NULL },
  { name: 'labels', nav: true, render: (x) => q(x.a.labels) },
  { name: 'customfield_10016', nav: true, render: (x) => q(maybe(x, 15, 0.4, (r) => [1, 2, 3, 5, 8, 13][Math.floor(r() * 6)] as number)) },
  { name: 'customfield_10017', nav: true, render: NULL },
  {
    name: 'customfield_10018',
    nav: true,
    only: 'cloud',
    render: () =>
      '{"hasEpicLinkFieldDependency":false,"showField":false,"nonEditableReason":{"reason":"PLUGIN_LICENSE_ERROR","message":"The Parent Link is only available to Jira Premium users."}}',
  },
  { name: 'customfield_10019', nav: true, render: (x) => q('0|i' + x.v.id.toString(36).padStart(5, '0') + ':') },
  { name: 'aggregatetimeoriginalestimate', nav: true, render: (x) => q(estimate(x)) },
  { name: 'timeestimate', nav: true, render: (x) => q(estimate(x)) },
  { name: 'versions', nav: true, render: () => '[]' },
  { name: 'issuelinks', nav: true, render: () => '[]' },
  { name: 'assignee', nav: true, render: (x) => (x.a.assignee < 0 ? 'null' : x.r.user(x.a.assignee, x.api)) },
  { name: 'updated', nav: true, render: (x) => q(x.r.ts(x.v.u)) },
  { name: 'status', nav: true, render: (x) => x.r.status(x.a.status, x.api) },
  {
    name: 'components',
    nav: true,
    render: (x) =>
      '[' +
      x.a.components
        .map(
          (c) =>
            `{"self":${q(x.r.base + '/rest/api/' + x.api + '/component/' + (10000 + c))},"id":"${10000 + c}","name":${q(COMPONENTS[c])}}`,
        )
        .join(',') +
      ']',
  },
  { name: 'timeoriginalestimate', nav: true, render: (x) => q(estimate(x)) },
  { name: 'description', nav: true, render: (x) => x.r.text(x.r.store.description(x.a), x.api) },
  { name: 'customfield_10010', nav: true, render: NULL },
  {
    name: 'customfield_10014',
    nav: true,
    render: (x) => q(maybe(x, 16, 0.2, (r) => x.r.projectKeyOf(x.v.p) + '-' + (1 + Math.floor(r() * Math.max(1, x.v.n))))),
  },
  { name: 'customfield_10015', nav: true, render: (x) => q(maybe(x, 17, 0.2, () => formatLocalDate(x.v.c + 3 * 86_400_000, x.r.siteTz))) },
  { name: 'customfield_10005', nav: true, render: NULL },
  { name: 'customfield_10006', nav: true, render: NULL },
  { name: 'customfield_10007', nav: true, render: NULL },
  { name: 'customfield_10008', nav: true, render: NULL },
  { name: 'customfield_10009', nav: true, render: NULL },
  { name: 'security', nav: true, render: NULL },
  { name: 'aggregatetimeestimate', nav: true, render: (x) => q(estimate(x)) },
  { name: 'summary', nav: true, render: (x) => q(x.a.summary) },
  { name: 'creator', nav: true, render: (x) => x.r.user(x.a.creator, x.api) },
  { name: 'subtasks', nav: true, render: () => '[]' },
  { name: 'reporter', nav: true, render: (x) => x.r.user(x.a.reporter, x.api) },
  { name: 'customfield_10000', nav: true, render: (x) => (x.r.flavor === 'cloud' ? '"{}"' : 'null') },
  { name: 'aggregateprogress', nav: true, render: (x) => progress(x) },
  { name: 'customfield_10001', nav: true, render: NULL },
  { name: 'customfield_10002', nav: true, render: NULL },
  { name: 'customfield_10003', nav: true, render: NULL },
  { name: 'customfield_10004', nav: true, render: NULL },
  { name: 'environment', nav: true, render: NULL },
  {
    name: 'duedate',
    nav: true,
    render: (x) => q(maybe(x, 18, 0.25, (r) => formatLocalDate(x.v.c + Math.floor(r() * 60) * 86_400_000, x.r.siteTz))),
  },
  { name: 'progress', nav: true, render: (x) => progress(x) },
  {
    name: 'votes',
    nav: true,
    render: (x) =>
      `{"self":${q(x.r.base + '/rest/api/' + x.api + '/issue/' + x.v.key + '/votes')},"votes":${x.a.seed % 3},"hasVoted":false}`,
  },
  { name: 'comment', nav: true, render: (x) => x.r.comments(x) },
  { name: 'customfield_10026', nav: true, render: () => '[]' },
  {
    name: 'customfield_10027',
    nav: true,
    render: (x) => {
      const o = maybe(x, 19, 0.3, (r) => Math.floor(r() * 3));
      return o === null
        ? 'null'
        : `{"self":${q(x.r.base + '/rest/api/' + x.api + '/customFieldOption/' + (10040 + o))},"value":${q(['Low', 'Medium', 'High'][o])},"id":"${10040 + o}"}`;
    },
  },
  {
    name: 'customfield_10028',
    nav: true,
    render: (x) => (x.a.seed % 5 === 0 ? '[' + x.r.user((x.a.seed >>> 3) % x.r.store.users.length, x.api) + ']' : 'null'),
  },
  { name: 'customfield_10029', nav: true, render: (x) => q(maybe(x, 20, 0.2, (r) => Math.round(r() * 10000) / 100)) },
  { name: 'customfield_10030', nav: true, render: (x) => q(maybe(x, 21, 0.15, (r) => x.r.ts(x.v.c + Math.floor(r() * 30 * 86_400_000)))) },
  {
    name: 'customfield_10031',
    nav: true,
    render: (x) => q(maybe(x, 22, 0.1, (r) => 'https://example.com/ticket/' + Math.floor(r() * 100000))),
  },
  {
    name: 'customfield_10032',
    nav: true,
    render: (x) => {
      const o = maybe(x, 23, 0.2, (r) => 1 + Math.floor(r() * 2));
      if (o === null) return 'null';
      const items: string[] = [];
      for (let i = 0; i < o; i++)
        items.push(
          `{"self":${q(x.r.base + '/rest/api/' + x.api + '/customFieldOption/' + (10050 + i))},"value":"Option ${i + 1}","id":"${10050 + i}"}`,
        );
      return '[' + items.join(',') + ']';
    },
  },
  { name: 'customfield_10033', nav: true, render: (x) => q(maybe(x, 24, 0.1, () => 'Customer impact: ' + x.a.summary.toLowerCase())) },
  {
    name: 'customfield_10034',
    nav: true,
    render: (x) =>
      x.a.seed % 7 === 0
        ? `{"self":${q(x.r.base + '/rest/api/' + x.api + '/customFieldOption/10060')},"value":"EMEA","id":"10060","child":{"self":${q(x.r.base + '/rest/api/' + x.api + '/customFieldOption/10061')},"value":"Germany","id":"10061"}}`
        : 'null',
  },
  {
    name: 'customfield_10035',
    nav: true,
    render: (x) => (x.a.seed % 6 === 0 ? x.r.text('Steps to reproduce: open the page and wait.', x.api) : 'null'),
  },
  { name: 'customfield_10036', nav: true, render: NULL },
  { name: 'customfield_10037', nav: true, render: NULL },
  { name: 'customfield_10038', nav: true, render: NULL },
  { name: 'customfield_10039', nav: true, render: NULL },
  // non-navigable (only with *all or by name)
  { name: 'worklog', nav: false, render: () => '{"startAt":0,"maxResults":20,"total":0,"worklogs":[]}' },
  { name: 'timetracking', nav: false, render: () => '{}' },
  { name: 'attachment', nav: false, render: () => '[]' },
  { name: 'thumbnail', nav: false, render: NULL },
];

function progress(x: Ctx): string {
  const s = timeSpent(x) ?? 0;
  const e = estimate(x) ?? 0;
  const total = s + e;
  return total > 0 ? `{"progress":${s},"total":${total},"percent":${Math.floor((s * 100) / total)}}` : '{"progress":0,"total":0}';
}

// ---------------------------------------------------------------- field selection

export interface FieldSelection {
  /** Identifies what is rendered: the same for every spelling of the same selection. */
  key: string;
  defs: FieldDef[];
  /** only id and/or key were asked for (Cloud: page cap 5000) */
  idOnly: boolean;
  wantsKey: boolean;
}

const selectionCache = new Map<string, FieldSelection>();

/** Resolves a `fields` parameter (comma string or array; `*all`, `*navigable`, names, `-name`). */
export function resolveFields(input: unknown, flavor: SimulatorFlavor): FieldSelection {
  let tokens: string[];
  const raw = Array.isArray(input) ? input.map((s) => String(s)) : typeof input === 'string' ? [input] : [];
  tokens = raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (tokens.length === 0) tokens = flavor === 'cloud' ? ['id'] : ['*navigable'];
  const ck = flavor + '|' + tokens.join(',');
  const hit = selectionCache.get(ck);
  if (hit) return hit;
  const defs = FIELD_DEFS.filter((d) => !d.only || d.only === flavor);
  const include = new Set<string>();
  const exclude = new Set<string>();
  let wantsKey = false;
  for (const t of tokens) {
    if (t.startsWith('-')) exclude.add(t.slice(1));
    else if (t === '*all') for (const d of defs) include.add(d.name);
    else if (t === '*navigable') {
      for (const d of defs) if (d.nav) include.add(d.name);
      wantsKey = true;
    } else if (t === 'key') wantsKey = true;
    else if (t === 'id') continue;
    else include.add(t);
  }
  if (include.size > 0) wantsKey = true;
  const selected = defs.filter((d) => include.has(d.name) && !exclude.has(d.name));
  const key = (wantsKey ? 'key,' : '') + selected.map((d) => d.name).join(',');
  const sel: FieldSelection = { key, defs: selected, idOnly: selected.length === 0, wantsKey };
  if (selectionCache.size > 500) selectionCache.clear();
  selectionCache.set(ck, sel);
  return sel;
}

// ---------------------------------------------------------------- renderer

const CLOUD_EXPAND = 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations';
const DC_EXPAND = 'operations,versionedRepresentations,editmeta,changelog,renderedFields';

export class Renderer {
  readonly store: Store;
  readonly base: string;
  readonly flavor: SimulatorFlavor;
  readonly siteTz: string;
  private readonly frag = new Map<string, string>();

  constructor(store: Store, base: string, flavor: SimulatorFlavor, siteTz: string) {
    this.store = store;
    this.base = base;
    this.flavor = flavor;
    this.siteTz = siteTz;
  }

  ts(ms: number): string {
    return formatJiraTimestamp(ms, this.siteTz);
  }

  private cached(k: string, make: () => string): string {
    let s = this.frag.get(k);
    if (s === undefined) {
      s = make();
      this.frag.set(k, s);
    }
    return s;
  }

  projectKeyOf(idx: number): string {
    return this.store.projects[idx]?.key ?? '';
  }

  avatarUrls(kind: 'user' | 'project', id: string): string {
    if (kind === 'user') {
      const u =
        this.flavor === 'cloud'
          ? 'https://avatar-management--avatars.us-west-2.prod.public.atl-paas.net/initials/' + id + '.png?size='
          : this.base + '/secure/useravatar?ownerId=' + id + '&size=';
      return `{"48x48":${q(u + '48')},"24x24":${q(u + '24')},"16x16":${q(u + '16')},"32x32":${q(u + '32')}}`;
    }
    const b = this.base + '/secure/projectavatar?';
    return `{"48x48":${q(b + 'pid=' + id + '&avatarId=10419')},"24x24":${q(b + 'size=small&s=small&pid=' + id + '&avatarId=10419')},"16x16":${q(b + 'size=xsmall&s=xsmall&pid=' + id + '&avatarId=10419')},"32x32":${q(b + 'size=medium&s=medium&pid=' + id + '&avatarId=10419')}}`;
  }

  userObject(u: SimUser, api: ApiVersion): string {
    const initials = u.displayName
      .split(' ')
      .map((w) => w.charAt(0))
      .join('')
      .toUpperCase();
    if (this.flavor === 'cloud') {
      return (
        `{"self":${q(this.base + '/rest/api/' + api + '/user?accountId=' + u.accountId)},"accountId":${q(u.accountId)}` +
        (u.email ? `,"emailAddress":${q(u.email)}` : '') +
        `,"avatarUrls":${this.avatarUrls('user', initials + '-' + (u.idx % 7))},"displayName":${q(u.displayName)},"active":true,"timeZone":${q(u.timeZone)},"accountType":"atlassian"}`
      );
    }
    return (
      `{"self":${q(this.base + '/rest/api/2/user?username=' + u.name)},"name":${q(u.name)},"key":${q(u.key)}` +
      `,"emailAddress":${q(u.email ?? u.name + '@example.com')},"avatarUrls":${this.avatarUrls('user', u.key)},"displayName":${q(u.displayName)},"active":true,"timeZone":${q(u.timeZone)}}`
    );
  }

  user(idx: number, api: ApiVersion): string {
    return this.cached('u' + api + ':' + idx, () => this.userObject(this.store.users[idx] as SimUser, api));
  }

  issueType(i: number, api: ApiVersion): string {
    return this.cached('t' + api + ':' + i, () => {
      const t = ISSUE_TYPES[i] ?? ISSUE_TYPES[0]!;
      const icon =
        this.flavor === 'cloud'
          ? this.base + '/rest/api/2/universal_avatar/view/type/issuetype/avatar/' + t.avatarId + '?size=medium'
          : this.base + '/secure/viewavatar?size=xsmall&avatarId=' + t.avatarId + '&avatarType=issuetype';
      return `{"self":${q(this.base + '/rest/api/' + api + '/issuetype/' + t.id)},"id":"${t.id}","description":${q(t.description)},"iconUrl":${q(icon)},"name":${q(t.name)},"subtask":false,"avatarId":${t.avatarId}${this.flavor === 'cloud' ? ',"hierarchyLevel":' + (t.name === 'Epic' ? 1 : 0) : ''}}`;
    });
  }

  priority(i: number, api: ApiVersion): string {
    return this.cached('p' + api + ':' + i, () => {
      const name = PRIORITIES[i] ?? 'Medium';
      return `{"self":${q(this.base + '/rest/api/' + api + '/priority/' + (i + 1))},"iconUrl":${q(this.base + '/images/icons/priorities/' + name.toLowerCase() + '.svg')},"name":${q(name)},"id":"${i + 1}"}`;
    });
  }

  status(i: number, api: ApiVersion): string {
    return this.cached('s' + api + ':' + i, () => {
      const s = STATUSES[i] ?? STATUSES[0]!;
      const c = STATUS_CATEGORIES[s.cat];
      return `{"self":${q(this.base + '/rest/api/' + api + '/status/' + s.id)},"description":${q(s.description)},"iconUrl":${q(this.base + '/')},"name":${q(s.name)},"id":"${s.id}","statusCategory":{"self":${q(this.base + '/rest/api/' + api + '/statuscategory/' + c.id)},"id":${c.id},"key":"${s.cat}","colorName":"${c.colorName}","name":${q(c.name)}}}`;
    });
  }

  projectRef(idx: number, api: ApiVersion): string {
    return this.cached('P' + api + ':' + idx + ':' + (this.store.projects[idx]?.key ?? ''), () => {
      const p = this.store.projects[idx] as Project;
      return `{"self":${q(this.base + '/rest/api/' + api + '/project/' + p.id)},"id":"${p.id}","key":${q(p.key)},"name":${q(p.name)},"projectTypeKey":"software"${this.flavor === 'cloud' ? ',"simplified":false' : ''},"avatarUrls":${this.avatarUrls('project', String(p.id))}}`;
    });
  }

  /** Plain text → ADF (v3) or wiki markup (v2). */
  text(t: string | null, api: ApiVersion): string {
    if (t === null) return 'null';
    const paras = t.split(/\n\n+/);
    if (api === 3) {
      return (
        '{"type":"doc","version":1,"content":[' +
        paras.map((p) => `{"type":"paragraph","content":[{"type":"text","text":${q(p)}}]}`).join(',') +
        ']}'
      );
    }
    return q(paras.join('\r\n\r\n'));
  }

  comments(x: Ctx): string {
    const r = rf(x, 30);
    const n = r() < 0.6 ? 0 : 1 + Math.floor(r() * 2);
    const base = this.base + '/rest/api/' + x.api + '/issue/' + x.v.id + '/comment';
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      const author = this.user(Math.floor(r() * this.store.users.length), x.api);
      const at = this.ts(x.v.c + Math.floor(((x.v.u - x.v.c) * (i + 1)) / (n + 1)));
      const cid = 10000 + ((x.v.id * 3 + i) % 900000);
      items.push(
        `{"self":${q(base + '/' + cid)},"id":"${cid}","author":${author},"body":${this.text(i === 0 ? 'Looks related to the last release. Can you check the logs?' : 'Confirmed on staging — fix is in review.', x.api)},"updateAuthor":${author},"created":"${at}","updated":"${at}","jsdPublic":true}`,
      );
    }
    return `{"comments":[${items.join(',')}],"self":${q(base)},"maxResults":${n},"total":${n},"startAt":0}`;
  }

  changelog(v: IssueState, a: Attrs, api: ApiVersion): string {
    const total = v.v;
    const shown = Math.min(total, 40);
    const hs: string[] = [];
    for (let k = total - shown + 1; k <= total; k++) {
      const at = v.c + Math.floor(((v.u - v.c) * k) / Math.max(1, total));
      const fieldId = this.flavor === 'cloud' ? ',"fieldId":"summary"' : '';
      hs.push(
        `{"id":"${v.id * 100 + k}","author":${this.user(a.reporter, api)},"created":"${this.ts(at)}","items":[{"field":"summary","fieldtype":"jira"${fieldId},"from":null,"fromString":${q(k === 1 ? null : 'rev ' + (k - 1))},"to":null,"toString":${q('rev ' + k)}}]}`,
      );
    }
    return `{"startAt":0,"maxResults":${shown},"total":${total},"histories":[${hs.join(',')}]}`;
  }

  /** One issue as JSON text. */
  issue(v: IssueState, sel: FieldSelection, api: ApiVersion, withChangelog: boolean): string {
    const id = String(v.id);
    if (this.flavor === 'cloud' && sel.idOnly && !sel.wantsKey && !withChangelog) return `{"id":"${id}"}`;
    const a = this.store.attrs(v);
    const x: Ctx = { v, a, api, r: this };
    let f = '';
    for (const d of sel.defs) {
      f += (f ? ',"' : '"') + d.name + '":' + d.render(x);
    }
    return (
      `{"expand":"${this.flavor === 'cloud' ? CLOUD_EXPAND : DC_EXPAND}","id":"${id}","self":${q(this.base + '/rest/api/' + api + '/issue/' + id)},"key":${q(v.key)}` +
      (withChangelog ? ',"changelog":' + this.changelog(v, a, api) : '') +
      ',"fields":{' +
      f +
      '}}'
    );
  }

  /** Cloud adds these to every project it returns. */
  private withCloudProjectFields(o: Record<string, unknown>): Record<string, unknown> {
    return this.flavor === 'cloud' ? Object.assign(o, { simplified: false, style: 'classic', isPrivate: false, properties: {} }) : o;
  }

  /** Project as listed (project/search values, DC /project array). */
  projectListed(p: Project, api: ApiVersion): Record<string, unknown> {
    const o: Record<string, unknown> = {
      expand: this.flavor === 'cloud' ? CLOUD_PROJECT_EXPAND : DC_PROJECT_EXPAND,
      self: `${this.base}/rest/api/${api}/project/${p.id}`,
      id: String(p.id),
      key: p.key,
      name: p.name,
      avatarUrls: JSON.parse(this.avatarUrls('project', String(p.id))) as unknown,
      projectTypeKey: 'software',
    };
    return this.withCloudProjectFields(o);
  }

  /** Project detail (GET project/{key}). */
  projectDetail(p: Project, api: ApiVersion): Record<string, unknown> {
    const lead = JSON.parse(this.user(p.lead, api)) as unknown;
    const o: Record<string, unknown> = {
      expand: this.flavor === 'cloud' ? CLOUD_PROJECT_EXPAND : DC_PROJECT_EXPAND,
      self: `${this.base}/rest/api/${api}/project/${p.id}`,
      id: String(p.id),
      key: p.key,
      description: `${p.name} (simulated).`,
      lead,
      components: COMPONENTS.map((c, i) => ({
        self: `${this.base}/rest/api/${api}/component/${10000 + i}`,
        id: String(10000 + i),
        name: c,
        isAssigneeTypeValid: false,
      })),
      issueTypes: ISSUE_TYPES.map((_, i) => JSON.parse(this.issueType(i, api)) as unknown),
      assigneeType: 'UNASSIGNED',
      versions: [],
      name: p.name,
      roles: {
        Administrators: `${this.base}/rest/api/${api}/project/${p.id}/role/10002`,
        Developers: `${this.base}/rest/api/${api}/project/${p.id}/role/10001`,
      },
      avatarUrls: JSON.parse(this.avatarUrls('project', String(p.id))) as unknown,
      projectTypeKey: 'software',
    };
    return this.withCloudProjectFields(o);
  }
}

// for tests of the per-field derivation
export const FIELD_NAMES = FIELD_DEFS.map((d) => d.name);

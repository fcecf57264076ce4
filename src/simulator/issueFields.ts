/**
 * The fields of an issue, in the order Jira returns them: for each, whether *navigable includes it,
 * the flavour that has it, and how its JSON is derived from the issue.
 */
import { COMPONENTS, STATUSES } from './catalog.ts';
import type { Attrs, IssueState } from './model.ts';
import { mix, mulberry32 } from './prng.ts';
import type { ApiVersion, Renderer } from './render.ts';
import { formatLocalDate } from './time.ts';
import type { SimulatorFlavor } from './types.ts';

export interface Ctx {
  v: IssueState;
  a: Attrs;
  api: ApiVersion;
  r: Renderer;
}

export interface FieldDef {
  name: string;
  nav: boolean;
  only?: SimulatorFlavor;
  render(x: Ctx): string;
}

const q = JSON.stringify;
const NULL = (): string => 'null';

/** A per-field PRNG so values do not depend on which fields were selected. */
export function rf(x: Ctx, salt: number): () => number {
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

export const FIELD_DEFS: FieldDef[] = [
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

// for tests of the per-field derivation
export const FIELD_NAMES = FIELD_DEFS.map((d) => d.name);

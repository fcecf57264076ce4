/**
 * Renders issues, users and projects as JSON text in the shape of real Jira responses (Cloud v3 with
 * ADF descriptions, v2 with wiki-markup strings). Strings are built by concatenation of cached
 * fragments so a full-field issue (~5 KB) renders in microseconds.
 */
import { COMPONENTS, ISSUE_TYPES, PRIORITIES, STATUSES, STATUS_CATEGORIES } from './catalog.ts';
import type { FieldSelection } from './fieldSelection.ts';
import { rf, type Ctx } from './issueFields.ts';
import type { Attrs, IssueState, Project } from './model.ts';
import type { Store } from './store.ts';
import { formatJiraTimestamp } from './time.ts';
import type { SimulatorFlavor } from './types.ts';
import type { SimUser } from './users.ts';

const CLOUD_PROJECT_EXPAND = 'description,lead,issueTypes,url,projectKeys,permissions,insight';
const DC_PROJECT_EXPAND = 'description,lead,url,projectKeys';

export type ApiVersion = 2 | 3;

const q = JSON.stringify;
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

/**
 * The REST resources besides search, shaped per flavour: serverInfo, myself, the projects (Cloud's paged
 * project search, the plain list, one project) and one issue.
 */
import { resolveFields } from './fieldSelection.ts';
import { intParam, jiraError, json, type Reply } from './reply.ts';
import type { ReqCtx } from './routes.ts';
import type { SimServer } from './server.ts';
import type { Project } from './model.ts';
import { formatJiraTimestamp } from './time.ts';

const DAY = 86_400_000;

export function serverInfo(sim: SimServer): Reply {
  const cloud = sim.flavor === 'cloud';
  const [major = 0, minor = 0, patch = 0] = sim.serverVersion.numbers;
  const o: Record<string, unknown> = {
    baseUrl: sim.siteUrl,
    version: sim.serverVersion.version,
    versionNumbers: sim.serverVersion.numbers,
    deploymentType: cloud ? 'Cloud' : 'DataCenter',
    // Data Center's build number spells the version out (9.12.15 → 9120015); Cloud's is its own.
    buildNumber: cloud ? 100290 : major * 1_000_000 + minor * 10_000 + patch,
    buildDate: formatJiraTimestamp(sim.anchor - 3 * DAY, sim.siteTz),
  };
  if (!cloud) o.databaseBuildNumber = o.buildNumber;
  o.serverTime = formatJiraTimestamp(sim.now(), sim.siteTz);
  o.scmInfo = '5330f7d9b6410d68235d4366868d44403ee65a1a';
  o.serverTitle = cloud ? 'Jira' : 'Jira Data Center (simulated)';
  o.defaultLocale = { locale: 'en_US' };
  if (cloud) o.serverTimeZone = sim.siteTz;
  return json(o);
}

export function myself(sim: SimServer, c: ReqCtx): Reply {
  const u = sim.me;
  const avatar = JSON.parse(sim.renderer.avatarUrls('user', sim.flavor === 'cloud' ? 'DU-0' : u.key)) as unknown;
  if (sim.flavor === 'cloud') {
    return json({
      self: `${sim.siteUrl}/rest/api/${c.api}/user?accountId=${u.accountId}`,
      accountId: u.accountId,
      accountType: 'atlassian',
      emailAddress: u.email,
      avatarUrls: avatar,
      displayName: u.displayName,
      active: true,
      timeZone: sim.userTz,
      locale: 'en_US',
      groups: { size: 2, items: [] },
      applicationRoles: { size: 1, items: [] },
      expand: 'groups,applicationRoles',
    });
  }
  return json({
    self: `${sim.siteUrl}/rest/api/2/user?username=${u.name}`,
    key: u.key,
    name: u.name,
    emailAddress: u.email,
    avatarUrls: avatar,
    displayName: u.displayName,
    active: true,
    deleted: false,
    timeZone: sim.userTz,
    locale: 'en_US',
    groups: { size: 2, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: 'groups,applicationRoles',
  });
}

function listedProjects(sim: SimServer): Project[] {
  return sim.store.projects.filter((p) => sim.store.isListed(p)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function projectSearch(sim: SimServer, c: ReqCtx): Reply {
  const startAt = Math.max(0, intParam(c.query.get('startAt'), 'startAt', 0));
  const maxResults = Math.min(100, Math.max(1, intParam(c.query.get('maxResults'), 'maxResults', 50)));
  let list = listedProjects(sim);
  const qtext = c.query.get('query');
  if (qtext) {
    const lq = qtext.toLowerCase();
    list = list.filter((p) => p.key.toLowerCase().includes(lq) || p.name.toLowerCase().includes(lq));
  }
  const keys = c.query
    .getAll('keys')
    .flatMap((k) => k.split(','))
    .map((k) => k.trim().toUpperCase())
    .filter(Boolean);
  if (keys.length) list = list.filter((p) => keys.includes(p.key));
  const page = list.slice(startAt, startAt + maxResults);
  const isLast = startAt + page.length >= list.length;
  const base = `${sim.siteUrl}/rest/api/${c.api}/project/search`;
  const o: Record<string, unknown> = { self: `${base}?startAt=${startAt}&maxResults=${maxResults}` };
  if (!isLast) o.nextPage = `${base}?startAt=${startAt + maxResults}&maxResults=${maxResults}`;
  o.maxResults = maxResults;
  o.startAt = startAt;
  o.total = list.length;
  o.isLast = isLast;
  o.values = page.map((p) => sim.renderer.projectListed(p, c.api));
  return json(o);
}

export function projectList(sim: SimServer, c: ReqCtx): Reply {
  return json(listedProjects(sim).map((p) => sim.renderer.projectListed(p, c.api)));
}

export function projectGet(sim: SimServer, c: ReqCtx): Reply {
  const v = c.params[0] ?? '';
  const p = sim.store.findListedProject(v);
  if (!p || (p.name.toLowerCase() === v.toLowerCase() && p.key !== v.toUpperCase())) {
    return jiraError(404, `No project could be found with key '${v}'.`);
  }
  if (p.permission === 'none') return { status: 403, body: '' };
  return json(sim.renderer.projectDetail(p, c.api));
}

export function getIssue(sim: SimServer, c: ReqCtx): Reply {
  const v = (c.params[0] ?? '').toUpperCase();
  const issue = /^\d+$/.test(v)
    ? sim.store.byId.get(Number(v))
    : (() => {
        try {
          return sim.store.issue(v);
        } catch {
          return undefined;
        }
      })();
  const p = issue ? sim.store.projects[issue.p] : undefined;
  if (!issue || issue.del || !p || !sim.store.isBrowsable(p)) {
    return jiraError(404, 'Issue does not exist or you do not have permission to see it.');
  }
  const fieldsParam = c.query.getAll('fields');
  const sel = resolveFields(fieldsParam.length ? fieldsParam : ['*all'], sim.flavor);
  const expand = (c.query.get('expand') ?? '').split(',').map((s) => s.trim());
  return {
    status: 200,
    body: sim.renderer.issue(issue, sel.idOnly ? resolveFields(['key'], sim.flavor) : sel, c.api, expand.includes('changelog')),
  };
}

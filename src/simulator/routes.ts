/**
 * The REST routes each flavour answers — Cloud under /rest/api/2 and /3, Data Center under /2 and
 * /latest — and which one a request's method and path call.
 */
import type { ApiVersion } from './render.ts';
import { jiraError, type Reply } from './reply.ts';
import { getIssue, myself, projectGet, projectList, projectSearch, serverInfo } from './resources.ts';
import { approximateCount, searchDc, searchJql } from './search.ts';
import type { SimServer } from './server.ts';

export interface ReqCtx {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  params: string[];
  api: ApiVersion;
  /** A `drop-issue` fault: leave the middle issue out of this search page. */
  dropIssue: boolean;
  /** Whether an issue was left out (a count or an empty page has none to lose). */
  dropped: boolean;
}

export interface Route {
  methods: string[];
  re: RegExp;
  name: (api: string) => string;
  auth: boolean;
  handler: (c: ReqCtx) => Reply;
}

const REMOVED_SEARCH =
  'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046';

export function buildRoutes(sim: SimServer): Route[] {
  const cloud = sim.flavor === 'cloud';
  const V = cloud ? '(?:2|3)' : '(?:2|latest)';
  const r = (methods: string[], pattern: string, name: string, auth: boolean, handler: (c: ReqCtx) => Reply): Route => ({
    methods,
    re: new RegExp('^/rest/api/' + V + pattern + '/?$'),
    name: (api) => `/rest/api/${api}${name}`,
    auth,
    handler,
  });
  const routes: Route[] = [
    r(['GET'], '/serverInfo', '/serverInfo', false, () => serverInfo(sim)),
    r(['GET'], '/myself', '/myself', true, (c) => myself(sim, c)),
    r(['GET'], '/issue/([^/]+)', '/issue/{issueIdOrKey}', true, (c) => getIssue(sim, c)),
  ];
  if (cloud) {
    routes.push(
      r(['GET'], '/project/search', '/project/search', true, (c) => projectSearch(sim, c)),
      r(['GET'], '/project', '/project', true, (c) => projectList(sim, c)),
      r(['GET'], '/project/([^/]+)', '/project/{projectIdOrKey}', true, (c) => projectGet(sim, c)),
      r(['GET', 'POST'], '/search/jql', '/search/jql', true, (c) => searchJql(sim, c)),
      r(['POST'], '/search/approximate-count', '/search/approximate-count', true, (c) => approximateCount(sim, c)),
      r(['GET', 'POST'], '/search', '/search', true, () => jiraError(410, REMOVED_SEARCH)),
    );
  } else {
    routes.push(
      r(['GET'], '/project', '/project', true, (c) => projectList(sim, c)),
      r(['GET'], '/project/([^/]+)', '/project/{projectIdOrKey}', true, (c) => projectGet(sim, c)),
      r(['GET', 'POST'], '/search', '/search', true, (c) => searchDc(sim, c)),
    );
  }
  return routes;
}

/** The route a request calls; 'method' when a route has the path but not the method. */
export function matchRoute(routes: Route[], method: string, path: string): { route: Route; params: string[] } | 'method' | null {
  let methodMismatch = false;
  for (const r of routes) {
    const m = r.re.exec(path);
    if (!m) continue;
    if (!r.methods.includes(method)) {
      methodMismatch = true;
      continue;
    }
    return { route: r, params: m.slice(1).map((x) => decodeURIComponent(x ?? '')) };
  }
  return methodMismatch ? 'method' : null;
}

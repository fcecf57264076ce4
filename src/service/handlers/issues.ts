/** The mirrored issues: the CLI's plain list, the issue browser's search and filters, one issue's detail. */
import type { IssueDetail } from '../../shared/issues.ts';
import { descriptionText } from '../../engine/normalize.ts';
import { listIssues } from '../../store/issues.ts';
import { getStoredIssue } from '../../store/issueSearch.ts';
import { notFound } from '../apiErrors.ts';
import type { Handlers } from '../backend.ts';
import { instanceNamed, type BackendContext } from '../context.ts';

export function issueHandlers(ctx: BackendContext) {
  const { store } = ctx;
  return {
    listIssues: async (query) => {
      const instance = query.instance ? instanceNamed(ctx, query.instance) : null;
      return listIssues(store, {
        ...(instance ? { instanceId: instance.id } : {}),
        ...(query.project ? { project: query.project } : {}),
        limit: query.limit,
        offset: query.offset,
      });
    },
    searchIssues: (search) => ctx.reads.read('searchIssues', search),
    getIssueFacets: (scope) => ctx.reads.read('getIssueFacets', scope),
    getIssue: async ({ instance, id }): Promise<IssueDetail> => {
      const stored = getStoredIssue(store, instance, id) ?? notFound(`no mirrored issue ${id} in instance "${instance}"`);
      const { instanceUrl, isDemo, rawJson, labels, ...row } = stored;
      const fields = (JSON.parse(rawJson) as { fields?: { description?: unknown } }).fields ?? {};
      return {
        ...row,
        labels: JSON.parse(labels) as string[],
        description: descriptionText(fields.description),
        url: isDemo ? null : `${instanceUrl}/browse/${encodeURIComponent(row.key)}`,
      };
    },
  } satisfies Partial<Handlers>;
}

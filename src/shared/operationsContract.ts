/** Input schemas of the operations calls (retention, metrics, webhooks, exports, reports, audit); declared in `contract.ts`. */
import { z } from 'zod';
import { ISSUE_SORT_KEYS } from './issues.ts';
import { RUN_STATUSES } from './model.ts';
import { CONFIG_TYPES, WEBHOOK_EVENTS } from './operations.ts';
import { httpUrlSchema } from './urlSchema.ts';

const isoInstant = z.iso.datetime({ offset: true, message: 'expected an ISO-8601 date-time, e.g. 2026-01-31T00:00:00Z' });
const MAX_PERIOD_DAYS = 3660;

/** A period of whole days for trends and reports: `from` before `to`, at most ten years. */
export const periodSchema = z.strictObject({ from: isoInstant, to: isoInstant }).superRefine((period, ctx) => {
  const span = Date.parse(period.to) - Date.parse(period.from);
  if (span <= 0) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
  else if (span > MAX_PERIOD_DAYS * 86_400_000)
    ctx.addIssue({ code: 'custom', path: ['from'], message: `a period covers at most ${MAX_PERIOD_DAYS} days` });
});

export const webhookUrlSchema = httpUrlSchema(
  'url',
  'https://hooks.example.com/jira-mirror',
  ': deliveries are signed with the secret instead',
);

export const addWebhookSchema = z.strictObject({
  url: webhookUrlSchema,
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1, 'events must name at least one event').max(WEBHOOK_EVENTS.length),
  /** Shared with the receiver, which checks each delivery's signature with it; kept in the secret store. */
  secret: z.string().min(16, 'secret must be at least 16 characters').max(256, 'secret must be at most 256 characters'),
});

export const webhookIdSchema = z.strictObject({ id: z.uuid('webhook id must be a UUID') });

export const deliveryQuerySchema = z.strictObject({
  webhookId: z.uuid('webhook id must be a UUID').optional(),
  limit: z.number().int().min(1).max(200).default(20),
  offset: z.number().int().min(0).default(0),
});

export const exportCsvSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('history'),
    status: z.enum(RUN_STATUSES).optional(),
    from: isoInstant.optional(),
    to: isoInstant.optional(),
  }),
  z.strictObject({ kind: z.literal('run-projects'), runId: z.uuid('run id must be a UUID') }),
  z.strictObject({
    kind: z.literal('issues'),
    instance: z.string().min(1).max(64).optional(),
    project: z.string().min(1).max(64).optional(),
    // The Issues view's search (as `searchIssues` takes it): with any of these, the CSV holds exactly what the view lists.
    text: z.string().max(200, 'search text must be at most 200 characters').optional(),
    status: z.string().trim().max(200).optional(),
    issueType: z.string().trim().max(200).optional(),
    assignee: z.string().max(200).optional(),
    updatedFrom: isoInstant.optional(),
    updatedTo: isoInstant.optional(),
    sort: z.enum(ISSUE_SORT_KEYS).optional(),
    order: z.enum(['asc', 'desc']).optional(),
  }),
]);

export const configHistorySchema = z.strictObject({
  type: z.enum(CONFIG_TYPES).optional(),
  limit: z.number().int().min(1).max(200).default(20),
  offset: z.number().int().min(0).default(0),
});

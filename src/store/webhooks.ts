/**
 * Repository of webhook subscriptions and their outbox: one delivery row per event and webhook
 * (unique, so a run's event is queued once whoever sees it finish), every attempt logged with its
 * status code. Secrets are not here: the secret store keeps each webhook's signing secret.
 */
import type { DeliveryEvent, DeliveryState, WebhookDelivery, WebhookDeliveryPage, WebhookEvent } from '../shared/operations.ts';
import type { Store } from './db.ts';

export interface WebhookRecord {
  id: string;
  url: string;
  events: WebhookEvent[];
  createdAt: string;
  createdBy: string;
}

type WebhookRow = Omit<WebhookRecord, 'events'> & { events: string };
const toRecord = (row: WebhookRow): WebhookRecord => ({ ...row, events: JSON.parse(row.events) as WebhookEvent[] });

export function insertWebhook(store: Store, hook: WebhookRecord): void {
  store
    .statement(`INSERT INTO webhooks (id, url, events, created_at, created_by) VALUES (@id, @url, @events, @createdAt, @createdBy)`)
    .run({ ...hook, events: JSON.stringify(hook.events) });
}

export function listWebhookRecords(store: Store): WebhookRecord[] {
  return (
    store
      .statement(`SELECT id, url, events, created_at AS createdAt, created_by AS createdBy FROM webhooks ORDER BY created_at, id`)
      .all() as WebhookRow[]
  ).map(toRecord);
}

export function getWebhookRecord(store: Store, id: string): WebhookRecord | null {
  const row = store
    .statement(`SELECT id, url, events, created_at AS createdAt, created_by AS createdBy FROM webhooks WHERE id = ?`)
    .get(id) as WebhookRow | undefined;
  return row ? toRecord(row) : null;
}

/** Removes the webhook with its delivery log. */
export function deleteWebhook(store: Store, id: string): boolean {
  return store.statement(`DELETE FROM webhooks WHERE id = ?`).run(id).changes > 0;
}

export interface NewDelivery {
  id: string;
  webhookId: string;
  event: DeliveryEvent;
  runId: string | null;
  payload: string;
  createdAt: string;
}

/** Queues a delivery, due now; false when this event of this run is already queued for the webhook. */
export function enqueueDelivery(store: Store, delivery: NewDelivery): boolean {
  return (
    store
      .statement(
        `INSERT INTO webhook_deliveries (id, webhook_id, event, sync_id, payload, state, attempts, next_attempt_at, created_at)
         VALUES (@id, @webhookId, @event, @runId, @payload, 'pending', 0, @createdAt, @createdAt)
         ON CONFLICT (webhook_id, event, sync_id) DO NOTHING`,
      )
      .run(delivery).changes > 0
  );
}

export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  url: string;
  event: DeliveryEvent;
  payload: string;
  attempts: number;
}

/** Takes the due deliveries for this process until `leaseUntil` (another process skips them meanwhile). */
export function claimDueDeliveries(store: Store, now: string, leaseUntil: string, only: string | null = null): ClaimedDelivery[] {
  return store.sqlite.transaction(() => {
    const claimed = store
      .statement(
        `UPDATE webhook_deliveries SET claimed_until = @leaseUntil
         WHERE id IN (SELECT id FROM webhook_deliveries
                      WHERE state = 'pending' AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)
                        AND (@only IS NULL OR id = @only)
                      ORDER BY next_attempt_at LIMIT 20)
         RETURNING id`,
      )
      .all({ now, leaseUntil, only }) as Array<{ id: string }>;
    if (claimed.length === 0) return [];
    return store
      .statement(
        `SELECT d.id, d.webhook_id AS webhookId, w.url, d.event, d.payload, d.attempts
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.next_attempt_at`,
      )
      .all(JSON.stringify(claimed.map((c) => c.id))) as ClaimedDelivery[];
  })();
}

/** The earliest time a pending delivery falls due and is not held by a process, if any. */
export function nextDueAt(store: Store): string | null {
  const row = store
    .statement(
      `SELECT MIN(CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END) AS at
       FROM webhook_deliveries WHERE state = 'pending'`,
    )
    .get() as {
    at: string | null;
  };
  return row.at;
}

export interface AttemptOutcome {
  attemptedAt: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The delivery's state after this attempt, and when to try again if still pending. */
  state: DeliveryState;
  nextAttemptAt: string | null;
}

export function recordAttempt(store: Store, deliveryId: string, outcome: AttemptOutcome): void {
  store.sqlite.transaction(() => {
    const { attempts } = store
      .statement(`UPDATE webhook_deliveries SET attempts = attempts + 1 WHERE id = ? RETURNING attempts`)
      .get(deliveryId) as { attempts: number };
    store
      .statement(
        `INSERT INTO webhook_attempts (delivery_id, attempt, attempted_at, status_code, error, duration_ms)
         VALUES (@deliveryId, @attempt, @attemptedAt, @statusCode, @error, @durationMs)`,
      )
      .run({ deliveryId, attempt: attempts, ...outcome });
    store
      .statement(
        `UPDATE webhook_deliveries SET state = @state, next_attempt_at = @nextAttemptAt, claimed_until = NULL,
           last_status_code = @statusCode, last_error = @error,
           completed_at = CASE WHEN @state = 'pending' THEN NULL ELSE @attemptedAt END
         WHERE id = @deliveryId`,
      )
      .run({ deliveryId, ...outcome });
  })();
}

/** Gives a claimed delivery back without an attempt (this process cannot send it), due again at `nextAttemptAt`. */
export function releaseDelivery(store: Store, deliveryId: string, nextAttemptAt: string, reason: string): void {
  store
    .statement(`UPDATE webhook_deliveries SET claimed_until = NULL, next_attempt_at = ?, last_error = ? WHERE id = ?`)
    .run(nextAttemptAt, reason, deliveryId);
}

const DELIVERY_COLUMNS = `id, webhook_id AS webhookId, event, sync_id AS runId, state, attempts, created_at AS createdAt,
  completed_at AS completedAt, next_attempt_at AS nextAttemptAt, last_status_code AS lastStatusCode, last_error AS lastError`;

export function getDelivery(store: Store, id: string): WebhookDelivery | null {
  const row = store.statement(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = ?`).get(id) as WebhookDelivery | undefined;
  return row ? { ...row, nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt : null } : null;
}

/** The delivery log, newest first (of one webhook, or all); `total` counts every matching delivery. */
export function listDeliveries(store: Store, query: { webhookId?: string; limit: number; offset: number }): WebhookDeliveryPage {
  const where = query.webhookId ? `WHERE webhook_id = @webhookId` : '';
  const params = { webhookId: query.webhookId ?? null, limit: query.limit, offset: query.offset };
  const rows = (
    store
      .statement(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries ${where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`,
      )
      .all(params) as WebhookDelivery[]
  ).map((row) => ({ ...row, nextAttemptAt: row.state === 'pending' ? row.nextAttemptAt : null }));
  const { n } = store.statement(`SELECT COUNT(*) AS n FROM webhook_deliveries ${where}`).get(params) as { n: number };
  return { rows, total: n };
}

/** Every attempt of a delivery, in order: when, the status code (null without a response), the error. */
export function listAttempts(
  store: Store,
  deliveryId: string,
): Array<{ attempt: number; attemptedAt: string; statusCode: number | null; error: string | null; durationMs: number }> {
  return store
    .statement(
      `SELECT attempt, attempted_at AS attemptedAt, status_code AS statusCode, error, duration_ms AS durationMs
       FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt`,
    )
    .all(deliveryId) as never;
}

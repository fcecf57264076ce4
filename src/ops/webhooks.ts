/**
 * Webhook deliveries: events are queued in the database (the outbox), then POSTed as JSON signed
 * with HMAC-SHA256 of the exact body under the webhook's own secret:
 *
 *   X-Jira-Mirror-Signature-256: sha256=<hex>     X-Jira-Mirror-Event: run.failed
 *   X-Jira-Mirror-Delivery: <delivery id>
 *
 * A 2xx answer delivers; a network error, a timeout, 408, 429 or a 5xx is retried with exponential
 * backoff (1 s, 2 s, 4 s, … at most 10 min; never sooner than a Retry-After) up to `maxAttempts`;
 * any other answer fails the delivery at once (redirects are not followed). Every attempt is logged
 * with its status code. Pending deliveries survive a restart: any host (the app, a CLI cron job)
 * resumes them when it starts, and a lease keeps two processes from sending the same one.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Run } from '../shared/model.ts';
import type { DeliveryEvent, WebhookDelivery, WebhookEvent } from '../shared/operations.ts';
import { runJson } from '../shared/runJson.ts';
import { redact } from '../engine/errors.ts';
import type { Clock, ClockTimer } from '../service/clock.ts';
import type { SecretStore } from '../service/secrets.ts';
import type { Store } from '../store/db.ts';
import {
  claimDueDeliveries,
  enqueueDelivery,
  getDelivery,
  listWebhookRecords,
  nextDueAt,
  recordAttempt,
  releaseDelivery,
  type ClaimedDelivery,
} from '../store/webhooks.ts';

export const SIGNATURE_HEADER = 'x-jira-mirror-signature-256';
export const EVENT_HEADER = 'x-jira-mirror-event';
export const DELIVERY_HEADER = 'x-jira-mirror-delivery';

/** The secret store's key of a webhook's signing secret (instance tokens are keyed by instance id). */
export const webhookSecretKey = (webhookId: string) => `webhook:${webhookId}`;

export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** The events a finished run raises. */
export function runEvents(run: Run): WebhookEvent[] {
  if (run.status === 'running') return [];
  return run.status === 'failed' || run.status === 'partial' ? ['run.finished', 'run.failed'] : ['run.finished'];
}

export interface DispatcherOptions {
  store: Store;
  secrets: SecretStore;
  clock: Clock;
  /** Attempts before a delivery fails for good (the Test button's delivery has one). */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** Called when a delivery's state changes (for the UI's delivery log). */
  onDelivery?: (delivery: WebhookDelivery) => void;
}

const LEASE_MS = 60_000;
const SECRET_WAIT_MS = 5 * 60_000;

export class WebhookDispatcher {
  readonly #o: Required<Omit<DispatcherOptions, 'onDelivery'>> & Pick<DispatcherOptions, 'onDelivery'>;
  #timer: ClockTimer | null = null;
  #timerDue = Number.POSITIVE_INFINITY;
  readonly #inFlight = new Set<Promise<void>>();
  #closed = false;

  constructor(options: DispatcherOptions) {
    this.#o = { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 600_000, timeoutMs: 10_000, ...options };
  }

  /** Queues the run's events for every webhook subscribed to them, and sends what is due. */
  runFinished(run: Run): number {
    const events = runEvents(run);
    let queued = 0;
    for (const hook of listWebhookRecords(this.#o.store)) {
      for (const event of events.filter((e) => hook.events.includes(e))) {
        if (this.#queue(hook.id, event, run.id, { run: runJson(run) })) queued += 1;
      }
    }
    this.kick();
    return queued;
  }

  /** Queues an anomaly's state change (the analytics raise it) for the webhooks subscribed. */
  anomaly(event: 'anomaly.opened' | 'anomaly.resolved', anomaly: object): number {
    let queued = 0;
    for (const hook of listWebhookRecords(this.#o.store).filter((h) => h.events.includes(event))) {
      if (this.#queue(hook.id, event, null, { anomaly })) queued += 1;
    }
    this.kick();
    return queued;
  }

  /** The Test button: one delivery of a `webhook.test` event, sent now, answered with its outcome. */
  async test(webhookId: string): Promise<WebhookDelivery> {
    const id = this.#queue(webhookId, 'webhook.test', null, { message: 'A test delivery from Jira Mirror.' })!;
    const [claimed] = claimDueDeliveries(this.#o.store, this.#now(), this.#iso(this.#o.clock.now() + LEASE_MS), id);
    if (claimed) await this.#send(claimed, 1);
    return getDelivery(this.#o.store, id)!;
  }

  /** Sends every due delivery and arms a timer for the next one. */
  kick(): void {
    if (this.#closed) return;
    const due = claimDueDeliveries(this.#o.store, this.#now(), this.#iso(this.#o.clock.now() + LEASE_MS));
    for (const delivery of due) {
      const sending = this.#send(delivery, this.#o.maxAttempts).finally(() => this.#inFlight.delete(sending));
      this.#inFlight.add(sending);
    }
    this.#arm();
  }

  /** Waits for the attempts in flight (each bounded by the timeout); pending retries stay queued for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) this.#o.clock.clearTimeout(this.#timer);
    await Promise.all([...this.#inFlight]);
  }

  /** Waits until nothing is in flight (tests and the CLI, after a sync). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #queue(webhookId: string, event: DeliveryEvent, runId: string | null, data: object): string | null {
    const id = randomUUID();
    const occurredAt = this.#now();
    const payload = JSON.stringify({ event, deliveryId: id, occurredAt, ...data });
    const queued = enqueueDelivery(this.#o.store, { id, webhookId, event, runId, payload, createdAt: occurredAt });
    return queued ? id : null;
  }

  async #send(delivery: ClaimedDelivery, maxAttempts: number): Promise<void> {
    let secret: string | null;
    try {
      secret = this.#o.secrets.get(webhookSecretKey(delivery.webhookId));
    } catch {
      secret = null;
    }
    if (!secret) {
      // Stored encrypted by another host (the desktop app's keychain): leave it for a process that can sign it.
      releaseDelivery(
        this.#o.store,
        delivery.id,
        this.#iso(this.#o.clock.now() + SECRET_WAIT_MS),
        'waiting for a process that can read the signing secret (stored by the desktop app)',
      );
      return;
    }
    const attempt = delivery.attempts + 1;
    const started = this.#o.clock.now();
    const result = await this.#post(delivery, secret);
    const durationMs = Math.max(0, Math.round(this.#o.clock.now() - started));
    const delivered = result.status !== null && result.status >= 200 && result.status < 300;
    const retryable = !delivered && (result.status === null || result.status === 408 || result.status === 429 || result.status >= 500);
    const again = retryable && attempt < maxAttempts;
    const delayMs = Math.max(
      Math.min(this.#o.baseDelayMs * 2 ** (attempt - 1), this.#o.maxDelayMs),
      Math.min(result.retryAfterMs ?? 0, this.#o.maxDelayMs),
    );
    recordAttempt(this.#o.store, delivery.id, {
      attemptedAt: this.#iso(started),
      statusCode: result.status,
      error: delivered ? null : result.error,
      durationMs,
      state: delivered ? 'delivered' : again ? 'pending' : 'failed',
      nextAttemptAt: again ? this.#iso(this.#o.clock.now() + delayMs) : null,
    });
    this.#o.onDelivery?.(getDelivery(this.#o.store, delivery.id)!);
    if (again) this.#arm();
  }

  async #post(
    delivery: ClaimedDelivery,
    secret: string,
  ): Promise<{ status: number | null; error: string | null; retryAfterMs: number | null }> {
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#o.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'jira-mirror-webhooks/1',
          [EVENT_HEADER]: delivery.event,
          [DELIVERY_HEADER]: delivery.id,
          [SIGNATURE_HEADER]: signature(secret, delivery.payload),
        },
        body: delivery.payload,
      });
      await response.body?.cancel();
      const retryAfter = Number(response.headers.get('retry-after'));
      const ok = response.status >= 200 && response.status < 300;
      return {
        status: response.status,
        error: ok
          ? null
          : `answered ${response.status}${response.status >= 300 && response.status < 400 ? ' (redirects are not followed)' : ''}`,
        retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
      };
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.#o.timeoutMs / 1000} s`
          : (cause?.code ?? cause?.message ?? (error as Error).message);
      return { status: null, error: redact(`could not deliver: ${reason}`, [secret]), retryAfterMs: null };
    }
  }

  /** One timer, for the earliest pending delivery (re-armed when an earlier one is queued). */
  #arm(): void {
    if (this.#closed) return;
    const next = nextDueAt(this.#o.store);
    if (next === null) return;
    const due = Date.parse(next);
    if (this.#timer && due >= this.#timerDue) return;
    if (this.#timer) this.#o.clock.clearTimeout(this.#timer);
    this.#timerDue = due;
    this.#timer = this.#o.clock.setTimeout(
      () => {
        this.#timer = null;
        this.#timerDue = Number.POSITIVE_INFINITY;
        this.kick();
      },
      // Never sooner than the backoff base: a row another process holds comes due again only when its lease ends.
      Math.max(this.#o.baseDelayMs, due - this.#o.clock.now()),
    );
  }

  #now(): string {
    return this.#iso(this.#o.clock.now());
  }

  #iso(ms: number): string {
    return new Date(ms).toISOString();
  }
}

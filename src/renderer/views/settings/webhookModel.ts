/** The webhook form's pieces: event names for people, a generated secret. Pure (apart from the random bytes). */
import type { DeliveryEvent, WebhookDelivery } from '../../../shared/operations.ts';

export const EVENT_LABELS: Record<DeliveryEvent, string> = {
  'run.finished': 'Every run that ends',
  'run.failed': 'A run failed or partly failed',
  'anomaly.opened': 'An anomaly opened',
  'anomaly.resolved': 'An anomaly resolved',
  'webhook.test': 'Test',
};

/** A secret for a new webhook: 32 random bytes as hex (64 characters, well above the 16 the back end asks for). */
export function generateSecret(random: (bytes: Uint8Array<ArrayBuffer>) => void = (bytes) => crypto.getRandomValues(bytes)): string {
  const bytes = new Uint8Array(32);
  random(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** "Delivered (HTTP 200)", "Failed (HTTP 410) after 1 attempt", "Retrying: connection refused (2 attempts)". */
export function deliveryText(d: Pick<WebhookDelivery, 'state' | 'attempts' | 'lastStatusCode' | 'lastError'>): string {
  const status = d.lastStatusCode !== null ? `HTTP ${d.lastStatusCode}` : (d.lastError ?? 'no answer');
  const attempts = `${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`;
  switch (d.state) {
    case 'delivered':
      return `Delivered (${status})`;
    case 'failed':
      return `Failed (${status}) after ${attempts}`;
    default:
      return d.attempts === 0 ? 'Waiting to be sent' : `Retrying: ${status} (${attempts})`;
  }
}

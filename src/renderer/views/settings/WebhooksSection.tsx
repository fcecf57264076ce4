/** Settings → Webhooks: the subscriptions, adding one, Test with the delivery's result, removal after a confirmation, the delivery log. */
import { useState } from 'react';
import type { Webhook, WebhookDelivery } from '../../../shared/operations.ts';
import { useAction } from '../../api/useAction.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { Pagination } from '../../components/Pagination.tsx';
import { EmptyState, ErrorAlert, LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { intParam, type Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { WebhookForm } from './WebhookForm.tsx';
import { deliveryText, EVENT_LABELS } from './webhookModel.ts';

const DELIVERY_PAGE = 10;

export function WebhooksSection({ route }: { route: Route }) {
  const hooks = useCall('listWebhooks', {});
  const [added, setAdded] = useState<{ url: string; secret: string } | null>(null);
  const [removing, setRemoving] = useState<Webhook | null>(null);
  return (
    <div className="settings-grid">
      <div className="settings-fields">
        <section className="card card-padded" aria-labelledby="webhooks-title" data-testid="webhooks">
          <h2 id="webhooks-title">Webhooks</h2>
          {added && (
            <div className="alert alert-success" role="status" data-testid="webhook-added">
              Added {added.url}. Its secret, shown this once: <code className="mono">{added.secret}</code>
            </div>
          )}
          {hooks.error && <LoadError what="the webhooks" message={hooks.error} onRetry={hooks.reload} />}
          {!hooks.data ? (
            !hooks.error && <Spinner label="Loading the webhooks" />
          ) : hooks.data.length === 0 ? (
            <EmptyState title="No webhook yet">Add one to have each finished or failed sync POSTed, signed, to your service.</EmptyState>
          ) : (
            <ul className="webhook-list">
              {hooks.data.map((hook) => (
                <WebhookItem key={hook.id} hook={hook} onRemove={() => setRemoving(hook)} />
              ))}
            </ul>
          )}
        </section>
        <DeliveryLog route={route} hooks={hooks.data ?? []} />
      </div>
      <WebhookForm
        onAdded={(hook, secret) => {
          setAdded({ url: hook.url, secret });
          hooks.reload();
        }}
      />
      <Dialog open={removing !== null} title="Remove this webhook?" onClose={() => setRemoving(null)} testId="remove-webhook-dialog">
        {removing && (
          <RemoveWebhook
            hook={removing}
            onCancel={() => setRemoving(null)}
            onDone={() => {
              setRemoving(null);
              setAdded(null);
              hooks.reload();
            }}
          />
        )}
      </Dialog>
    </div>
  );
}

function WebhookItem({ hook, onRemove }: { hook: Webhook; onRemove: () => void }) {
  const action = useAction();
  const [result, setResult] = useState<WebhookDelivery | null>(null);
  async function test() {
    setResult(await action.run(() => callApi('testWebhook', { id: hook.id })));
  }
  return (
    <li className="webhook" data-testid="webhook" data-id={hook.id}>
      <div className="webhook-head">
        <code className="mono strong" data-testid="webhook-url">
          {hook.url}
        </code>
        <div className="form-actions">
          <button type="button" className="btn btn-small" onClick={() => void test()} disabled={action.busy} data-testid="test-webhook">
            {action.busy && <Spinner />} Test
          </button>
          <button type="button" className="btn btn-small btn-danger-ghost" onClick={onRemove} data-testid="remove-webhook">
            Remove
          </button>
        </div>
      </div>
      <p className="sub">
        {hook.events.map((e) => EVENT_LABELS[e]).join(' · ')} · added {formatDateTime(hook.createdAt)} by {hook.createdBy}
      </p>
      {!hook.secretAvailable && (
        <p className="alert alert-warning">This host cannot read its secret (stored by another host's keychain): deliveries wait for it.</p>
      )}
      {result && (
        <p className={`webhook-result webhook-${result.state}`} role="status" data-testid="webhook-test-result" data-state={result.state}>
          Test: {deliveryText(result)}
        </p>
      )}
      {action.error && (
        <p className="field-error" role="alert">
          {action.error}
        </p>
      )}
    </li>
  );
}

function RemoveWebhook({ hook, onCancel, onDone }: { hook: Webhook; onCancel: () => void; onDone: () => void }) {
  const action = useAction();
  async function remove() {
    if (await action.run(() => callApi('removeWebhook', { id: hook.id }))) onDone();
  }
  return (
    <div className="form">
      <p>
        Deliveries to <strong>{hook.url}</strong> stop, and its secret is forgotten. Its delivery log stays until retention removes it.
      </p>
      <ErrorAlert message={action.error} />
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel} autoFocus>
          Keep it
        </button>
        <button
          type="button"
          className="btn btn-danger"
          onClick={() => void remove()}
          disabled={action.busy}
          data-testid="confirm-remove-webhook"
        >
          {action.busy && <Spinner />} Remove webhook
        </button>
      </div>
    </div>
  );
}

/** Every delivery, newest first, paged in the URL (`?page=`), refreshed as attempts happen. */
function DeliveryLog({ route, hooks }: { route: Route; hooks: Webhook[] }) {
  const update = useParamUpdater(route);
  const page = intParam(route.params.page, 0);
  const log = useCall(
    'listWebhookDeliveries',
    { limit: DELIVERY_PAGE, offset: page * DELIVERY_PAGE },
    { refreshOn: ['webhookDeliveryUpdated'], throttleMs: 500 },
  );
  const urlOf = new Map(hooks.map((h) => [h.id, h.url]));
  return (
    <section className="card card-padded" aria-labelledby="deliveries-title" data-testid="deliveries">
      <h2 id="deliveries-title">Delivery log</h2>
      {log.error && <LoadError what="the delivery log" message={log.error} onRetry={log.reload} />}
      {!log.data ? (
        !log.error && <p className="muted">Loading…</p>
      ) : log.data.total === 0 ? (
        <p className="muted">No delivery yet.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="compact">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Webhook</th>
                  <th scope="col">Result</th>
                </tr>
              </thead>
              <tbody>
                {log.data.rows.map((d) => (
                  <tr key={d.id} data-testid="delivery-row" data-state={d.state}>
                    <td className="nowrap">{formatDateTime(d.createdAt)}</td>
                    <td>
                      <span className="mono">{d.event}</span>
                      {d.runId && (
                        <>
                          {' '}
                          <a href={`#/runs/${d.runId}`}>run</a>
                        </>
                      )}
                    </td>
                    <td className="mono">{urlOf.get(d.webhookId) ?? 'removed'}</td>
                    <td data-testid="delivery-result">{deliveryText(d)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination
            offset={page * DELIVERY_PAGE}
            shown={log.data.rows.length}
            total={log.data.total}
            pageSize={DELIVERY_PAGE}
            disabled={log.loading}
            onPage={(next) => update({ page: next || undefined }, { replace: true })}
          />
        </>
      )}
    </section>
  );
}

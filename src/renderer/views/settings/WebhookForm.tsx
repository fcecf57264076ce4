import { useId, useState, type FormEvent } from 'react';
import { WEBHOOK_EVENTS, type Webhook, type WebhookEvent } from '../../../shared/operations.ts';
import { ApiCallError, errorMessage } from '../../api/errors.ts';
import { callApi } from '../../api/useCall.ts';
import { ErrorAlert } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { EVENT_LABELS, generateSecret } from './webhookModel.ts';

/** Adds a webhook: URL, events, and the secret shared with the receiver (typed, or generated here and shown this once). */
export function WebhookForm({ onAdded }: { onAdded: (hook: Webhook, secret: string) => void }) {
  const id = useId();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['run.failed']);
  const [secret, setSecret] = useState('');
  const [fields, setFields] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const hook = await callApi('addWebhook', { url: url.trim(), events, secret });
      onAdded(hook, secret);
      setUrl('');
      setSecret('');
      setFields({});
    } catch (e) {
      if (e instanceof ApiCallError && e.code === 'VALIDATION') setFields(e.fields);
      else setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  const fieldError = (name: string) =>
    fields[name] ? (
      <span className="field-error" role="alert" data-testid={`webhook-error-${name}`}>
        {fields[name]}
      </span>
    ) : null;

  return (
    <form
      className="card card-padded form"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="webhook-form"
    >
      <h2 id={`${id}-title`}>Add a webhook</h2>
      <div className="field">
        <label htmlFor={`${id}-url`}>URL</label>
        <input
          id={`${id}-url`}
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://hooks.example.com/jira-mirror"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={fields.url ? true : undefined}
        />
        {fieldError('url')}
      </div>
      <fieldset className="field">
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((name) => (
          <label key={name} className="checkbox">
            <input
              type="checkbox"
              checked={events.includes(name)}
              onChange={(e) => setEvents((current) => (e.target.checked ? [...current, name] : current.filter((n) => n !== name)))}
              data-testid={`webhook-event-${name}`}
            />
            {EVENT_LABELS[name]} <span className="mono sub">{name}</span>
          </label>
        ))}
        {fieldError('events')}
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-secret`}>Secret</label>
        <div className="field-inline">
          <input
            id={`${id}-secret`}
            type="text"
            className="mono"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={fields.secret ? true : undefined}
            aria-describedby={`${id}-secret-hint`}
          />
          <button type="button" className="btn btn-small" onClick={() => setSecret(generateSecret())} data-testid="generate-secret">
            Generate
          </button>
        </div>
        <span className="hint" id={`${id}-secret-hint`}>
          At least 16 characters. Each delivery is signed with it (X-Jira-Mirror-Signature-256); it is stored like an API token and never
          shown again after adding, so give it to the receiver now.
        </span>
        {fieldError('secret')}
      </div>
      <ErrorAlert message={error} />
      <div className="form-actions form-actions-left">
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="add-webhook">
          {saving && <Spinner />} Add webhook
        </button>
      </div>
    </form>
  );
}

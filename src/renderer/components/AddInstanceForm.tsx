import { useId, useState, type FormEvent } from 'react';
import type { CallInput } from '../../shared/contract.ts';
import type { Flavor, Instance } from '../../shared/model.ts';
import { errorMessage, getApi, unwrap } from '../api/client.ts';
import { Spinner } from './StatusBadge.tsx';

/** The "Add a Jira instance" form; shows the back end's validation message next to the fields. */
export function AddInstanceForm({ onAdded, onCancel }: { onAdded: (instance: Instance) => void; onCancel?: () => void }) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [flavor, setFlavor] = useState<Flavor>('cloud');
  const [email, setEmail] = useState('');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const id = useId();
  const errorId = `${id}-error`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setSaving(true);
    const input: CallInput<'addInstance'> = { name: name.trim(), url: url.trim(), flavor, token };
    if (flavor === 'cloud' && email.trim()) input.email = email.trim();
    try {
      const instance = unwrap(await getApi().addInstance(input));
      setToken('');
      onAdded(instance);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="form" onSubmit={(e) => void submit(e)} aria-describedby={error ? errorId : undefined} data-testid="add-instance-form">
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="acme"
          autoComplete="off"
          spellCheck={false}
          required
          maxLength={64}
        />
        <span className="hint">Letters, digits, “_”, “-” and “.”; used on the command line too.</span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-url`}>Jira URL</label>
        <input
          id={`${id}-url`}
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder={flavor === 'cloud' ? 'https://your-site.atlassian.net' : 'https://jira.example.com'}
          autoComplete="url"
          spellCheck={false}
          required
        />
      </div>
      <fieldset className="field segmented">
        <legend>Deployment</legend>
        <label>
          <input type="radio" name={`${id}-flavor`} value="cloud" checked={flavor === 'cloud'} onChange={() => setFlavor('cloud')} />
          Cloud
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-flavor`}
            value="datacenter"
            checked={flavor === 'datacenter'}
            onChange={() => setFlavor('datacenter')}
          />
          Data Center / Server
        </label>
      </fieldset>
      {flavor === 'cloud' && (
        <div className="field">
          <label htmlFor={`${id}-email`}>Atlassian account e-mail</label>
          <input
            id={`${id}-email`}
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            placeholder="you@example.com"
            autoComplete="email"
            required
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-token`}>{flavor === 'cloud' ? 'API token' : 'Personal access token'}</label>
        <input id={`${id}-token`} type="password" value={token} onChange={(e) => setToken(e.target.value)} autoComplete="off" required />
        <span className="hint">Stored locally by the app; never shown again.</span>
      </div>
      {error && (
        <div className="alert alert-error" role="alert" id={errorId} data-testid="instance-error">
          {error}
        </div>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="add-instance-submit">
          {saving && <Spinner />} Add instance
        </button>
      </div>
    </form>
  );
}

/** Add or edit a Jira instance, with "Test connection" before saving; shows the back end's messages field by field. */
import { useId, useState, type FormEvent } from 'react';
import type { CallInput } from '../../../shared/contract.ts';
import type { ConnectionTest, Flavor, Instance } from '../../../shared/model.ts';
import { ApiCallError, errorMessage } from '../../api/errors.ts';
import { callApi } from '../../api/useCall.ts';
import { Spinner } from '../../components/StatusBadge.tsx';
import { ConnectionResult } from './ConnectionResult.tsx';

export function InstanceForm({
  instance,
  onDone,
  onCancel,
}: {
  instance?: Instance;
  onDone: (instance: Instance) => void;
  onCancel?: () => void;
}) {
  const editing = instance !== undefined;
  const [name, setName] = useState(instance?.name ?? '');
  const [url, setUrl] = useState(instance?.url ?? '');
  const [flavor, setFlavor] = useState<Flavor>(instance?.flavor ?? 'cloud');
  const [email, setEmail] = useState(instance?.email ?? '');
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const id = useId();

  const connection = () => ({
    url: url.trim(),
    flavor,
    ...(flavor === 'cloud' && email.trim() ? { email: email.trim() } : {}),
    ...(token ? { token } : {}),
  });

  function fail(e: unknown) {
    setError(errorMessage(e));
    setFields(e instanceof ApiCallError ? e.fields : {});
  }

  async function testConnection() {
    setTesting(true);
    setTest(null);
    setError(null);
    setFields({});
    try {
      setTest(await callApi('testConnection', editing ? { name: instance.name, ...connection() } : connection()));
    } catch (e) {
      fail(e);
    } finally {
      setTesting(false);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setFields({});
    setSaving(true);
    try {
      let saved: Instance;
      if (editing) {
        const changes: CallInput<'updateInstance'>['changes'] = {
          url: url.trim(),
          flavor,
          email: flavor === 'cloud' && email.trim() ? email.trim() : null,
        };
        if (token) changes.token = token;
        saved = await callApi('updateInstance', { name: instance.name, changes });
      } else {
        const input: CallInput<'addInstance'> = { name: name.trim(), url: url.trim(), flavor, token };
        if (flavor === 'cloud' && email.trim()) input.email = email.trim();
        saved = await callApi('addInstance', input);
      }
      setToken('');
      onDone(saved);
    } catch (e) {
      fail(e);
    } finally {
      setSaving(false);
    }
  }

  const fieldError = (path: string) =>
    fields[path] || fields[`changes.${path}`] ? (
      <span className="field-error" role="alert">
        {fields[path] ?? fields[`changes.${path}`]}
      </span>
    ) : null;

  return (
    <form className="form" onSubmit={(e) => void submit(e)} data-testid="instance-form" noValidate>
      {!editing && (
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
          {fieldError('name')}
        </div>
      )}
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
        {fieldError('url')}
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
          {fieldError('email')}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-token`}>{flavor === 'cloud' ? 'API token' : 'Personal access token'}</label>
        <input
          id={`${id}-token`}
          type="password"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoComplete="off"
          required={!editing}
          placeholder={editing ? 'Leave empty to keep the stored token' : undefined}
        />
        <span className="hint">Stored locally by the app; never shown again.</span>
        {fieldError('token')}
      </div>
      {test && <ConnectionResult result={test} />}
      {error && (
        <div className="alert alert-error" role="alert" data-testid="instance-error">
          {error}
        </div>
      )}
      <div className="form-actions">
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button
          type="button"
          className="btn"
          onClick={() => void testConnection()}
          disabled={testing || !url.trim()}
          data-testid="test-connection"
        >
          {testing && <Spinner />} Test connection
        </button>
        <button type="submit" className="btn btn-primary" disabled={saving} data-testid="add-instance-submit">
          {saving && <Spinner />} {editing ? 'Save changes' : 'Add instance'}
        </button>
      </div>
    </form>
  );
}

import { useState } from 'react';
import type { ConnectionTest, Instance, InstanceMirror } from '../../../shared/model.ts';
import { errorMessage } from '../../api/errors.ts';
import { callApi } from '../../api/useCall.ts';
import { Spinner } from '../../components/StatusBadge.tsx';
import { formatAge, formatNumber } from '../../lib/format.ts';
import { useNow } from '../../lib/hooks.ts';
import { ConnectionResult } from './ConnectionResult.tsx';

const CREDENTIALS: Record<Instance['credential'], string> = {
  stored: 'token stored on this computer',
  env: 'token from an environment variable',
  demo: 'built-in demo',
};

export function InstanceCard({
  instance,
  mirror,
  onOpen,
}: {
  instance: Instance;
  mirror: InstanceMirror | null;
  onOpen: (dialog: 'edit' | 'projects' | 'remove') => void;
}) {
  const now = useNow(true, 60_000);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run<T>(action: () => Promise<T>): Promise<T | null> {
    setError(null);
    try {
      return await action();
    } catch (e) {
      setError(errorMessage(e));
      return null;
    }
  }

  async function testConnection() {
    setTesting(true);
    setTest(await run(() => callApi('testConnection', { name: instance.name })));
    setTesting(false);
  }

  return (
    <li
      className={`card card-padded instance-card${instance.enabled ? '' : ' instance-disabled'}`}
      data-testid="instance-card"
      data-name={instance.name}
    >
      <div className="section-head">
        <h2>
          <span className={`instance-dot flavor-${instance.flavor}`} aria-hidden="true" /> {instance.name}
          {instance.isDemo && <span className="tag">demo</span>}
        </h2>
        <label className="switch">
          <input
            type="checkbox"
            checked={instance.enabled}
            onChange={(e) => void run(() => callApi('setInstanceEnabled', { name: instance.name, enabled: e.target.checked }))}
            data-testid="instance-enabled"
          />
          {instance.enabled ? 'Enabled' : 'Disabled'}
        </label>
      </div>
      <dl className="facts">
        <dt>URL</dt>
        <dd className="mono">{instance.isDemo ? 'built-in simulator' : instance.url}</dd>
        <dt>Deployment</dt>
        <dd>{instance.flavor === 'cloud' ? 'Jira Cloud' : 'Jira Data Center / Server'}</dd>
        <dt>Credentials</dt>
        <dd>
          {instance.email ? `${instance.email}, ` : ''}
          {CREDENTIALS[instance.credential]}
          {instance.tokenEnv ? ` (${instance.tokenEnv})` : ''}
        </dd>
        <dt>Projects</dt>
        <dd data-testid="instance-projects">
          {instance.projectKeys === null
            ? 'all the server lists'
            : instance.projectKeys.length === 0
              ? 'none chosen'
              : instance.projectKeys.join(', ')}
        </dd>
        <dt>Mirrored</dt>
        <dd data-testid="instance-mirrored">
          {mirror ? `${formatNumber(mirror.issues)} issues in ${mirror.projects.length} projects` : '…'}
          {mirror?.lastSyncedAt ? ` · synced ${formatAge(mirror.lastSyncedAt, now)}` : ''}
        </dd>
      </dl>
      {test && <ConnectionResult result={test} />}
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div className="form-actions form-actions-left">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => void testConnection()}
          disabled={testing}
          data-testid="card-test-connection"
        >
          {testing && <Spinner />} Test connection
        </button>
        <button type="button" className="btn btn-small" onClick={() => onOpen('projects')} data-testid="choose-projects">
          Choose projects
        </button>
        {!instance.isDemo && (
          <button type="button" className="btn btn-small" onClick={() => onOpen('edit')} data-testid="edit-instance">
            Edit
          </button>
        )}
        <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => onOpen('remove')} data-testid="remove-instance">
          Remove
        </button>
      </div>
    </li>
  );
}

import { useState } from 'react';
import type { Instance, InstanceMirror } from '../../../shared/model.ts';
import { errorMessage } from '../../api/errors.ts';
import { callApi } from '../../api/useCall.ts';
import { Spinner } from '../../components/StatusBadge.tsx';
import { formatNumber } from '../../lib/format.ts';

/** The confirmation before an instance goes, with everything it takes along. */
export function RemoveInstance({
  instance,
  mirror,
  onDone,
  onCancel,
}: {
  instance: Instance;
  mirror: InstanceMirror | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function remove() {
    setRemoving(true);
    try {
      await callApi('removeInstance', { name: instance.name });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setRemoving(false);
    }
  }
  return (
    <div className="form" data-testid="remove-confirmation">
      <p>
        This deletes the instance <strong>{instance.name}</strong>, its stored token and its mirror:{' '}
        <strong data-testid="remove-count">
          {mirror ? `${formatNumber(mirror.issues)} issues in ${mirror.projects.length} projects` : 'its mirrored issues'}
        </strong>
        . The sync history keeps its runs.
      </p>
      {error && (
        <div className="alert alert-error" role="alert">
          {error}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel} autoFocus>
          Keep it
        </button>
        <button type="button" className="btn btn-danger" onClick={() => void remove()} disabled={removing} data-testid="confirm-remove">
          {removing && <Spinner />} Remove {instance.name} and its mirror
        </button>
      </div>
    </div>
  );
}

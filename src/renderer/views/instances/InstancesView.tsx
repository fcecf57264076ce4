/** Instances: add, edit, test, enable or disable, choose projects, remove — dialogs are in the URL (`?dialog=edit&name=acme`). */
import { useState } from 'react';
import type { Instance } from '../../../shared/model.ts';
import { errorMessage } from '../../api/errors.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { oneOf, type Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { InstanceCard } from './InstanceCard.tsx';
import { InstanceForm } from './InstanceForm.tsx';
import { ProjectPicker } from './ProjectPicker.tsx';
import { RemoveInstance } from './RemoveInstance.tsx';

const DIALOGS = ['add', 'edit', 'projects', 'remove'] as const;

export function InstancesView({ route, instances }: { route: Route; instances: Instance[] }) {
  const update = useParamUpdater(route);
  const mirrors = useCall('listInstanceMirrors', {}, { refreshOn: ['instancesChanged', 'runUpdated'], throttleMs: 1000 });
  // A new instance has no mirror yet: nothing, rather than "loading".
  const mirrorOf = (name: string) =>
    mirrors.data
      ? (mirrors.data.find((m) => m.instance === name) ?? { instance: name, issues: 0, projects: [], lastSyncedAt: null })
      : null;
  const dialog = oneOf(route.params.dialog, DIALOGS);
  const target = instances.find((i) => i.name === route.params.name) ?? null;
  const close = () => update({ dialog: undefined, name: undefined });
  const open = (kind: (typeof DIALOGS)[number], name?: string) => update({ dialog: kind, name });
  const [demoError, setDemoError] = useState<string | null>(null);
  const hasDemo = instances.some((i) => i.isDemo);

  return (
    <div data-testid="instances">
      <div className="page-head">
        <div>
          <h1>Instances</h1>
          <p className="page-sub">The Jira sites this mirror syncs. Tokens stay on this computer and are never shown again.</p>
        </div>
        <div className="page-actions">
          {!hasDemo && (
            <button
              type="button"
              className="btn"
              onClick={() => void callApi('addDemoInstance', {}).catch((e: unknown) => setDemoError(errorMessage(e)))}
              data-testid="add-demo"
            >
              Add the demo instance
            </button>
          )}
          <button type="button" className="btn btn-primary" onClick={() => open('add')} data-testid="open-add-instance">
            + Add instance
          </button>
        </div>
      </div>
      {demoError && (
        <div className="alert alert-error" role="alert">
          {demoError}
        </div>
      )}
      <ul className="instance-grid" data-testid="instance-list">
        {instances.map((instance) => (
          <InstanceCard
            key={instance.id}
            instance={instance}
            mirror={mirrorOf(instance.name)}
            onOpen={(kind) => open(kind, instance.name)}
          />
        ))}
      </ul>
      <Dialog open={dialog === 'add'} title="Add a Jira instance" onClose={close} testId="add-dialog">
        <InstanceForm onDone={close} onCancel={close} />
      </Dialog>
      <Dialog open={dialog === 'edit' && target !== null} title={`Edit ${target?.name ?? ''}`} onClose={close} testId="edit-dialog">
        {target && <InstanceForm instance={target} onDone={close} onCancel={close} />}
      </Dialog>
      <Dialog
        open={dialog === 'projects' && target !== null}
        title={`Projects of ${target?.name ?? ''}`}
        onClose={close}
        testId="projects-dialog"
      >
        {target && <ProjectPicker instance={target} onDone={close} onCancel={close} />}
      </Dialog>
      <Dialog open={dialog === 'remove' && target !== null} title={`Remove ${target?.name ?? ''}?`} onClose={close} testId="remove-dialog">
        {target && <RemoveInstance instance={target} mirror={mirrorOf(target.name)} onDone={close} onCancel={close} />}
      </Dialog>
    </div>
  );
}

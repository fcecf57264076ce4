import { useState } from 'react';
import type { Instance } from '../../shared/model.ts';
import { errorMessage, getApi, unwrap } from '../api/client.ts';
import { AddInstanceForm } from '../components/AddInstanceForm.tsx';
import { Spinner } from '../components/StatusBadge.tsx';

/** Shown while no instance is configured: add a real Jira, or try the built-in demo. */
export function FirstRun({
  onReady,
  onBusyChange,
}: {
  onReady: (instance: Instance, runId: string | null) => void;
  /** Tells the app the demo is being set up, so an `instancesChanged` event does not switch pages midway. */
  onBusyChange?: (busy: boolean) => void;
}) {
  const [demoBusy, setDemoBusy] = useState(false);
  const [demoError, setDemoError] = useState<string | null>(null);

  async function tryDemo() {
    setDemoBusy(true);
    onBusyChange?.(true);
    setDemoError(null);
    try {
      const api = getApi();
      const instance = unwrap(await api.addDemoInstance({}));
      const { runId } = unwrap(await api.startSync({}));
      onReady(instance, runId);
    } catch (e) {
      setDemoError(errorMessage(e));
      setDemoBusy(false);
      onBusyChange?.(false);
    }
  }

  return (
    <main className="page first-run" id="main" data-testid="first-run">
      <div className="first-run-intro">
        <h1>Welcome to Jira Mirror</h1>
        <p>
          Mirror your Jira issues into a local SQLite database and watch every sync in a clear history. Start with the demo instance, or
          connect your own Jira Cloud or Data Center site.
        </p>
      </div>
      <div className="first-run-grid">
        <section className="card card-padded demo-card" aria-labelledby="demo-title">
          <h2 id="demo-title">Try the demo instance</h2>
          <p>
            A simulated Jira with a few projects and realistic issues, served locally. No account or network needed; the first sync starts
            right away.
          </p>
          {demoError && (
            <div className="alert alert-error" role="alert" data-testid="demo-error">
              {demoError}
            </div>
          )}
          <button
            type="button"
            className="btn btn-primary btn-large"
            onClick={() => void tryDemo()}
            disabled={demoBusy}
            data-testid="try-demo"
          >
            {demoBusy && <Spinner />} Try the demo instance
          </button>
        </section>
        <section className="card card-padded" aria-labelledby="add-title">
          <h2 id="add-title">Add a Jira instance</h2>
          <AddInstanceForm onAdded={(instance) => onReady(instance, null)} />
        </section>
      </div>
    </main>
  );
}

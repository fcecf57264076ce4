import { useState } from 'react';
import { errorMessage } from '../../api/errors.ts';
import { callApi } from '../../api/useCall.ts';
import { Spinner } from '../../components/StatusBadge.tsx';
import { useLiveSync } from '../../lib/liveSync.tsx';
import { InstanceForm } from '../instances/InstanceForm.tsx';

/** Shown while no instance is configured: add a real Jira, or try the built-in demo (which syncs at once). */
export function FirstRun({
  onReady,
  onBusyChange,
}: {
  onReady: () => void;
  /** Tells the app the demo is being set up, so an `instancesChanged` event does not switch screens midway. */
  onBusyChange?: (busy: boolean) => void;
}) {
  const live = useLiveSync();
  const [demoBusy, setDemoBusy] = useState(false);
  const [demoError, setDemoError] = useState<string | null>(null);

  async function tryDemo() {
    setDemoBusy(true);
    onBusyChange?.(true);
    setDemoError(null);
    try {
      await callApi('addDemoInstance', {});
      const runId = await live.start();
      if (!runId) throw new Error(live.error ?? 'the first sync could not start');
      onReady();
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
          Mirror your Jira issues into a local SQLite database, browse them offline, and watch every sync. Start with the demo instance, or
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
          <InstanceForm onDone={onReady} />
        </section>
      </div>
    </main>
  );
}

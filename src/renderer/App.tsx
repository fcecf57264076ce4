import { useCallback, useEffect, useRef, useState } from 'react';
import type { Instance } from '../shared/model.ts';
import { errorMessage, getApi, unwrap } from './api/client.ts';
import { AddInstanceForm } from './components/AddInstanceForm.tsx';
import { Header } from './components/Header.tsx';
import { Spinner } from './components/StatusBadge.tsx';
import { useApiEvent } from './lib/hooks.ts';
import { FirstRun } from './pages/FirstRun.tsx';
import { HistoryPage } from './pages/HistoryPage.tsx';

export function App() {
  const [instances, setInstances] = useState<Instance[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [startedRunId, setStartedRunId] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  /** The first-run screen is busy (demo being added and its first sync starting): stay on it until done. */
  const [onboarding, setOnboarding] = useState(false);
  const dialogRef = useRef<HTMLDialogElement>(null);

  const loadInstances = useCallback(
    () =>
      getApi()
        .listInstances({})
        .then(unwrap)
        .then((list) => {
          setInstances(list);
          setLoadError(null);
        })
        .catch((e: unknown) => setLoadError(errorMessage(e))),
    [],
  );

  useEffect(() => {
    void loadInstances();
  }, [loadInstances]);

  useApiEvent('instancesChanged', () => void loadInstances());

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (adding && !dialog.open) dialog.showModal();
    if (!adding && dialog.open) dialog.close();
  }, [adding]);

  function added(instance: Instance, runId: string | null) {
    setInstances((current) => [...(current ?? []).filter((i) => i.id !== instance.id), instance]);
    if (runId) setStartedRunId(runId);
    setAdding(false);
    void loadInstances();
  }

  let content;
  if (instances === null) {
    content = loadError ? (
      <main className="page" id="main">
        <div className="alert alert-error" role="alert" data-testid="app-error">
          <strong>Cannot reach the back end.</strong> {loadError}{' '}
          <button type="button" className="btn btn-small" onClick={() => void loadInstances()}>
            Try again
          </button>
        </div>
      </main>
    ) : (
      <main className="page page-loading" id="main">
        <Spinner label="Loading" />
      </main>
    );
  } else if (instances.length === 0 || onboarding) {
    content = (
      <FirstRun
        onBusyChange={setOnboarding}
        onReady={(instance, runId) => {
          setOnboarding(false);
          added(instance, runId);
        }}
      />
    );
  } else {
    content = <HistoryPage initialActiveRunId={startedRunId} />;
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Header instances={instances} onAddInstance={instances && instances.length > 0 ? () => setAdding(true) : undefined} />
      {content}
      <dialog ref={dialogRef} className="modal" aria-labelledby="add-dialog-title" onClose={() => setAdding(false)}>
        <h2 id="add-dialog-title">Add a Jira instance</h2>
        {adding && <AddInstanceForm onAdded={(instance) => added(instance, null)} onCancel={() => setAdding(false)} />}
      </dialog>
    </div>
  );
}

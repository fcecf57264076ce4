/** Settings → Metrics endpoint: opt-in Prometheus endpoint on loopback, its URL while serving, and the current text. */
import { useState } from 'react';
import { METRICS_SETTINGS, type MetricsEndpoint, type MetricsSettings } from '../../../shared/operations.ts';
import { useAction } from '../../api/useAction.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { ErrorAlert, LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { formatNumber } from '../../lib/format.ts';
import { TableFormBody } from './TableFormBody.tsx';
import { useTableForm } from './useTableForm.ts';

const LABELS: Record<keyof MetricsSettings, string> = { enabled: 'Serve metrics', port: 'Port' };

const STATE_TEXT: Record<MetricsEndpoint['state'], string> = {
  off: 'Off',
  serving: 'Serving',
  failed: 'Not serving',
  unavailable: 'Not available in this host',
};

export function MetricsSection({ onSaved }: { onSaved: (notice: string) => void }) {
  const endpoint = useCall('getMetricsEndpoint', {});
  if (endpoint.error && !endpoint.data) return <LoadError what="the metrics endpoint" message={endpoint.error} onRetry={endpoint.reload} />;
  if (!endpoint.data) return <Spinner label="Loading the metrics endpoint" />;
  const { enabled, port } = endpoint.data;
  return (
    <div className="settings-grid">
      <MetricsForm
        key={`${enabled}:${port}`}
        endpoint={endpoint.data}
        onSaved={(notice) => {
          onSaved(notice);
          endpoint.reload();
        }}
      />
      <MetricsText />
    </div>
  );
}

function MetricsForm({ endpoint, onSaved }: { endpoint: MetricsEndpoint; onSaved: (notice: string) => void }) {
  const saved: MetricsSettings = { enabled: endpoint.enabled, port: endpoint.port };
  const form = useTableForm(METRICS_SETTINGS, saved, 'settings', (settings) => callApi('setMetricsEndpoint', { settings }));
  return (
    <form
      className="card card-padded settings-fields"
      aria-labelledby="metrics-title"
      noValidate
      data-testid="metrics-form"
      onSubmit={(event) => {
        event.preventDefault();
        void form.save().then((ok) => ok && onSaved('Saved the metrics endpoint settings.'));
      }}
    >
      <h2 id="metrics-title">Prometheus metrics</h2>
      <dl className="facts">
        <dt>State</dt>
        <dd data-testid="metrics-state" data-state={endpoint.state}>
          {STATE_TEXT[endpoint.state]}
          {endpoint.error ? `: ${endpoint.error}` : ''}
        </dd>
        {endpoint.url && (
          <>
            <dt>URL</dt>
            <dd>
              <code data-testid="metrics-url">{endpoint.url}</code>
            </dd>
          </>
        )}
      </dl>
      {endpoint.state === 'unavailable' && (
        <p className="hint">The desktop app and the browser preview serve it; the CLI has `metrics serve`.</p>
      )}
      <TableFormBody table={METRICS_SETTINGS} labels={LABELS} form={form} saveTestId="save-metrics" />
    </form>
  );
}

/** What a scrape would read now (the same text the endpoint serves), on demand. */
function MetricsText() {
  const [text, setText] = useState<string | null>(null);
  const action = useAction();
  async function load() {
    const result = await action.run(() => callApi('getMetricsText', {}));
    if (result) setText(result.text);
  }
  const series = text === null ? 0 : text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
  return (
    <section className="card card-padded" aria-labelledby="metrics-text-title" data-testid="metrics-text-card">
      <div className="section-head">
        <h2 id="metrics-text-title">Current metrics</h2>
        <button type="button" className="btn btn-small" onClick={() => void load()} disabled={action.busy} data-testid="show-metrics">
          {action.busy && <Spinner />} {text === null ? 'Show current metrics' : 'Refresh'}
        </button>
      </div>
      <ErrorAlert message={action.error} />
      {text === null ? (
        <p className="muted">The Prometheus text format, computed from the database now; works whether the endpoint is on or off.</p>
      ) : (
        <>
          <p className="sub">{formatNumber(series)} samples</p>
          <pre className="metrics-text" tabIndex={0} aria-label="Prometheus metrics text" data-testid="metrics-text">
            {text}
          </pre>
        </>
      )}
    </section>
  );
}

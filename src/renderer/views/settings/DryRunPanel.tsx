import type { PerformanceConfig, SyncEstimate } from '../../../shared/model.ts';
import { useCall } from '../../api/useCall.ts';
import { Spinner } from '../../components/StatusBadge.tsx';
import { formatDuration, formatMs, formatNumber } from '../../lib/format.ts';

const BASIS: Record<SyncEstimate['basis'], string> = {
  history: 'recorded runs',
  probe: 'a live probe of the server',
  none: 'nothing yet (no finished run)',
};

/** The dry run: the proposed settings' estimate beside the saved settings', with warnings. */
export function DryRunPanel({
  saved,
  proposed,
  probe,
  onProbe,
  testing,
  disabled,
  onTest,
}: {
  saved: PerformanceConfig;
  proposed: SyncEstimate | null;
  probe: boolean;
  onProbe: (probe: boolean) => void;
  testing: boolean;
  disabled: boolean;
  onTest: () => void;
}) {
  const current = useCall('estimateSync', { config: saved, probe: false });
  const rows: Array<[string, (e: SyncEstimate) => string]> = [
    ['Duration', (e) => formatDuration(e.durationMs)],
    ['API calls', (e) => formatNumber(e.apiCalls)],
    ['Peak concurrency', (e) => formatNumber(e.peakConcurrency)],
    ['Issues', (e) => formatNumber(e.expectedIssues)],
    ['Projects', (e) => formatNumber(e.projects)],
    ['Page latency', (e) => formatMs(e.latencyMs)],
  ];
  return (
    <section className="card card-padded" aria-labelledby="dry-run-title" data-testid="dry-run">
      <h2 id="dry-run-title">Test configuration</h2>
      <p className="hint">What a sync like the recent ones would cost with these settings. Nothing is saved or synced.</p>
      <table className="compact dry-run-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col" className="num">
              Saved
            </th>
            <th scope="col" className="num">
              Proposed
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="num">{current.data ? value(current.data) : '…'}</td>
              <td className="num" data-testid={`proposed-${label.toLowerCase().replaceAll(' ', '-')}`}>
                {proposed ? value(proposed) : '…'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {proposed && (
        <p className="sub" data-testid="dry-run-basis">
          Based on {BASIS[proposed.basis]}
          {proposed.basis === 'history' ? ` (${proposed.runsConsidered} runs)` : ''}.
        </p>
      )}
      {proposed && proposed.warnings.length > 0 && (
        <ul className="warnings" data-testid="dry-run-warnings">
          {proposed.warnings.map((w) => (
            <li key={w.code} data-code={w.code}>
              {w.message}
            </li>
          ))}
        </ul>
      )}
      <div className="form-actions form-actions-left">
        <label className="checkbox">
          <input type="checkbox" checked={probe} onChange={(e) => onProbe(e.target.checked)} data-testid="probe" /> Ask the server now (live
          probe, reads only)
        </label>
        <button type="button" className="btn" onClick={onTest} disabled={testing || disabled} data-testid="test-configuration">
          {testing && <Spinner />} Test configuration
        </button>
      </div>
    </section>
  );
}

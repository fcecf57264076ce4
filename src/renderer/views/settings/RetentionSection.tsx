/** Settings → Retention: the policy with the contract's messages, a dry-run preview of what goes, and "Apply now". */
import { useState } from 'react';
import { RETENTION_SETTINGS, type RetentionPolicy, type RetentionReport } from '../../../shared/operations.ts';
import { useAction } from '../../api/useAction.ts';
import { callApi, useCall } from '../../api/useCall.ts';
import { ErrorAlert, LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { formatBytes, formatDateTime, formatNumber } from '../../lib/format.ts';
import { TableFormBody } from './TableFormBody.tsx';
import { useTableForm } from './useTableForm.ts';

const LABELS: Record<keyof RetentionPolicy, string> = {
  detailsDays: 'Keep project details',
  metricsDays: 'Keep metric samples',
  runsDays: 'Keep runs',
  applyAfterSync: 'Apply after every sync',
  timeZone: 'Time zone of the summaries',
};

export function RetentionSection({ onSaved }: { onSaved: (notice: string) => void }) {
  const policy = useCall('getRetentionPolicy', {});
  if (policy.error && !policy.data) return <LoadError what="the retention policy" message={policy.error} onRetry={policy.reload} />;
  if (!policy.data) return <Spinner label="Loading the retention policy" />;
  return (
    <RetentionForm
      key={JSON.stringify(policy.data)}
      saved={policy.data}
      onSaved={(notice) => {
        onSaved(notice);
        policy.reload();
      }}
    />
  );
}

function RetentionForm({ saved, onSaved }: { saved: RetentionPolicy; onSaved: (notice: string) => void }) {
  const form = useTableForm(RETENTION_SETTINGS, saved, 'policy', (policy) => callApi('saveRetentionPolicy', { policy }));
  const [report, setReport] = useState<RetentionReport | null>(null);
  const [running, setRunning] = useState<'preview' | 'apply' | null>(null);
  const action = useAction();
  const dirty = form.changed.length > 0;

  async function run(dryRun: boolean) {
    setRunning(dryRun ? 'preview' : 'apply');
    const result = await action.run(() => callApi('applyRetention', { dryRun }));
    if (result) setReport(result);
    setRunning(null);
  }

  return (
    <div className="settings-grid">
      <form
        className="card card-padded settings-fields"
        aria-labelledby="retention-title"
        noValidate
        data-testid="retention-form"
        onSubmit={(event) => {
          event.preventDefault();
          void form.save().then((ok) => ok && onSaved(`Saved the retention policy (${form.changed.length} changed).`));
        }}
      >
        <h2 id="retention-title">Retention policy</h2>
        <p className="hint">
          Before anything is removed, each finished day is rolled up into daily summaries, so trends and reports stay exact.
        </p>
        <TableFormBody table={RETENTION_SETTINGS} labels={LABELS} form={form} saveTestId="save-retention" />
      </form>
      <section className="card card-padded" aria-labelledby="retention-run-title" data-testid="retention-run">
        <h2 id="retention-run-title">Apply the policy</h2>
        <p className="hint">
          {dirty
            ? 'Save the policy first: the preview and "Apply now" use the saved policy.'
            : 'Preview shows what a pass would summarize and remove, and changes nothing.'}
        </p>
        <div className="form-actions form-actions-left">
          <button
            type="button"
            className="btn"
            onClick={() => void run(true)}
            disabled={running !== null || dirty}
            data-testid="retention-preview"
          >
            {running === 'preview' && <Spinner />} Preview
          </button>
          <button
            type="button"
            className="btn btn-danger"
            onClick={() => void run(false)}
            disabled={running !== null || dirty}
            data-testid="retention-apply"
          >
            {running === 'apply' && <Spinner />} Apply now
          </button>
        </div>
        <ErrorAlert message={action.error} />
        {report && <RetentionReportView report={report} />}
      </section>
    </div>
  );
}

function RetentionReportView({ report }: { report: RetentionReport }) {
  const r = report.removed;
  const verb = report.dryRun ? 'Would remove' : 'Removed';
  // Which cutoff removes what (as retention.ts applies them).
  const rows: Array<[string, number, string]> = [
    ['Runs', r.runs, report.cutoffs.runs],
    ['Project details', r.projectDetails, report.cutoffs.details],
    ['Metric samples', r.metricSamples, report.cutoffs.metrics],
    ['Webhook deliveries', r.webhookDeliveries, report.cutoffs.details],
    ['Growth samples', r.growthSamples, report.cutoffs.runs],
  ];
  return (
    <div data-testid="retention-report" data-dry-run={report.dryRun}>
      <h3>{report.dryRun ? 'Preview (nothing changed)' : 'Applied'}</h3>
      <table className="compact">
        <thead>
          <tr>
            <th scope="col">{verb}</th>
            <th scope="col" className="num">
              Rows
            </th>
            <th scope="col">Older than</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, n, cutoff]) => (
            <tr key={label} data-testid="retention-removed" data-what={label}>
              <th scope="row">{label}</th>
              <td className="num">{formatNumber(n)}</td>
              <td className="nowrap">{formatDateTime(cutoff)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts facts-inline">
        <dt>Days summarized</dt>
        <dd data-testid="retention-days">{formatNumber(report.daysSummarized)}</dd>
        <dt>Summaries reach</dt>
        <dd data-testid="retention-summarized-until">
          {report.summarizedUntil
            ? `every run started before ${formatDateTime(report.summarizedUntil)} (days in ${report.timeZone})`
            : 'no finished day yet'}
        </dd>
        {report.keptUnsummarized > 0 && (
          <>
            <dt>Kept for now</dt>
            <dd>{formatNumber(report.keptUnsummarized)} older rows whose day is not summarized yet (a run was still running then)</dd>
          </>
        )}
        <dt>Database</dt>
        <dd>
          {report.dryRun
            ? formatBytes(report.database.bytesBefore)
            : `${formatBytes(report.database.bytesBefore)} → ${formatBytes(report.database.bytesAfter)}`}
          {report.database.autoVacuum === 'none' && ' (an older file: freed space is reused, `jira-mirror retention apply` gives it back)'}
        </dd>
      </dl>
    </div>
  );
}

import { useId, useState } from 'react';
import { callApi } from '../../api/useCall.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { ExportButton } from '../../components/ExportButton.tsx';
import { dayEndIso, dayStartIso } from '../../lib/format.ts';
import { localDay } from './dashboardPeriod.ts';

/** The PDF sync report of a chosen period (whole local days): figures, trends, failures and project health, as a download. */
export function ReportDialog({
  open,
  defaultDays,
  onClose,
}: {
  open: boolean;
  /** The dashboard's period, which the dates start from. */
  defaultDays: number;
  onClose: () => void;
}) {
  return (
    <Dialog open={open} title="PDF sync report" onClose={onClose} testId="report-dialog">
      <ReportForm defaultDays={defaultDays} onClose={onClose} />
    </Dialog>
  );
}

function ReportForm({ defaultDays, onClose }: { defaultDays: number; onClose: () => void }) {
  const id = useId();
  const [from, setFrom] = useState(() => localDay(Date.now() - (defaultDays - 1) * 86_400_000));
  const [to, setTo] = useState(() => localDay(Date.now()));
  const fromIso = dayStartIso(from);
  const toIso = dayEndIso(to);
  const problem = !fromIso || !toIso ? 'Choose both dates.' : fromIso > toIso ? 'The “from” date is after the “to” date.' : null;
  return (
    <div className="form">
      <p className="hint">
        The dashboard's figures, trend charts, failures by category and each project's health, read from the daily summaries (exact for
        pruned days too).
      </p>
      <div className="two-columns">
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="report-from" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="report-to" />
        </div>
      </div>
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
        <ExportButton
          label="Create PDF"
          className="btn btn-primary"
          disabled={problem !== null}
          create={() => callApi('createReport', { from: fromIso!, to: toIso! })}
          testId="create-report"
        />
      </div>
    </div>
  );
}

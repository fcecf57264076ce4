/** The 7 / 30 / 90-day switch of the dashboard and the analytics view; the default period leaves the URL clean. */
export function PeriodSwitch({
  periods,
  days,
  defaultDays,
  onChange,
  testIdPrefix,
}: {
  periods: readonly number[];
  days: number;
  defaultDays: number;
  onChange: (days: number | undefined) => void;
  testIdPrefix: string;
}) {
  return (
    <div className="segmented-control" role="group" aria-label="Period">
      {periods.map((p) => (
        <button
          key={p}
          type="button"
          className="btn btn-small"
          aria-pressed={p === days}
          onClick={() => onChange(p === defaultDays ? undefined : p)}
          data-testid={`${testIdPrefix}${p}`}
        >
          {p} days
        </button>
      ))}
    </div>
  );
}

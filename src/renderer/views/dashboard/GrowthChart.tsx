import { useCall } from '../../api/useCall.ts';
import { Chart } from '../../components/Chart.tsx';
import { byteAxis, formatBytes, formatDay, formatNumber } from '../../lib/format.ts';

/**
 * The database file and the mirror over the period, one point per day: each day's last growth sample,
 * picked in SQL by the daily summaries (a per-run series would be thousands of points on a short schedule).
 */
export function GrowthChart({ period, days }: { period: { from: string; to: string }; days: number }) {
  const summaries = useCall('getDailySummaries', period, { refreshOn: ['runUpdated'], throttleMs: 10_000 });
  const data = summaries.data ?? [];
  const latest = [...data].reverse().find((d) => d.databaseBytes !== null);
  const size = byteAxis([data.map((d) => d.databaseBytes)]);
  return (
    <figure className="card card-padded chart-card growth-card" data-testid="growth-chart">
      <figcaption>
        Database growth · {days} days
        {latest && (
          <span className="sub" data-testid="growth-latest">
            {' '}
            · now {formatBytes(latest.databaseBytes)}, {formatNumber(latest.mirroredIssues ?? 0)} issues
          </span>
        )}
      </figcaption>
      {summaries.error && !summaries.data ? (
        <p className="muted">{summaries.error}</p>
      ) : (
        <Chart
          kind="line"
          label={`Database file size at the end of each day over the last ${days} days`}
          labels={data.map((d) => formatDay(d.day))}
          series={[{ label: 'Database size', values: size.scaled[0]!, color: '--chart-5' }]}
          xTitle="Day"
          yTitle="File size"
          format={size.format}
          testId="chart-growth"
        />
      )}
    </figure>
  );
}

import { RUN_STATUSES, type TrendPoint } from '../../../shared/model.ts';
import { Chart } from '../../components/Chart.tsx';
import { STATUS_LABELS, formatDay, formatDuration } from '../../lib/format.ts';

const STATUS_COLORS: Record<(typeof RUN_STATUSES)[number], string> = {
  completed: '--chart-2',
  partial: '--chart-5',
  failed: '--chart-6',
  stopped: '--chart-3',
  interrupted: '--chart-4',
  running: '--chart-1',
};

/** Runs per day by status, and the average duration, over the filtered history. */
export function HistoryCharts({ trends }: { trends: TrendPoint[] | null }) {
  const points = trends ?? [];
  const labels = points.map((p) => formatDay(p.day));
  const used = RUN_STATUSES.filter((status) => points.some((p) => p.byStatus[status] > 0));
  return (
    <section className="chart-grid chart-grid-2" aria-label="History charts" data-testid="history-charts">
      <figure className="card card-padded chart-card">
        <figcaption>Runs per day</figcaption>
        <Chart
          kind="bar"
          label="Runs per day by status"
          labels={labels}
          stacked
          series={(used.length > 0 ? used : (['completed'] as const)).map((status) => ({
            label: STATUS_LABELS[status],
            values: points.map((p) => p.byStatus[status]),
            color: STATUS_COLORS[status],
            stack: 'runs',
          }))}
          xTitle="Day"
          yTitle="Runs"
          integer
          testId="chart-runs"
        />
      </figure>
      <figure className="card card-padded chart-card">
        <figcaption>Average duration</figcaption>
        <Chart
          kind="line"
          label="Average run duration per day"
          labels={labels}
          series={[{ label: 'Average duration', values: points.map((p) => p.avgDurationMs), color: '--chart-3' }]}
          xTitle="Day"
          yTitle="Duration"
          format={(v) => formatDuration(v)}
          testId="chart-history-duration"
        />
      </figure>
    </section>
  );
}

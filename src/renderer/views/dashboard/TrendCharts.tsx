import type { TrendPoint } from '../../../shared/model.ts';
import { Chart } from '../../components/Chart.tsx';
import { formatDay, formatDuration, formatMs, formatNumber } from '../../lib/format.ts';

/** The four trends of the period, one point per day. */
export function TrendCharts({ trends }: { trends: TrendPoint[] | null }) {
  const labels = (trends ?? []).map((p) => formatDay(p.day));
  const values = (pick: (p: TrendPoint) => number | null) => (trends ?? []).map(pick);
  return (
    <section className="chart-grid" aria-label="Trends" data-testid="trend-charts">
      <figure className="card card-padded chart-card">
        <figcaption>Success rate</figcaption>
        <Chart
          kind="line"
          label="Success rate per day"
          labels={labels}
          series={[
            { label: 'Success rate', values: values((p) => (p.successRate === null ? null : p.successRate * 100)), color: '--chart-2' },
          ]}
          xTitle="Day"
          yTitle="Completed runs (%)"
          yMax={100}
          format={(v) => `${Math.round(v)} %`}
          testId="chart-success"
        />
      </figure>
      <figure className="card card-padded chart-card">
        <figcaption>Issues per sync</figcaption>
        <Chart
          kind="bar"
          label="Average issues processed per sync, per day"
          labels={labels}
          series={[{ label: 'Issues per sync', values: values((p) => p.avgIssuesPerRun), color: '--chart-1' }]}
          xTitle="Day"
          yTitle="Issues"
          integer
          format={(v) => formatNumber(Math.round(v))}
          testId="chart-issues"
        />
      </figure>
      <figure className="card card-padded chart-card">
        <figcaption>Average duration</figcaption>
        <Chart
          kind="line"
          label="Average sync duration per day"
          labels={labels}
          series={[{ label: 'Average duration', values: values((p) => p.avgDurationMs), color: '--chart-3' }]}
          xTitle="Day"
          yTitle="Duration"
          format={(v) => formatDuration(v)}
          testId="chart-duration"
        />
      </figure>
      <figure className="card card-padded chart-card">
        <figcaption>API latency p95</figcaption>
        <Chart
          kind="line"
          label="API latency 95th percentile per day"
          labels={labels}
          series={[{ label: 'API latency p95', values: values((p) => p.apiLatencyP95Ms), color: '--chart-4' }]}
          xTitle="Day"
          yTitle="Latency"
          format={(v) => formatMs(v)}
          testId="chart-latency"
        />
      </figure>
    </section>
  );
}

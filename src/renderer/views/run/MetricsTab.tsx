import type { RunDetail } from '../../../shared/model.ts';
import { Chart } from '../../components/Chart.tsx';
import { EmptyState } from '../../components/States.tsx';
import { byteAxis, formatElapsed, formatMs, formatNumber } from '../../lib/format.ts';
import { metricSeries } from './runDetailModel.ts';

/** The run's time series from `sync_performance_metrics`: API latency, issues/s and memory. */
export function MetricsTab({ run }: { run: RunDetail }) {
  const { elapsedMs, values } = metricSeries(run.metrics, run.startedAt);
  if (elapsedMs.length === 0)
    return <EmptyState title="No samples recorded">The engine samples once a second; this run ended before its first sample.</EmptyState>;
  const labels = elapsedMs.map(formatElapsed);
  const series = (metric: string) => values[metric] ?? elapsedMs.map(() => null);
  const memory = byteAxis([series('rss_bytes'), series('heap_used_bytes')]);
  return (
    <section className="chart-grid" aria-label="Metrics" data-testid="metrics">
      <figure className="card card-padded chart-card">
        <figcaption>API latency (median per sample)</figcaption>
        <Chart
          kind="line"
          label="API latency over the run"
          labels={labels}
          series={[{ label: 'Latency p50', values: series('api_latency_p50_ms'), color: '--chart-4' }]}
          xTitle="Time since start"
          yTitle="Latency"
          format={formatMs}
          testId="chart-metric-latency"
        />
      </figure>
      <figure className="card card-padded chart-card">
        <figcaption>Throughput</figcaption>
        <Chart
          kind="line"
          label="Issues per second over the run"
          labels={labels}
          series={[{ label: 'Issues/s', values: series('issues_per_second'), color: '--chart-1' }]}
          xTitle="Time since start"
          yTitle="Issues/s"
          format={(v) => formatNumber(Math.round(v))}
          testId="chart-metric-throughput"
        />
      </figure>
      <figure className="card card-padded chart-card chart-wide">
        <figcaption>Memory of the engine</figcaption>
        <Chart
          kind="line"
          label="Engine memory over the run"
          labels={labels}
          series={[
            { label: 'RSS', values: memory.scaled[0]!, color: '--chart-3' },
            { label: 'Heap used', values: memory.scaled[1]!, color: '--chart-2' },
          ]}
          xTitle="Time since start"
          yTitle="Memory"
          format={memory.format}
          testId="chart-metric-memory"
        />
      </figure>
    </section>
  );
}

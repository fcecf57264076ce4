import type { Dashboard } from '../../../shared/model.ts';
import { StatCard } from '../../components/States.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { formatAge, formatDuration, formatNumber, formatPercent } from '../../lib/format.ts';
import { useNow } from '../../lib/hooks.ts';

/** The period's figures; placeholders of the same size while loading, so nothing jumps. */
export function SummaryCards({ dashboard, days }: { dashboard: Dashboard | null; days: number }) {
  const now = useNow(true, 30_000);
  const summary = dashboard?.summary ?? null;
  const last = dashboard?.lastRun ?? null;
  const rate = summary?.successRate ?? null;
  return (
    <section className="stats stats-6" aria-label={`Last ${days} days`} data-testid="summary">
      <StatCard label={`Syncs · ${days} days`} value={summary ? formatNumber(summary.totalRuns) : '…'} testId="card-syncs" />
      <StatCard
        label="Success rate"
        value={summary ? formatPercent(rate) : '…'}
        sub={
          summary
            ? `${formatNumber(summary.byStatus.completed)} of ${formatNumber(summary.totalRuns - summary.byStatus.running)} finished`
            : undefined
        }
        tone={rate === null ? undefined : rate < 0.9 ? 'danger' : 'ok'}
        testId="card-success"
      />
      <StatCard
        label="Issues processed"
        value={summary ? formatNumber(summary.totalIssues) : '…'}
        sub={summary ? `+${formatNumber(summary.issuesCreated)} new · ${formatNumber(summary.issuesUpdated)} updated` : undefined}
        testId="card-issues"
      />
      <StatCard label="Average duration" value={summary ? formatDuration(summary.avgDurationMs) : '…'} testId="card-avg" />
      <StatCard label="p95 duration" value={summary ? formatDuration(summary.p95DurationMs) : '…'} testId="card-p95" />
      <StatCard
        label="Last sync"
        value={last ? <StatusBadge status={last.status} /> : dashboard ? 'never' : '…'}
        sub={
          last ? (
            <a href={`#/runs/${last.id}`}>
              <time dateTime={last.startedAt} title={new Date(last.startedAt).toLocaleString()}>
                {formatAge(last.startedAt, now)}
              </time>
            </a>
          ) : undefined
        }
        testId="card-last"
      />
    </section>
  );
}

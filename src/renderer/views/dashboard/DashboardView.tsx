/** Dashboard: the health of the syncs in five seconds — summary cards, the schedule, growth, trends, the latest failures, live progress. */
import { PeriodSwitch } from '../../components/PeriodSwitch.tsx';
import { useMemo, useState } from 'react';
import { useCall } from '../../api/useCall.ts';
import { LiveProgress } from '../../components/LiveProgress.tsx';
import { LoadError } from '../../components/States.tsx';
import { Spinner } from '../../components/StatusBadge.tsx';
import { SyncIcon } from '../../components/Icons.tsx';
import { utcOffsetMinutes } from '../../lib/format.ts';
import { useLiveSync } from '../../lib/liveSync.tsx';
import { intParam, type Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { DashboardHealthCard } from '../analytics/DashboardHealthCard.tsx';
import { periodOfDays } from './dashboardPeriod.ts';
import { FailureList } from './FailureList.tsx';
import { GrowthChart } from './GrowthChart.tsx';
import { ReportDialog } from './ReportDialog.tsx';
import { ScheduleCard } from './ScheduleCard.tsx';
import { SummaryCards } from './SummaryCards.tsx';
import { TrendCharts } from './TrendCharts.tsx';

export const PERIODS = [7, 30, 90] as const;

export function DashboardView({ route }: { route: Route }) {
  const days = PERIODS.find((p) => p === intParam(route.params.days, 7)) ?? 7;
  const update = useParamUpdater(route);
  const live = useLiveSync();
  const dashboard = useCall(
    'getDashboard',
    { days, utcOffsetMinutes: utcOffsetMinutes() },
    { refreshOn: ['runUpdated'], throttleMs: 2000 },
  );
  const busy = live.starting || live.activeRunId !== null;
  // Fixed at mount, so the growth query stays the same while runs arrive.
  const [today] = useState(() => Date.now());
  const period = useMemo(() => periodOfDays(days, today), [days, today]);

  return (
    <div data-testid="dashboard">
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p className="page-sub">How the mirror's syncs are doing.</p>
        </div>
        <div className="page-actions">
          <PeriodSwitch periods={PERIODS} days={days} defaultDays={7} onChange={(next) => update({ days: next })} testIdPrefix="period-" />
          <button type="button" className="btn" onClick={() => update({ dialog: 'report' })} data-testid="open-report">
            PDF report
          </button>
          <button type="button" className="btn btn-primary" onClick={() => void live.start()} disabled={busy} data-testid="sync-now">
            {busy ? <Spinner /> : <SyncIcon />}
            {busy ? 'Syncing…' : 'Sync now'}
          </button>
        </div>
      </div>
      {live.error && (
        <div className="alert alert-error" role="alert" data-testid="sync-error">
          <strong>Could not start a sync.</strong> {live.error}
          <button type="button" className="alert-close" aria-label="Dismiss" onClick={live.dismissError}>
            ×
          </button>
        </div>
      )}
      <LiveProgress />
      {dashboard.error && <LoadError what="the dashboard" message={dashboard.error} onRetry={dashboard.reload} />}
      <SummaryCards dashboard={dashboard.data} days={days} />
      <DashboardHealthCard />
      <div className="dashboard-ops">
        <ScheduleCard />
        <GrowthChart period={period} days={days} />
      </div>
      <TrendCharts trends={dashboard.data?.trends ?? null} />
      <FailureList failures={dashboard.data?.failures ?? null} />
      <ReportDialog open={route.params.dialog === 'report'} defaultDays={days} onClose={() => update({ dialog: undefined })} />
    </div>
  );
}

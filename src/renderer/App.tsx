import { useEffect, useState } from 'react';
import type { Instance } from '../shared/model.ts';
import { useCall } from './api/useCall.ts';
import { Sidebar } from './components/Sidebar.tsx';
import { LoadError } from './components/States.tsx';
import { Spinner } from './components/StatusBadge.tsx';
import { LiveSyncProvider } from './lib/liveSync.tsx';
import type { Route } from './lib/router.ts';
import { navigate, useRoute } from './lib/useRoute.ts';
import { AnalyticsView } from './views/analytics/AnalyticsView.tsx';
import { DashboardView } from './views/dashboard/DashboardView.tsx';
import { FirstRun } from './views/firstRun/FirstRun.tsx';
import { HistoryView } from './views/history/HistoryView.tsx';
import { InstancesView } from './views/instances/InstancesView.tsx';
import { IssuesView } from './views/issues/IssuesView.tsx';
import { RunView } from './views/run/RunView.tsx';
import { SettingsView } from './views/settings/SettingsView.tsx';

const TITLES: Record<Route['view'], string> = {
  dashboard: 'Dashboard',
  history: 'Sync history',
  runs: 'Run details',
  issues: 'Issues',
  analytics: 'Analytics',
  settings: 'Settings',
  instances: 'Instances',
};

export function App() {
  return (
    <LiveSyncProvider>
      <Shell />
    </LiveSyncProvider>
  );
}

function Shell() {
  const route = useRoute();
  const instances = useCall('listInstances', {}, { refreshOn: ['instancesChanged'], throttleMs: 200 });
  /** The first-run screen is busy (the demo being added and its first sync starting): stay on it until done. */
  const [onboarding, setOnboarding] = useState(false);

  useEffect(() => {
    document.title = `${TITLES[route.view]} · Jira Mirror`;
  }, [route.view]);

  let content;
  if (instances.data === null) {
    content = (
      <main className="page page-loading" id="main">
        {instances.error ? <LoadError what="the app" message={instances.error} onRetry={instances.reload} /> : <Spinner label="Loading" />}
      </main>
    );
  } else if (instances.data.length === 0 || onboarding) {
    content = (
      <FirstRun
        onBusyChange={setOnboarding}
        onReady={() => {
          setOnboarding(false);
          instances.reload();
          navigate({ view: 'dashboard' });
        }}
      />
    );
  } else {
    content = (
      <div className="layout">
        <Sidebar current={route.view} />
        <main className="page" id="main" tabIndex={-1}>
          <CurrentView route={route} instances={instances.data} />
        </main>
      </div>
    );
  }
  return (
    <div className="app">
      <a
        className="skip-link"
        href="#main"
        onClick={(event) => {
          // A plain jump to #main would change the route: move the focus instead.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      {content}
    </div>
  );
}

function CurrentView({ route, instances }: { route: Route; instances: Instance[] }) {
  switch (route.view) {
    case 'history':
      return <HistoryView route={route} instances={instances} />;
    case 'runs':
      return <RunView route={route} />;
    case 'issues':
      return <IssuesView route={route} instances={instances} />;
    case 'analytics':
      return <AnalyticsView route={route} />;
    case 'settings':
      return <SettingsView route={route} />;
    case 'instances':
      return <InstancesView route={route} instances={instances} />;
    default:
      return <DashboardView route={route} />;
  }
}

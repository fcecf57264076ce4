import type { View } from '../lib/router.ts';
import { useLiveSync } from '../lib/liveSync.tsx';
import { Spinner } from './StatusBadge.tsx';

export const NAV_ITEMS: Array<{ view: View; label: string; also?: View[] }> = [
  { view: 'dashboard', label: 'Dashboard' },
  { view: 'history', label: 'History', also: ['runs'] },
  { view: 'issues', label: 'Issues' },
  { view: 'analytics', label: 'Analytics' },
  { view: 'settings', label: 'Settings' },
  { view: 'instances', label: 'Instances' },
];

/** The persistent navigation: real links (hash routes), the current view marked for assistive technology. */
export function Sidebar({ current }: { current: View }) {
  const live = useLiveSync();
  return (
    <nav className="sidebar" aria-label="Main">
      <a className="brand" href="#/dashboard">
        <span className="brand-mark" aria-hidden="true">
          JM
        </span>
        <span className="brand-name">Jira Mirror</span>
      </a>
      <ul className="nav-list">
        {NAV_ITEMS.map((item) => {
          const active = item.view === current || (item.also ?? []).includes(current);
          return (
            <li key={item.view}>
              <a className="nav-link" href={`#/${item.view}`} aria-current={active ? 'page' : undefined} data-testid={`nav-${item.view}`}>
                {item.label}
              </a>
            </li>
          );
        })}
      </ul>
      {live.activeRunId && (
        <a className="nav-live" href={`#/runs/${live.activeRunId}`} data-testid="nav-live">
          <Spinner /> Sync running
        </a>
      )}
    </nav>
  );
}

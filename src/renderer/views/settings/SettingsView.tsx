/**
 * Settings, one sub-section per URL (`#/settings/performance` … `/audit`): performance, the desktop
 * preferences and schedule, retention, the metrics endpoint, webhooks, and the audit of all changes.
 */
import { useState } from 'react';
import { Tabs } from '../../components/Tabs.tsx';
import { formatRoute, type Route } from '../../lib/router.ts';
import { useParamUpdater } from '../../lib/useRoute.ts';
import { AuditTrail } from './AuditTrail.tsx';
import { DesktopSection } from './DesktopSection.tsx';
import { MetricsSection } from './MetricsSection.tsx';
import { PerformanceSection } from './PerformanceSection.tsx';
import { RetentionSection } from './RetentionSection.tsx';
import { auditFilter, SETTINGS_SECTIONS, settingsSection, type SettingsSection } from './settingsSections.ts';
import { WebhooksSection } from './WebhooksSection.tsx';

const SUBTITLES: Record<SettingsSection, string> = {
  performance: 'Performance of every sync. Changes apply to a running sync from its next request.',
  desktop: 'When the app syncs by itself, and how it behaves on your desktop.',
  retention: 'How long the history keeps its details; daily summaries keep the trends exact.',
  metrics: 'An opt-in Prometheus endpoint on this computer (127.0.0.1 only).',
  webhooks: 'Signed HTTP notifications to your services when syncs end or fail.',
  audit: 'Every saved change of every configuration: who, when, why, before → after.',
};

export function SettingsView({ route }: { route: Route }) {
  const section = settingsSection(route);
  const update = useParamUpdater(route);
  const [notice, setNotice] = useState<{ section: SettingsSection; text: string } | null>(null);
  const onSaved = (text: string) => setNotice({ section, text });
  return (
    <div data-testid="settings" data-section={section}>
      <div className="page-head">
        <div>
          <h1>Settings</h1>
          <p className="page-sub">{SUBTITLES[section]}</p>
        </div>
      </div>
      <Tabs
        label="Settings"
        tabs={SETTINGS_SECTIONS.map((s) => ({ id: s.id, label: s.label }))}
        current={section}
        hrefOf={(id) => formatRoute({ view: 'settings', segments: [id] })}
      />
      <div id="tab-panel" role="tabpanel" aria-labelledby={`tab-${section}`} className="tab-panel settings-panel">
        {notice?.section === section && (
          <div className="alert alert-success" role="status" data-testid="settings-saved">
            {notice.text}
          </div>
        )}
        {section === 'performance' && <PerformanceSection onSaved={onSaved} />}
        {section === 'desktop' && <DesktopSection onSaved={onSaved} />}
        {section === 'retention' && <RetentionSection onSaved={onSaved} />}
        {section === 'metrics' && <MetricsSection onSaved={onSaved} />}
        {section === 'webhooks' && <WebhooksSection route={route} />}
        {section === 'audit' && (
          <AuditTrail
            {...auditFilter(route.params)}
            onPage={(page) => update({ page: page || undefined }, { replace: true })}
            onType={(type) => update({ type }, { replace: true })}
          />
        )}
      </div>
    </div>
  );
}

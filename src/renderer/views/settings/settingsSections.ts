/** Settings' sub-sections, each a URL (`#/settings/webhooks`), and the audit filter in the route. Pure. */
import { CONFIG_TYPES, type ConfigType } from '../../../shared/operations.ts';
import { intParam, oneOf, type Route } from '../../lib/router.ts';

export const SETTINGS_SECTIONS = [
  { id: 'performance', label: 'Performance' },
  { id: 'desktop', label: 'Desktop & schedule' },
  { id: 'retention', label: 'Retention' },
  { id: 'metrics', label: 'Metrics endpoint' },
  { id: 'webhooks', label: 'Webhooks' },
  { id: 'audit', label: 'Audit' },
] as const;

export type SettingsSection = (typeof SETTINGS_SECTIONS)[number]['id'];
const SECTION_IDS = SETTINGS_SECTIONS.map((s) => s.id);

/** `#/settings` and unknown sections show Performance (the links of earlier versions keep working). */
export function settingsSection(route: Pick<Route, 'segments'>): SettingsSection {
  return oneOf(route.segments[0], SECTION_IDS, 'performance');
}

/** The audit section's filter and page: `#/settings/audit?type=retention&page=2`. */
export function auditFilter(params: Record<string, string>): { type?: ConfigType; page: number } {
  const type = oneOf(params.type, CONFIG_TYPES);
  return { ...(type ? { type } : {}), page: intParam(params.page, 0) };
}

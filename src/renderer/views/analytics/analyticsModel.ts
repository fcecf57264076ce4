/** Pure logic of the Analytics view: its period from the URL, tones, labels and the heatmap grid. */
import type { BestTime, HealthBand, TimeBucket } from '../../../shared/analytics.ts';
import { intParam, type Route } from '../../lib/router.ts';

export const ANALYTICS_PERIODS = [7, 30, 90] as const;
export const DEFAULT_ANALYTICS_DAYS = 30;
export const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** Shades of the heatmap, from the cheapest bucket (0) to the dearest (HEAT_LEVELS − 1). */
export const HEAT_LEVELS = 5;

export function analyticsDays(route: Route): number {
  return ANALYTICS_PERIODS.find((p) => p === intParam(route.params.days, DEFAULT_ANALYTICS_DAYS)) ?? DEFAULT_ANALYTICS_DAYS;
}

export function bandTone(band: HealthBand): 'ok' | 'warning' | 'danger' | 'neutral' {
  return band === 'healthy' ? 'ok' : band === 'warning' ? 'warning' : band === 'degraded' ? 'danger' : 'neutral';
}

export const BAND_LABELS: Record<HealthBand, string> = {
  healthy: 'Healthy',
  warning: 'Warning',
  degraded: 'Degraded',
  none: 'No score yet',
};

export function hourLabel(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

export function bucketLabel(bucket: Pick<TimeBucket, 'weekday' | 'hour'>): string {
  return bucket.weekday === null ? hourLabel(bucket.hour) : `${WEEKDAYS[bucket.weekday]} ${hourLabel(bucket.hour)}`;
}

/** The shade of a bucket's cost between the cheapest and the dearest bucket of the answer. */
export function heatLevel(cost: number, min: number, max: number): number {
  if (max <= min) return 0;
  return Math.min(HEAT_LEVELS - 1, Math.floor(((cost - min) / (max - min)) * HEAT_LEVELS));
}

export interface HeatCell {
  bucket: TimeBucket | null;
  level: number | null;
}

/** Rows of the heatmap: 7 weekdays × 24 hours (or one row of 24 hours), empty cells where no sync ran. */
export function heatmapRows(answer: BestTime): Array<{ label: string; cells: HeatCell[] }> {
  const costs = answer.buckets.map((b) => b.cost);
  const min = Math.min(...costs);
  const max = Math.max(...costs);
  const byKey = new Map(answer.buckets.map((b) => [`${b.weekday ?? '-'}:${b.hour}`, b]));
  const rows =
    answer.granularity === 'hour-of-week' ? WEEKDAYS.map((label, weekday) => ({ label, weekday })) : [{ label: 'Any day', weekday: null }];
  return rows.map(({ label, weekday }) => ({
    label,
    cells: Array.from({ length: 24 }, (_, hour) => {
      const bucket = byKey.get(`${weekday ?? '-'}:${hour}`) ?? null;
      return { bucket, level: bucket ? heatLevel(bucket.cost, min, max) : null };
    }),
  }));
}

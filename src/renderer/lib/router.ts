/**
 * Hash routing: every view, filter, run and tab lives in the URL (`#/history?status=failed&page=2`),
 * so each is deep-linkable and survives a reload. Pure parsing and formatting here; the hook in
 * useRoute.ts connects it to `location.hash`.
 */

export const VIEWS = ['dashboard', 'history', 'runs', 'issues', 'analytics', 'settings', 'instances'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** Path segments after the view: `#/runs/<id>/metrics` → ['<id>', 'metrics']. */
  segments: string[];
  params: Record<string, string>;
}

export const DEFAULT_ROUTE: Route = { view: 'dashboard', segments: [], params: {} };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?', 2);
  const [first, ...segments] = path
    .split('/')
    .filter((s) => s !== '')
    .map(safeDecode);
  if (!first || !(VIEWS as readonly string[]).includes(first)) return DEFAULT_ROUTE;
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) if (value !== '') params[key] = value;
  return { view: first as View, segments, params };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `{view: 'history', params: {status: 'failed'}}` → `#/history?status=failed` (empty params dropped, keys sorted). */
export function formatRoute(route: {
  view: View;
  segments?: string[];
  params?: Record<string, string | number | undefined | null>;
}): string {
  const path = [route.view, ...(route.segments ?? [])].map(encodeURIComponent).join('/');
  const query = new URLSearchParams();
  for (const key of Object.keys(route.params ?? {}).sort()) {
    const value = route.params![key];
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  }
  const search = query.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

/** A whole number ≥ min from a param, or the fallback. */
export function intParam(value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined || !/^\d+$/.test(value)) return fallback;
  const n = Number(value);
  return n >= min ? n : fallback;
}

/** One of the allowed values, or the fallback. */
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T;
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined;
export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback?: T): T | undefined {
  return value !== undefined && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

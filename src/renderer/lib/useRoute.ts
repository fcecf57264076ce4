import { useCallback, useSyncExternalStore } from 'react';
import { formatRoute, parseHash, type Route, type View } from './router.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

export interface RouteTarget {
  view: View;
  segments?: string[];
  params?: Record<string, string | number | undefined | null>;
}

/** Goes to a route; `replace` for changes that should not add a Back step (typing in a filter). */
export function navigate(target: RouteTarget, options: { replace?: boolean } = {}): void {
  const hash = formatRoute(target);
  if (hash === window.location.hash) return;
  if (options.replace) {
    window.history.replaceState(window.history.state, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.assign(hash);
  }
}

/** The current route, re-rendered on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, currentHash, currentHash);
  return parseHash(hash);
}

/** Updates some params of the current view, keeping the rest (and resetting `page` unless given). */
export function useParamUpdater(
  route: Route,
): (patch: Record<string, string | number | undefined | null>, options?: { replace?: boolean }) => void {
  return useCallback(
    (patch, options = {}) => {
      const params: Record<string, string | number | undefined | null> = { ...route.params, page: undefined, ...patch };
      navigate({ view: route.view, segments: route.segments, params }, options);
    },
    [route],
  );
}

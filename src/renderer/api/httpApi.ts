/**
 * The contract carried over HTTP, for the browser preview (src/web/previewServer.ts):
 * `POST /api/call/:name` with a bearer token for calls, one EventSource on `/api/events` for events.
 * The only place in the renderer that talks to the network directly.
 */
import { CALL_NAMES, EVENT_NAMES, ERROR_CODES } from '../../shared/names.ts';
import type { ApiError, EventName, Events, JiraMirrorApi, Result } from '../../shared/contract.ts';

export const TOKEN_STORAGE_KEY = 'jiraMirror.previewToken';

/** What the HTTP client needs from the browser; injectable for tests. */
export interface HttpApiEnv {
  fetch: typeof fetch;
  EventSource: new (url: string) => EventSource;
  /** Base URL of the preview server, e.g. `http://127.0.0.1:5123`. */
  origin: string;
  token: string | null;
}

/**
 * Reads the token from `?token=` of the page URL (the link the preview prints), keeps it in
 * sessionStorage so reloads work, and removes it from the address bar.
 */
export function takeTokenFromLocation(
  location: Location = window.location,
  storage: Storage = window.sessionStorage,
  history: History = window.history,
): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be unavailable (privacy mode); the token still works for this page's life.
    }
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return storage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  const v = value as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'data' in v;
  return v.ok === false && typeof v.error?.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(v.error.code);
}

function failure(error: ApiError): Result<never> {
  return { ok: false, error };
}

export function createHttpApi(env: HttpApiEnv): JiraMirrorApi {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let source: EventSource | null = null;

  async function call(name: string, input: unknown): Promise<Result<unknown>> {
    if (!env.token) {
      return failure({ code: 'UNAVAILABLE', message: 'No preview token: open the URL printed by the preview server.' });
    }
    let response: Response;
    try {
      response = await env.fetch(`${env.origin}/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${env.token}` },
        body: JSON.stringify(input ?? {}),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      return failure({ code: 'UNAVAILABLE', message: 'The preview server is not reachable. Is it still running?' });
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (isResult(body)) return body;
    return failure({ code: 'UNAVAILABLE', message: `Unexpected answer from the preview server (HTTP ${response.status}).` });
  }

  function ensureSource(): void {
    if (source || !env.token) return;
    source = new env.EventSource(`${env.origin}/api/events?token=${encodeURIComponent(env.token)}`);
    for (const event of EVENT_NAMES) {
      source.addEventListener(event, (message) => {
        let payload: unknown;
        try {
          payload = JSON.parse((message as MessageEvent<string>).data);
        } catch {
          return;
        }
        for (const listener of listeners.get(event) ?? []) listener(payload as never);
      });
    }
  }

  const api: Record<string, unknown> = {
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      ensureSource();
      return () => {
        set.delete(entry);
      };
    },
  };
  for (const name of CALL_NAMES) api[name] = (input: unknown) => call(name, input);
  return api as JiraMirrorApi;
}

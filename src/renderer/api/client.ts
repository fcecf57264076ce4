/**
 * The renderer's one entry to the back end: Electron's preload object when present, otherwise the
 * browser preview's HTTP client. Both satisfy the same `JiraMirrorApi`, so pages cannot tell which
 * host they run in.
 */
import type { JiraMirrorApi } from '../../shared/contract.ts';
import { createHttpApi, takeTokenFromLocation } from './httpApi.ts';

export { ApiCallError, errorMessage, unwrap } from './errors.ts';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge) as exactly `JiraMirrorApi`. */
    jiraMirror?: JiraMirrorApi;
  }
}

let api: JiraMirrorApi | null = null;

export function getApi(): JiraMirrorApi {
  if (api) return api;
  if (window.jiraMirror) {
    api = window.jiraMirror;
  } else {
    api = createHttpApi({
      fetch: window.fetch.bind(window),
      EventSource: window.EventSource,
      origin: window.location.origin,
      token: takeTokenFromLocation(),
    });
  }
  return api;
}

/** The desktop app (the Electron preload is present) rather than the browser preview: tray and OS notifications exist only there. */
export function isDesktopHost(): boolean {
  return window.jiraMirror !== undefined;
}

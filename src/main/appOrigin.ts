/**
 * The app's own origin and the one origin comparison every security check uses. Electron-free.
 *
 * The renderer is served from `app://jira-mirror/` (see protocol.ts). Node's WHATWG `URL` gives
 * non-special schemes such as `app:` an opaque origin (`new URL('app://x/').origin === 'null'`), so
 * origins are computed here from scheme + host instead of `URL#origin`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'jira-mirror';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/** `scheme://host[:port]` of an absolute URL (lower-cased), or null when it has none. */
export function originOf(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!parsed.host) return null;
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/** True when `url` belongs to one of `trustedOrigins` (by parsed origin, never by string prefix). */
export function isTrustedUrl(url: string, trustedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  const origin = originOf(url);
  return origin !== null && trustedOrigins.some((trusted) => originOf(trusted) === origin);
}

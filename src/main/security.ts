/**
 * Hardening applied to every webContents (via `app.on('web-contents-created')`) and to the session:
 * no navigation away from the app, no new windows (https links go to the system browser), no
 * <webview>, no permissions. The decisions are pure functions; the wiring takes its collaborators
 * as parameters so it is testable with fakes.
 */
import type { Session, WebContents } from 'electron';
import { APP_ORIGIN, isTrustedUrl } from './appOrigin.ts';

/** Main-frame navigation stays within the app's own origin(s). */
export function isNavigationAllowed(url: string, trustedOrigins: readonly string[] = [APP_ORIGIN]): boolean {
  return isTrustedUrl(url, trustedOrigins);
}

/**
 * The URL to hand to the system browser, or null: only parsed `https:` URLs without embedded
 * credentials (so `javascript:`, `file:`, `http:`, `smb:`, `https-evil:` … are never opened).
 */
export function externalUrlToOpen(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || !parsed.hostname || parsed.username || parsed.password) return null;
  return parsed.href;
}

export interface HardeningOptions {
  trustedOrigins?: readonly string[];
  openExternal: (url: string) => Promise<void>;
  log?: (message: string) => void;
}

type HardenableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

export function hardenWebContents(contents: HardenableContents, options: HardeningOptions): void {
  const trusted = options.trustedOrigins ?? [APP_ORIGIN];
  const log = options.log ?? ((message: string) => console.warn(message));
  const openOutside = (url: string): void => {
    const external = externalUrlToOpen(url);
    if (!external) {
      log(`[security] blocked ${url}`);
      return;
    }
    options.openExternal(external).catch((error: unknown) => log(`[security] could not open ${external}: ${String(error)}`));
  };

  contents.on('will-navigate', (event) => {
    if (isNavigationAllowed(event.url, trusted)) return;
    event.preventDefault();
    openOutside(event.url);
  });
  contents.on('will-redirect', (event) => {
    if (isNavigationAllowed(event.url, trusted)) return;
    event.preventDefault();
    log(`[security] blocked redirect to ${event.url}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log('[security] blocked <webview>');
  });
}

/** The app needs no browser permission (camera, notifications from the page, geolocation, …). */
export function denyAllPermissions(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

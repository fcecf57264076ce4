import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => ({}));

import { APP_ORIGIN, isTrustedUrl, originOf } from '../../src/main/appOrigin.ts';
import { denyAllPermissions, externalUrlToOpen, hardenWebContents, isNavigationAllowed } from '../../src/main/security.ts';

describe('origin checks', () => {
  it('computes the app origin although Node gives app: URLs an opaque origin', () => {
    expect(new URL('app://jira-mirror/index.html').origin).toBe('null');
    expect(originOf('app://jira-mirror/index.html')).toBe(APP_ORIGIN);
  });

  it.each([
    ['app://jira-mirror/index.html', true],
    ['app://jira-mirror/history?x=1#y', true],
    ['app://user@jira-mirror/', true],
    ['app://jira-mirror.evil.example/', false],
    ['app://evil.example/?jira-mirror', false],
    ['app://jira-mirror:1234/', false],
    ['https://jira-mirror/', false],
    ['https://example.atlassian.net/browse/X-1', false],
    ['file:///index.html', false],
    ['about:blank', false],
    ['javascript:alert(1)', false],
    ['', false],
  ])('navigation to %s allowed: %s', (url, allowed) => {
    expect(isNavigationAllowed(url)).toBe(allowed);
    expect(isTrustedUrl(url)).toBe(allowed);
  });
});

describe('externalUrlToOpen', () => {
  it.each([
    ['https://example.atlassian.net/browse/PROJ-1', 'https://example.atlassian.net/browse/PROJ-1'],
    ['HTTPS://Example.COM/a b', 'https://example.com/a%20b'],
  ])('opens https %s', (url, expected) => {
    expect(externalUrlToOpen(url)).toBe(expected);
  });

  it.each([
    'http://example.com/',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'smb://server/share',
    'https-evil://example.com/',
    'httpsx://example.com/',
    'ms-msdt:/id',
    'https://user:pass@example.com/',
    'app://jira-mirror/index.html',
    'https//example.com',
    'not a url',
  ])('refuses %s', (url) => {
    expect(externalUrlToOpen(url)).toBeNull();
  });
});

class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

function hardened() {
  const contents = new FakeContents();
  const openExternal = vi.fn(async (_url: string) => {});
  const log = vi.fn();
  hardenWebContents(contents as never, { openExternal, log });
  const navigate = (type: 'will-navigate' | 'will-redirect', url: string) => {
    const event = { url, preventDefault: vi.fn() };
    contents.emit(type, event, url);
    return event.preventDefault;
  };
  return { contents, openExternal, log, navigate };
}

describe('hardenWebContents', () => {
  it('allows navigation within the app', () => {
    const { navigate, openExternal } = hardened();
    expect(navigate('will-navigate', 'app://jira-mirror/history')).not.toHaveBeenCalled();
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('blocks navigation to another origin, handing https links to the system browser', () => {
    const { navigate, openExternal } = hardened();
    expect(navigate('will-navigate', 'https://example.atlassian.net/browse/PROJ-1')).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://example.atlassian.net/browse/PROJ-1');
  });

  it('blocks navigation to file:, http: and javascript: without opening anything', () => {
    const { navigate, openExternal } = hardened();
    for (const url of ['file:///etc/passwd', 'http://example.com/', 'javascript:alert(1)']) {
      expect(navigate('will-navigate', url)).toHaveBeenCalled();
    }
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('blocks redirects to other origins', () => {
    const { navigate } = hardened();
    expect(navigate('will-redirect', 'https://evil.example/')).toHaveBeenCalled();
    expect(navigate('will-redirect', 'app://jira-mirror/index.html')).not.toHaveBeenCalled();
  });

  it('denies every window.open, opening only https URLs externally', () => {
    const { contents, openExternal } = hardened();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/x' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://jira-mirror/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'http://example.com/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/x');
  });

  it('denies <webview>', () => {
    const { contents } = hardened();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('logs, not throws, when the system browser cannot be opened', async () => {
    const contents = new FakeContents();
    const log = vi.fn();
    hardenWebContents(contents as never, { openExternal: async () => Promise.reject(new Error('no browser')), log });
    contents.windowOpenHandler?.({ url: 'https://example.com/' });
    await vi.waitFor(() => expect(log).toHaveBeenCalledWith(expect.stringContaining('no browser')));
  });
});

describe('denyAllPermissions', () => {
  it('denies permission requests, checks and devices', () => {
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    denyAllPermissions(session as never);
    const request = session.setPermissionRequestHandler.mock.calls[0]?.[0] as (wc: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const callback = vi.fn();
      request({}, permission, callback);
      expect(callback).toHaveBeenCalledWith(false);
    }
    const check = session.setPermissionCheckHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(check(null, 'media', 'app://jira-mirror', {})).toBe(false);
    const device = session.setDevicePermissionHandler.mock.calls[0]?.[0] as (...args: unknown[]) => boolean;
    expect(device({})).toBe(false);
  });
});

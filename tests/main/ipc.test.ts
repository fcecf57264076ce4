import { describe, expect, it, vi } from 'vitest';

// ipc.ts imports only Electron's types; the mock guarantees nothing reaches the real package.
vi.mock('electron', () => ({}));

import { CALL_NAMES } from '../../src/shared/contract.ts';
import type { EventName, Events, Result } from '../../src/shared/contract.ts';
import type { EventListener } from '../../src/service/events.ts';
import { EVENT_CHANNEL } from '../../src/preload/channels.ts';
import { isTrustedSender, REFUSED_SENDER, registerIpc } from '../../src/main/ipc.ts';

type Handler = (event: unknown, input: unknown) => Promise<Result<unknown>>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => {
      handlers.delete(channel);
    }),
  };
}

function fakeBackend() {
  const listeners = new Set<EventListener>();
  return {
    listeners,
    dispatch: vi.fn(async (name: string, input: unknown): Promise<Result<unknown>> => ({ ok: true, data: { name, input } })),
    subscribe: vi.fn((listener: EventListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emit<E extends EventName>(event: E, payload: Events[E]) {
      for (const listener of listeners) listener(event, payload);
    },
  };
}

function fakeContents(url = 'app://jira-mirror/index.html', destroyed = false) {
  return { send: vi.fn(), isDestroyed: () => destroyed, getURL: () => url };
}

const mainFrame = (url: string) => ({ senderFrame: { url, parent: null } });
const subFrame = (url: string) => ({ senderFrame: { url, parent: { url: 'app://jira-mirror/index.html', parent: null } } });

function setup(targets = [fakeContents()]) {
  const ipcMain = fakeIpcMain();
  const backend = fakeBackend();
  const log = vi.fn();
  const dispose = registerIpc({ ipcMain, backend, getEventTargets: () => targets, log });
  const invoke = (channel: string, event: unknown, input: unknown) => {
    const handler = ipcMain.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, input);
  };
  return { ipcMain, backend, dispose, invoke, log, targets };
}

describe('registerIpc', () => {
  it('registers one handler per contract call, on jira-mirror:<name>, and nothing else', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.handlers.keys()].sort()).toEqual(CALL_NAMES.map((name) => `jira-mirror:${name}`).sort());
    expect(ipcMain.handle).toHaveBeenCalledTimes(CALL_NAMES.length);
  });

  it('relays a call from the app main frame to backend.dispatch with the input, and returns its result', async () => {
    const { invoke, backend } = setup();
    const input = { limit: 10, offset: 0 };
    const result = await invoke('jira-mirror:listRuns', mainFrame('app://jira-mirror/index.html'), input);
    expect(backend.dispatch).toHaveBeenCalledExactlyOnceWith('listRuns', input);
    expect(result).toEqual({ ok: true, data: { name: 'listRuns', input } });
  });

  it('passes invalid input through unchanged: validation is the back end’s job', async () => {
    const { invoke, backend } = setup();
    await invoke('jira-mirror:getRun', mainFrame('app://jira-mirror/'), { id: 42, extra: true });
    expect(backend.dispatch).toHaveBeenCalledWith('getRun', { id: 42, extra: true });
  });

  it.each([
    ['a sub-frame of the app', subFrame('app://jira-mirror/index.html')],
    ['a foreign https origin', mainFrame('https://evil.example/index.html')],
    ['a file:// page', mainFrame('file:///tmp/index.html')],
    ['a look-alike host', mainFrame('app://jira-mirror.evil.example/index.html')],
    ['another port', mainFrame('app://jira-mirror:8080/index.html')],
    ['another scheme, same host', mainFrame('http://jira-mirror/index.html')],
    ['about:blank', mainFrame('about:blank')],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses a call from %s with UNAVAILABLE and never reaches the back end', async (_label, event) => {
    const { invoke, backend, log } = setup();
    const result = await invoke('jira-mirror:addInstance', event, { name: 'x', url: 'https://x', flavor: 'cloud', token: 't' });
    expect(result).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: expect.any(String) } });
    expect(result).toBe(REFUSED_SENDER);
    expect(backend.dispatch).not.toHaveBeenCalled();
    expect(log).toHaveBeenCalledWith(expect.stringContaining('refused addInstance'));
  });

  it('turns an unexpected throw from dispatch into an INTERNAL error value', async () => {
    const { invoke, backend } = setup();
    backend.dispatch.mockRejectedValueOnce(new Error('boom'));
    await expect(invoke('jira-mirror:listInstances', mainFrame('app://jira-mirror/'), {})).resolves.toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });

  it('forwards push events to every live app window on jira-mirror:event, as (eventName, payload)', () => {
    const live = fakeContents();
    const other = fakeContents('app://jira-mirror/history');
    const destroyed = fakeContents('app://jira-mirror/index.html', true);
    const foreign = fakeContents('https://evil.example/');
    const { backend } = setup([live, other, destroyed, foreign]);
    backend.emit('instancesChanged', {});
    expect(live.send).toHaveBeenCalledExactlyOnceWith(EVENT_CHANNEL, 'instancesChanged', {});
    expect(other.send).toHaveBeenCalledExactlyOnceWith('jira-mirror:event', 'instancesChanged', {});
    expect(destroyed.send).not.toHaveBeenCalled();
    expect(foreign.send).not.toHaveBeenCalled();
  });

  it('the disposer removes every handler and the event subscription', () => {
    const { ipcMain, backend, dispose, targets } = setup();
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(CALL_NAMES.length);
    backend.emit('instancesChanged', {});
    expect(targets[0]?.send).not.toHaveBeenCalled();
  });

  it('accepts an extra trusted origin (the electron-vite dev server) only when given', async () => {
    const ipcMain = fakeIpcMain();
    const backend = fakeBackend();
    registerIpc({ ipcMain, backend, getEventTargets: () => [], trustedOrigins: ['app://jira-mirror', 'http://localhost:5173'] });
    await ipcMain.handlers.get('jira-mirror:listInstances')?.(mainFrame('http://localhost:5173/'), {});
    expect(backend.dispatch).toHaveBeenCalledOnce();
    expect(isTrustedSender(mainFrame('http://localhost:5173/') as never)).toBe(false);
  });
});

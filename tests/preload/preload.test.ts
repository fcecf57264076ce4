import type { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES, EVENT_NAMES } from '../../src/shared/contract.ts';
import type { JiraMirrorApi } from '../../src/shared/contract.ts';

const h = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  return {
    exposed,
    exposeCalls: [] as string[],
    ipcRenderer: null as unknown as {
      invoke: ReturnType<typeof vi.fn>;
      on: ReturnType<typeof vi.fn>;
      removeListener: ReturnType<typeof vi.fn>;
      emitter: EventEmitter;
    },
  };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const emitter = new Emitter();
  h.ipcRenderer = {
    emitter,
    invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, data: { channel, input } })),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => emitter.on(channel, listener)),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => emitter.removeListener(channel, listener)),
  };
  return {
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => {
        h.exposeCalls.push(key);
        h.exposed.set(key, value);
      },
    },
    ipcRenderer: h.ipcRenderer,
  };
});

await import('../../src/preload/index.ts');
const api = h.exposed.get('jiraMirror') as JiraMirrorApi;

/** What main sends: webContents.send('jira-mirror:event', name, payload) arrives as (IpcRendererEvent, name, payload). */
function push(name: string, payload: unknown) {
  const ipcEvent = { sender: { secret: 'ipcRenderer' }, senderId: 0, ports: [] };
  h.ipcRenderer.emitter.emit('jira-mirror:event', ipcEvent, name, payload);
}

beforeEach(() => {
  h.ipcRenderer.invoke.mockClear();
});

describe('preload', () => {
  it('exposes exactly one object, as window.jiraMirror', () => {
    expect(h.exposeCalls).toEqual(['jiraMirror']);
  });

  it('exposes exactly the contract’s calls plus on — no ipcRenderer, no generic invoke', () => {
    expect(Object.keys(api).sort()).toEqual([...CALL_NAMES, 'on'].sort());
    for (const value of Object.values(api)) expect(typeof value).toBe('function');
    expect(api).not.toHaveProperty('invoke');
    expect(api).not.toHaveProperty('ipcRenderer');
    expect(api).not.toHaveProperty('send');
  });

  it.each(CALL_NAMES)('%s invokes its own channel with the input and returns the result', async (name) => {
    const input = { marker: name };
    const call = api[name] as (input: unknown) => Promise<unknown>;
    expect(call.name).toBe(name);
    await expect(call(input)).resolves.toEqual({ ok: true, data: { channel: `jira-mirror:${name}`, input } });
    expect(h.ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(`jira-mirror:${name}`, input);
  });

  it('on() rejects unknown events and non-function listeners', () => {
    expect(() => api.on('nope' as never, () => {})).toThrow(/unknown event "nope"/);
    expect(() => api.on('__proto__' as never, () => {})).toThrow(TypeError);
    expect(() => api.on('runUpdated', 'not a function' as never)).toThrow(/listener must be a function/);
  });

  it('on() delivers only the payload (never the IpcRendererEvent), only for its event', () => {
    const runs: unknown[][] = [];
    const instances: unknown[][] = [];
    const offRuns = api.on('runUpdated', (...args: unknown[]) => runs.push(args));
    const offInstances = api.on('instancesChanged', (...args: unknown[]) => instances.push(args));

    push('runUpdated', { id: 'r1' });
    push('instancesChanged', {});
    push('somethingElse', { x: 1 });

    expect(runs).toEqual([[{ id: 'r1' }]]);
    expect(instances).toEqual([[{}]]);
    offRuns();
    offInstances();
  });

  it('unsubscribing stops delivery; all events share one IPC listener', () => {
    const received: unknown[] = [];
    const offs = EVENT_NAMES.map((event) => api.on(event, (payload) => received.push(payload)));
    expect(h.ipcRenderer.emitter.listenerCount('jira-mirror:event')).toBe(1);
    push('syncProgress', { runId: 'r1' });
    expect(received).toEqual([{ runId: 'r1' }]);
    for (const off of offs) off();
    push('syncProgress', { runId: 'r2' });
    expect(received).toHaveLength(1);
  });

  it('only ever listens on jira-mirror:event', () => {
    api.on('runUpdated', () => {});
    for (const [channel] of h.ipcRenderer.on.mock.calls) expect(channel).toBe('jira-mirror:event');
  });
});

/**
 * Builds the object the renderer sees as `window.jiraMirror`: one named function per contract call
 * (each invoking only its own channel) plus `on` for the push events. Never a generic invoke, never
 * ipcRenderer itself. Takes the ipcRenderer as a parameter so it is testable without Electron.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '../shared/names.ts';
import type { CallName, EventName, Events, JiraMirrorApi } from '../shared/contract.ts';
import { EVENT_CHANNEL, callChannel } from './channels.ts';

type Ipc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;
type CallFunctions = Pick<JiraMirrorApi, CallName>;

function callFunction<K extends CallName>(ipc: Ipc, name: K): JiraMirrorApi[K] {
  const channel = callChannel(name);
  const fn = (input: Parameters<JiraMirrorApi[K]>[0]) => ipc.invoke(channel, input);
  Object.defineProperty(fn, 'name', { value: name });
  return fn as JiraMirrorApi[K];
}

export function createApi(ipc: Ipc): JiraMirrorApi {
  const calls = Object.fromEntries(CALL_NAMES.map((name) => [name, callFunction(ipc, name)])) as CallFunctions;

  // One IPC listener for all subscriptions (no MaxListeners warnings), attached on first use.
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  let relay: ((event: IpcRendererEvent, name: unknown, payload: unknown) => void) | null = null;

  function on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
    if (!EVENT_NAMES.includes(event)) {
      throw new TypeError(`jiraMirror.on: unknown event "${String(event)}" (expected one of: ${EVENT_NAMES.join(', ')})`);
    }
    if (typeof listener !== 'function') throw new TypeError('jiraMirror.on: listener must be a function');
    if (!relay) {
      relay = (_ipcEvent, name, payload) => {
        // The listener gets the payload only: the IpcRendererEvent (with its `sender`) never leaves the preload.
        for (const subscriber of listeners.get(name as EventName) ?? []) (subscriber as (payload: unknown) => void)(payload);
      };
      ipc.on(EVENT_CHANNEL, relay);
    }
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    // A fresh wrapper per subscription, so subscribing the same function twice needs two unsubscribes.
    const subscriber = (payload: Events[E]): void => listener(payload);
    set.add(subscriber as (payload: never) => void);
    return () => {
      set.delete(subscriber as (payload: never) => void);
    };
  }

  return { ...calls, on } satisfies JiraMirrorApi;
}

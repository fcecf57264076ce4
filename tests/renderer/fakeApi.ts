/**
 * A stand-in for `window.jiraMirror` in component tests (jsdom): each call answers from a handler
 * the test sets (a Result, like the real transports), every call is recorded, and push events are
 * emitted by the test. The renderer code under test is the real one.
 */
import type { ApiError, CallName, EventName, Events, JiraMirrorApi, Result } from '../../src/shared/contract.ts';
import { CALL_NAMES } from '../../src/shared/names.ts';

type Handler = (input: unknown) => Result<unknown> | Promise<Result<unknown>>;

export interface FakeApi {
  /** Answers the call through `handler`. */
  handle(name: CallName, handler: Handler): void;
  /** Answers the call with this data, always. */
  respond(name: CallName, data: unknown): void;
  calls: Array<{ name: CallName; input: unknown }>;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  reset(): void;
}

export const ok = <T>(data: T): Result<T> => ({ ok: true, data });
export const fail = (error: ApiError): Result<never> => ({ ok: false, error });

/** Installs the fake as `window.jiraMirror` (before the renderer's first getApi()). */
export function installFakeApi(): FakeApi {
  const handlers = new Map<CallName, Handler>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const fake: FakeApi = {
    calls: [],
    handle(name, handler) {
      handlers.set(name, handler);
    },
    respond(name, data) {
      handlers.set(name, () => ok(data));
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
    reset() {
      handlers.clear();
      fake.calls.length = 0;
    },
  };
  const api: Record<string, unknown> = {
    on(event: EventName, listener: (payload: unknown) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  for (const name of CALL_NAMES) {
    api[name] = async (input: unknown) => {
      fake.calls.push({ name, input });
      const handler = handlers.get(name);
      if (!handler) return fail({ code: 'INTERNAL', message: `no fake answer for ${name}` });
      return handler(input);
    };
  }
  window.jiraMirror = api as JiraMirrorApi;
  return fake;
}

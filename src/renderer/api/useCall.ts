/**
 * The renderer's one way to read from the back end: `useCall(name, input)` runs a contract call
 * and re-runs it when its input changes, when asked (`reload`), or when one of the given push
 * events arrives (throttled, so a running sync refreshes a view a few times a second at most; a
 * run's end is not throttled: it moves every aggregate, and a view a few seconds behind it would
 * contradict the ones already refreshed).
 * The previous answer stays on screen while a new one loads: no layout jump, no flash of empty.
 * Writes go through `callApi`, which throws an ApiCallError (with per-field messages) on failure.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallInput, CallName, CallOutput, EventName, Result } from '../../shared/contract.ts';
import type { Run } from '../../shared/model.ts';
import { getApi } from './client.ts';
import { errorMessage, unwrap } from './errors.ts';

export interface CallState<T> {
  data: T | null;
  error: string | null;
  /** A request is in flight (the first one, or a refresh while `data` is still shown). */
  loading: boolean;
  /** `data` answers an earlier input (kept on screen until the new answer arrives). */
  stale: boolean;
  reload: () => void;
}

export interface CallOptions {
  /** Push events after which the call is made again. */
  refreshOn?: readonly EventName[];
  /** At most one event-driven refresh per this many ms (default 1000), except after a run's end. */
  throttleMs?: number;
}

export async function callApi<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const fn = getApi()[name] as unknown as (input: CallInput<K>) => Promise<Result<CallOutput<K>>>;
  return unwrap(await fn(input));
}

/** Runs `name(input)`; `input === null` skips the call (for a view that is not ready to ask yet). */
export function useCall<K extends CallName>(name: K, input: CallInput<K> | null, options: CallOptions = {}): CallState<CallOutput<K>> {
  const key = input === null ? null : JSON.stringify(input);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ key: string | null; generation: number; data: CallOutput<K> | null; error: string | null }>({
    key: null,
    generation: -1,
    data: null,
    error: null,
  });
  const seq = useRef(0);

  useEffect(() => {
    if (key === null) return;
    const mine = ++seq.current;
    callApi(name, JSON.parse(key) as CallInput<K>).then(
      (data) => {
        if (mine === seq.current) setState({ key, generation, data, error: null });
      },
      (error: unknown) => {
        if (mine === seq.current) setState((current) => ({ key, generation, data: current.data, error: errorMessage(error) }));
      },
    );
  }, [name, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  const events = (options.refreshOn ?? []).join(',');
  const throttleMs = options.throttleMs ?? 1000;
  useEffect(() => {
    if (!events) return;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
      last = Date.now();
      timer = null;
      reload();
    };
    const onEvent = (event: EventName, payload: unknown) => {
      if (event === 'runUpdated' && (payload as Run).status !== 'running') {
        if (timer) clearTimeout(timer);
        fire();
        return;
      }
      if (timer) return;
      const wait = last + throttleMs - Date.now();
      if (wait <= 0) fire();
      else timer = setTimeout(fire, wait);
    };
    const unsubscribes = events
      .split(',')
      .map((event) => getApi().on(event as EventName, (payload) => onEvent(event as EventName, payload)));
    return () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [events, throttleMs, reload]);

  const loading = key !== null && (state.key !== key || state.generation !== generation);
  return { data: state.data, error: state.error, loading, stale: state.key !== key, reload };
}

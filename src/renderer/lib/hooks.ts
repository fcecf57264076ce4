import { useEffect, useRef, useState } from 'react';
import type { EventName, Events } from '../../shared/contract.ts';
import { getApi } from '../api/client.ts';

/** Subscribes to a back-end push event for the component's lifetime; the latest listener is always used. */
export function useApiEvent<E extends EventName>(event: E, listener: (payload: Events[E]) => void): void {
  const ref = useRef(listener);
  useEffect(() => {
    ref.current = listener;
  });
  useEffect(() => getApi().on(event, (payload) => ref.current(payload)), [event]);
}

/** The current time, re-read every `intervalMs` while `active`. */
export function useNow(active: boolean, intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}

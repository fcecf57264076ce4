/** A write the user starts with a button: whether it runs, and its error message for the UI (the contract's, or any thrown). */
import { useCallback, useState } from 'react';
import { errorMessage } from './errors.ts';

export interface Action {
  busy: boolean;
  error: string | null;
  /** Runs `task`; its result, or null after an error (then shown as `error`). */
  run<T>(task: () => Promise<T>): Promise<T | null>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = useCallback(async <T>(task: () => Promise<T>): Promise<T | null> => {
    setBusy(true);
    setError(null);
    try {
      return await task();
    } catch (e) {
      setError(errorMessage(e));
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

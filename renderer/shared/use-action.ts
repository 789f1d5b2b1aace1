import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Result } from '../../main/ipc/ipc-contract';
import { settle } from './api';

export interface Action<A extends unknown[], T> {
  /** Runs the call; resolves with the value, or undefined after a failure (whose sentence is in `error`). */
  run: (...args: A) => Promise<T | undefined>;
  pending: boolean;
  error: string | null;
  clearError: () => void;
}

/** One user action against main: tracks its progress and keeps its error sentence for display. */
export function useAction<A extends unknown[], T>(call: (...args: A) => Promise<Result<T>>): Action<A, T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mounted = useRef(true);
  const latest = useRef(call);
  latest.current = call;
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = useCallback(async (...args: A): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    const result = await settle(() => latest.current(...args));
    if (mounted.current) {
      setPending(false);
      setError(result.ok ? null : result.error.message);
    }
    return result.ok ? result.value : undefined;
  }, []);
  const clearError = useCallback(() => setError(null), []);
  return { run, pending, error, clearError };
}

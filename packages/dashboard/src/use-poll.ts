import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isUnauthorized, toShownError, type ShownError } from './api.js';
import { useSession } from './session.js';

export interface Polled<T> {
  data: T | undefined;
  error: ShownError | null;
  reload: () => void;
}

/** Loads `load()` now and every `everyMs` (the pages stay live without a reload); null: once. */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[], everyMs: number | null = 2000): Polled<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ShownError | null>(null);
  const session = useSession();
  const loader = useRef(load);
  loader.current = load;
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        const value = await loader.current();
        if (!live) return;
        setData(value);
        setError(null);
      } catch (failure) {
        if (!live) return;
        if (isUnauthorized(failure)) session.expired();
        setError(toShownError(failure));
      }
      if (live && everyMs !== null) timer = setTimeout(() => void run(), everyMs);
    };
    void run();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [...deps, tick]);
  return { data, error, reload };
}

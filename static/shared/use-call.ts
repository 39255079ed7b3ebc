/**
 * Loads one resolver result for a component, with reload and a guard against
 * out-of-order answers (a slow old request must not overwrite a newer one).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../src/shared/contract';
import { call, type ApiMethod, type Payload, type ResultOf } from './api';

export type Loadable<T> =
  | { state: 'loading'; data: T | null; error: null }
  | { state: 'ok'; data: T; error: null }
  | { state: 'error'; data: T | null; error: ApiError };

export function useCall<M extends ApiMethod>(
  method: M,
  payload: Payload<M> | null,
  /** Changing this reloads, e.g. when an analysis finishes elsewhere on the page. */
  refreshKey: unknown = 0,
): Loadable<ResultOf<M>> & {
  reload: () => void;
  update: (fn: (prev: ResultOf<M>) => ResultOf<M>) => void;
  replace: (data: ResultOf<M>) => void;
} {
  const [value, setValue] = useState<Loadable<ResultOf<M>>>({ state: 'loading', data: null, error: null });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  // Payload objects are rebuilt on every render; compare them by content.
  const key = payload === null ? null : JSON.stringify(payload);
  const latest = useRef(payload);
  latest.current = payload;

  useEffect(() => {
    const current = latest.current;
    if (key === null || current === null) return;
    const mine = ++seq.current;
    setValue((prev) => ({ state: 'loading', data: prev.data, error: null }));
    void call(method, current).then((res) => {
      if (mine !== seq.current) return;
      if (res.success) setValue({ state: 'ok', data: res.data, error: null });
      else setValue((prev) => ({ state: 'error', data: prev.data, error: res.error }));
    });
  }, [method, key, tick, refreshKey]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  /** Applies a local change (after a successful action) to whatever data is shown. */
  const update = useCallback(
    (fn: (prev: ResultOf<M>) => ResultOf<M>) =>
      setValue((prev) => (prev.data === null ? prev : { ...prev, data: fn(prev.data) })),
    [],
  );
  /**
   * Shows an answer read elsewhere just now (the caller asked the same method itself, to use
   * the answer at once): an answer to an earlier request, still on its way, is dropped.
   */
  const replace = useCallback((data: ResultOf<M>) => {
    seq.current++;
    setValue({ state: 'ok', data, error: null });
  }, []);
  return { ...value, reload, update, replace };
}

/**
 * Tells when something that failed answers again: its state went to `error`, then, later,
 * to `ok` (typically after its "Try again"). A page uses it to re-read what failed in the
 * same outage but has no Try again of its own where the reader is looking.
 */
import { useEffect, useRef } from 'react';

export function useRecovered(state: 'loading' | 'ok' | 'error', onRecovered: (() => void) | undefined): void {
  const failed = useRef(false);
  const callback = useRef(onRecovered);
  callback.current = onRecovered;
  useEffect(() => {
    if (state === 'error') failed.current = true;
    else if (state === 'ok' && failed.current) {
      failed.current = false;
      callback.current?.();
    }
  }, [state]);
}

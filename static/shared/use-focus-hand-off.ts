/**
 * Keyboard focus on a control that exists only while something is `active` (Cancel while a
 * run is live): when it goes by itself while focused (the run ended), `onGone` places the
 * focus elsewhere, in a layout effect, before the browser drops it to the page. The handlers
 * go on the control.
 */
import { useLayoutEffect, useMemo, useRef } from 'react';

export function useFocusHandOff(active: boolean, onGone: () => void): { onFocus: () => void; onBlur: () => void } {
  const focused = useRef(false);
  const wasActive = useRef(active);
  const gone = useRef(onGone);
  gone.current = onGone;
  useLayoutEffect(() => {
    if (wasActive.current && !active && focused.current) gone.current();
    if (!active) focused.current = false;
    wasActive.current = active;
  });
  return useMemo(
    () => ({
      onFocus: () => {
        focused.current = true;
      },
      onBlur: () => {
        focused.current = false;
      },
    }),
    [],
  );
}

/**
 * A count that goes up each time the page's theme changes while it is open: for what takes
 * its colours from the tokens in script rather than CSS (canvas charts), to draw again. The
 * observer goes with the component.
 */
import { useEffect, useState } from 'react';
import { observeTheme } from './theme';

export function useThemeChange(): number {
  const [changes, setChanges] = useState(0);
  useEffect(() => observeTheme(() => setChanges((n) => n + 1)), []);
  return changes;
}

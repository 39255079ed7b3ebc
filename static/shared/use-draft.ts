/**
 * Text being typed into a box whose value is applied after a pause (a search, an issue
 * filter). When the applied value changes from elsewhere (Clear filters, a link that sets
 * the filter), the box takes it in the same render: no frame shows the old text over the
 * new list, and no pending pause puts the old text back.
 */
import { useState } from 'react';

export function useDraft(applied: string): [string, (text: string) => void] {
  const [draft, setDraft] = useState(applied);
  const [followed, setFollowed] = useState(applied);
  if (followed !== applied) {
    // React's pattern for state that follows a prop: set during render, re-rendered before commit.
    setFollowed(applied);
    setDraft(applied);
  }
  return [draft, setDraft];
}

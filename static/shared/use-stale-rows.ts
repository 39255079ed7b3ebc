/**
 * Whether the rows a paged list shows answer an earlier request than the one now asked (another
 * tab, filter or page). The list keeps showing them, dimmed (`.dd-stale`), until the new
 * answer arrives, so nobody reads one filter's rows as another's; the review queue also takes
 * them out of reach (`inert`), so nobody confirms a pair the new filter excludes.
 */
import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * `answer`: the data `useCall` holds for the list, as it holds it (a new answer is always to the
 * latest request, since `useCall` drops older ones, so the request key is noted whenever the
 * answer changes); `requestKey`: the request now asked, as a string (`JSON.stringify`);
 * `rows`, when given: the element around the rows, made `inert` while they are stale.
 */
export function useStaleRows(answer: unknown, requestKey: string, rows?: RefObject<HTMLElement | null>): boolean {
  const answered = useRef<{ data: unknown; key: string }>({ data: null, key: requestKey });
  if (answered.current.data !== answer) answered.current = { data: answer, key: requestKey };
  const stale = answer !== null && answered.current.key !== requestKey;
  useLayoutEffect(() => {
    // React 18 does not know the `inert` attribute: set the property itself.
    if (rows?.current) rows.current.inert = stale;
  });
  return stale;
}

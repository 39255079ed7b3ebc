/**
 * The project page's place as its address says it (the part after the page's own URL, which
 * Jira keeps for the app through `view.createHistory()`): the section, the review queue's tab
 * and the pair open in Compare. Filters, sort and the list's page are not in it: they stay
 * in the browser tab's session (session-state.ts), so a link is short and opens the tab as
 * its reader's own filters show it.
 *
 *   /review/pending                  the review queue, Pending tab (also /review)
 *   /review/dismissed/compare/10042-10077   the Dismissed tab, with that pair in Compare
 *   /clusters  /charts  /history     the other sections
 */
import type { ReviewStatus } from '../../src/shared/contract';

export type PageView = 'review' | 'clusters' | 'insights' | 'history';

export interface PageRoute {
  view: PageView;
  /** The review queue's tab, kept while another section is shown. */
  tab: ReviewStatus;
  /** The pair in Compare (review section only). */
  pair: string | null;
}

export const DEFAULT_ROUTE: PageRoute = { view: 'review', tab: 'pending', pair: null };

/** Each section's word in the address (the Charts tab's section is `insights` in the code). */
const SEGMENT: Record<PageView, string> = { review: 'review', clusters: 'clusters', insights: 'charts', history: 'history' };
const TABS: readonly ReviewStatus[] = ['pending', 'confirmed', 'dismissed'];
/** Pair ids as the resolvers issue them: the two issues' ids. */
const PAIR_ID = /^\d{1,18}-\d{1,18}$/;

export interface ReadAddress {
  /** Null when the address names no place (the page's bare URL) or one this page does not know. */
  route: PageRoute | null;
  /** The address named a pair in a form no pair has: the queue shows without it, and says so. */
  badPair: boolean;
}

function segments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/** Reads an address; `tab` is the queue's tab to keep when it names another section. */
export function readAddress(pathname: string, tab: ReviewStatus): ReadAddress {
  const [first, second, third, fourth, ...rest] = segments(pathname);
  const none: ReadAddress = { route: null, badPair: false };
  if (first === undefined) return none;
  if (first !== SEGMENT.review) {
    const view = (Object.keys(SEGMENT) as PageView[]).find((v) => v !== 'review' && SEGMENT[v] === first);
    return view !== undefined && second === undefined ? { route: { view, tab, pair: null }, badPair: false } : none;
  }
  if (second === undefined) return { route: { ...DEFAULT_ROUTE }, badPair: false };
  const shown = TABS.find((t) => t === second);
  if (shown === undefined) return none;
  if (third === undefined) return { route: { view: 'review', tab: shown, pair: null }, badPair: false };
  if (third !== 'compare' || fourth === undefined || rest.length > 0) return { route: { view: 'review', tab: shown, pair: null }, badPair: third === 'compare' };
  return PAIR_ID.test(fourth) ? { route: { view: 'review', tab: shown, pair: fourth }, badPair: false } : { route: { view: 'review', tab: shown, pair: null }, badPair: true };
}

/** The address of a place: what `readAddress` reads back as that place. */
export function routePath(route: PageRoute): string {
  if (route.view !== 'review') return `/${SEGMENT[route.view]}`;
  return `/review/${route.tab}${route.pair !== null ? `/compare/${encodeURIComponent(route.pair)}` : ''}`;
}

export function sameRoute(a: PageRoute, b: PageRoute): boolean {
  return a.view === b.view && a.tab === b.tab && a.pair === b.pair;
}

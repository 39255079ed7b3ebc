/**
 * The project page's place (section, queue tab, pair in Compare) kept in the page's address
 * through the host's history (`view.createHistory()`): each move is a new entry, so a link
 * can be shared and the browser's Back and Forward go through the places visited. A page
 * opened at its bare address (from the project's sidebar) comes back to the place kept for
 * the browser tab's session, and the address is set to say it.
 *
 * Without a history from the host (it failed, or did not answer in time) the page works as
 * before, from the session alone; a history that arrives late shows its address's place, or,
 * once the person has moved on the page, is told the place shown.
 */
import { view } from '@forge/bridge';
import { useCallback, useEffect, useRef, useState } from 'react';
import { DEFAULT_ROUTE, readAddress, routePath, sameRoute, type PageRoute } from './page-route';

/** How long the page waits for the host's history before it shows the place kept for the session. */
const HISTORY_WAIT_MS = 2000;

/** What the page needs of the host's history (its `listen` passes `(location, action)` or `{ location, action }`). */
interface HostHistory {
  location: { pathname: string };
  push(path: string): void;
  replace(path: string): void;
  listen(listener: (first: unknown, second?: unknown) => void): () => void;
}

interface Shown {
  route: PageRoute;
  /** The place was read from the address (a link, a reload, Back or Forward), not chosen on the page. */
  fromAddress: boolean;
  /** The address named a pair that is not available: the queue is shown without it. */
  pairUnavailable: boolean;
}

/** The location and action a history listener was called with, in either form. */
function heard(first: unknown, second: unknown): { pathname: string; action: unknown } | null {
  const o = first as { location?: { pathname?: unknown }; pathname?: unknown; action?: unknown } | null;
  if (o === null || typeof o !== 'object') return null;
  const location = o.location !== undefined ? o.location : o;
  const action = o.action !== undefined ? o.action : second;
  return typeof location.pathname === 'string' ? { pathname: location.pathname, action } : null;
}

export function usePageRoute(fromSession: () => PageRoute): {
  /** Null until the address (or, failing it, the session) has said where the page is. */
  shown: Shown | null;
  /** Goes to a place chosen on the page (from the one shown): a new entry in the browser's history. */
  go: (next: (now: PageRoute) => PageRoute) => void;
  /** The pair named by the address is not available: closes it, keeps the rest and says so. */
  pairGone: () => void;
} {
  const [shown, setShown] = useState<Shown | null>(null);
  const history = useRef<HostHistory | null>(null);
  const current = useRef<PageRoute | null>(null);
  /** A place was chosen on the page (before a late history, the address is then out of date). */
  const moved = useRef(false);
  const fallback = useRef(fromSession);
  fallback.current = fromSession;

  const show = useCallback((next: Shown) => {
    current.current = next.route;
    setShown(next);
  }, []);

  useEffect(() => {
    let live = true;
    let unlisten = (): void => undefined;
    const fromAddress = (pathname: string, orElse: () => PageRoute): Shown => {
      const read = readAddress(pathname, current.current?.tab ?? DEFAULT_ROUTE.tab);
      return read.route === null ? { route: orElse(), fromAddress: false, pairUnavailable: false } : { route: read.route, fromAddress: true, pairUnavailable: read.badPair };
    };
    const timer = setTimeout(() => {
      if (live && current.current === null) show({ route: fallback.current(), fromAddress: false, pairUnavailable: false });
    }, HISTORY_WAIT_MS);
    (view.createHistory() as Promise<unknown> as Promise<HostHistory>).then(
      (h) => {
        if (!live) return;
        clearTimeout(timer);
        history.current = h;
        unlisten = h.listen((first, second) => {
          const change = heard(first, second);
          // The page's own moves are shown already: only Back, Forward (or a host's jump) move it.
          if (change === null || change.action !== 'POP') return;
          show(fromAddress(change.pathname, () => DEFAULT_ROUTE));
        });
        // A history that came late, after the person moved on the page: the address is told
        // where they are. Before that, the address still decides (a link opened on a slow host).
        const late = moved.current ? current.current : null;
        const next = late !== null ? null : fromAddress(h.location.pathname, () => current.current ?? fallback.current());
        if (next !== null) show(next);
        const path = routePath(late ?? next?.route ?? DEFAULT_ROUTE);
        if (path !== h.location.pathname) h.replace(path);
      },
      (err: unknown) => {
        console.warn('[dedupe] view.createHistory failed: the page keeps its place for the session only', err);
        clearTimeout(timer);
        if (live && current.current === null) show({ route: fallback.current(), fromAddress: false, pairUnavailable: false });
      },
    );
    return () => {
      live = false;
      clearTimeout(timer);
      unlisten();
      history.current = null;
    };
  }, [show]);

  const go = useCallback(
    (to: (now: PageRoute) => PageRoute) => {
      const now = current.current;
      if (now === null) return;
      const next = to(now);
      if (sameRoute(now, next)) return;
      moved.current = true;
      show({ route: next, fromAddress: false, pairUnavailable: false });
      history.current?.push(routePath(next));
    },
    [show],
  );

  const pairGone = useCallback(() => {
    const now = current.current;
    if (now === null || now.pair === null) return;
    const next = { ...now, pair: null };
    moved.current = true;
    show({ route: next, fromAddress: false, pairUnavailable: true });
    history.current?.replace(routePath(next));
  }, [show]);

  return { shown, go, pairGone };
}

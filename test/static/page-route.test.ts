/** The project page's address: what each says, and that each place shown reads back as itself. */
import { DEFAULT_ROUTE, readAddress, routePath, type PageRoute } from '../../static/project-page/page-route';

describe('the project page address', () => {
  it('names the section, the queue tab and the pair in Compare, and reads back each place it writes', () => {
    const places: PageRoute[] = [
      DEFAULT_ROUTE,
      { view: 'review', tab: 'dismissed', pair: null },
      { view: 'review', tab: 'confirmed', pair: '10042-10077' },
      { view: 'clusters', tab: 'dismissed', pair: null },
      { view: 'insights', tab: 'pending', pair: null },
      { view: 'history', tab: 'confirmed', pair: null },
    ];
    expect(places.map(routePath)).toEqual(['/review/pending', '/review/dismissed', '/review/confirmed/compare/10042-10077', '/clusters', '/charts', '/history']);
    for (const place of places) expect(readAddress(routePath(place), place.tab)).toEqual({ route: place, badPair: false });
  });

  it('keeps the queue tab it is given for the other sections, and takes /review for the Pending tab', () => {
    expect(readAddress('/history', 'dismissed').route).toEqual({ view: 'history', tab: 'dismissed', pair: null });
    expect(readAddress('/review', 'dismissed').route).toEqual(DEFAULT_ROUTE);
    expect(readAddress('/review/dismissed/', 'pending').route).toEqual({ view: 'review', tab: 'dismissed', pair: null });
  });

  it('names no place for the bare address or one it does not know (the session decides)', () => {
    for (const path of ['', '/', '/insights', '/review/open', '/clusters/7', '/Review/pending', '/%E0%A4%A']) expect(readAddress(path, 'pending')).toEqual({ route: null, badPair: false });
  });

  it('shows the tab without a pair that no pair id could be, and says so', () => {
    for (const path of ['/review/pending/compare/abc', '/review/pending/compare/1234', '/review/pending/compare/1-2-3', '/review/pending/compare/1%2F2', '/review/pending/compare/1-2/3', '/review/pending/compare', `/review/pending/compare/1-${'9'.repeat(19)}`]) {
      expect(readAddress(path, 'confirmed')).toEqual({ route: { view: 'review', tab: 'pending', pair: null }, badPair: true });
    }
    expect(readAddress('/review/dismissed/other/1-2', 'pending')).toEqual({ route: { view: 'review', tab: 'dismissed', pair: null }, badPair: false });
  });
});

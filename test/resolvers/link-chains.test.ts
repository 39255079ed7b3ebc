/** The walk over stored Duplicate links that finds pairs Jira joins through other issues. */
import { chainsBetween, MAX_THROUGH, type ChainEnds } from '../../src/resolvers/methods/link-chains';
import type { LinkedDoc } from '../../src/store/review';

/** A stored backlog from undirected links: each issue's list names the other end. */
function backlog(edges: Array<[string, string]>, extra: Record<string, Partial<LinkedDoc>> = {}) {
  const docs = new Map<string, LinkedDoc>();
  const doc = (id: string): LinkedDoc => {
    let d = docs.get(id);
    if (!d) {
      d = { id, key: `K-${id}`, projectKey: 'K', securityLevel: '', dupLinks: [], ...extra[id] };
      docs.set(id, d);
    }
    return d;
  };
  for (const [x, y] of edges) {
    doc(x).dupLinks.push(y);
    doc(y).dupLinks.push(x);
  }
  const reads: string[][] = [];
  const read = async (ids: string[]): Promise<Map<string, LinkedDoc>> => {
    reads.push([...ids]);
    return new Map(ids.flatMap((id) => (docs.has(id) ? [[id, docs.get(id)!] as const] : [])));
  };
  const pair = (a: string, b: string): ChainEnds => ({ id: `${a}-${b}`, a: { id: a, dupLinks: docs.get(a)?.dupLinks ?? [] }, b: { id: b, dupLinks: docs.get(b)?.dupLinks ?? [] } });
  return { docs, read, reads, pair };
}

const everyone = (): boolean => true;

describe('chainsBetween', () => {
  it('finds the shortest chain, up to three issues in between, with one read a level for all pairs', async () => {
    const { read, reads, pair } = backlog([
      ['1', '2'], ['2', '3'], // 1 – 2 – 3
      ['10', '11'], ['11', '12'], ['12', '13'], ['13', '14'], // 10 … 14: three in between
      ['20', '21'], ['21', '22'], ['22', '23'], ['23', '24'], ['24', '25'], // four in between: too far
      ['30', '31'], ['31', '32'], ['32', '30'], ['32', '33'], ['30', '34'], ['34', '33'], // a cycle, and two ways
    ]);
    const found = await chainsBetween([pair('1', '3'), pair('10', '14'), pair('20', '25'), pair('30', '33'), pair('1', '2')], read, everyone);
    expect(found.get('1-3')).toEqual(['2']);
    expect(found.get('10-14')).toEqual(['11', '12', '13']);
    expect(found.has('20-25')).toBe(false);
    expect(found.get('30-33')?.length).toBe(1);
    expect(['32', '34']).toContain(found.get('30-33')?.[0]);
    // Linked directly: not a chain.
    expect(found.has('1-2')).toBe(false);
    expect(reads.length).toBeLessThanOrEqual(MAX_THROUGH);
  });

  it('goes only through issues the viewer may see, and names none of the others', async () => {
    const { read, pair } = backlog([['1', '2'], ['2', '3'], ['1', '4'], ['4', '5'], ['5', '3']], { '2': { securityLevel: 'secret' } });
    const passable = (d: LinkedDoc): boolean => d.securityLevel === '';
    expect(await chainsBetween([pair('1', '3')], read, passable)).toEqual(new Map([['1-3', ['4', '5']]]));
    const { read: read2, pair: pair2 } = backlog([['1', '2'], ['2', '3']], { '2': { projectKey: 'HIDDEN' } });
    expect(await chainsBetween([pair2('1', '3')], read2, (d) => d.projectKey !== 'HIDDEN')).toEqual(new Map());
  });

  it('starts from b when only b has a stored list, and still names the issues from a\'s side', async () => {
    const { docs, read } = backlog([['9', '8'], ['8', '7']]);
    docs.get('9')!.dupLinks.length = 0; // 9's list was cut or is older: only 8 names it
    const found = await chainsBetween([{ id: 'p', a: { id: '9', dupLinks: [] }, b: { id: '7', dupLinks: docs.get('7')!.dupLinks } }], read, everyone);
    expect(found.get('p')).toEqual(['8']);
    const { read: r2 } = backlog([['1', '2'], ['2', '3'], ['3', '4']]);
    const rev = await chainsBetween([{ id: 'q', a: { id: '1', dupLinks: [] }, b: { id: '4', dupLinks: ['3'] } }], r2, everyone);
    expect(rev.get('q')).toEqual(['2', '3']);
  });

  it('reads nothing when no row has a stored link, and skips issues that are not stored', async () => {
    const { read, reads } = backlog([]);
    expect(await chainsBetween([{ id: 'x', a: { id: '1', dupLinks: [] }, b: { id: '2', dupLinks: [] } }], read, everyone)).toEqual(new Map());
    expect(reads).toEqual([]);
    expect(await chainsBetween([{ id: 'y', a: { id: '1', dupLinks: ['gone'] }, b: { id: '2', dupLinks: [] } }], read, everyone)).toEqual(new Map());
  });
});

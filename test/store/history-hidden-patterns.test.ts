/**
 * The history leaves out entries naming hidden issues with a REGEXP per few hundred keys, each
 * written as a trie (wordsPattern): it must match exactly the keys it is made of, in JavaScript
 * and in the database, never a key that only begins or ends like one of them.
 */
import { LocalForge } from '../../sandbox/runtime';
import { appendActions, listActions, wordsPattern } from '../../src/store/actions';
import { migrate } from '../../src/store/migrations';
import { pipelineHandlers } from '../analysis/helpers';

/** A small deterministic generator (no Math.random: the same cases every run). */
function numbers(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('wordsPattern', () => {
  it('writes common beginnings once and matches exactly its words', () => {
    expect(wordsPattern(['SHOP-1', 'SHOP-12', 'SHOP-2'])).toBe('SHOP-(?:1(?:2)?|2)');
    expect(wordsPattern(['A.B', 'A+C'])).toBe('A(?:\\+C|\\.B)');
    const next = numbers(7);
    for (let round = 0; round < 20; round++) {
      const words = Array.from({ length: 1 + Math.floor(next() * 300) }, () => `${['A', 'AB', 'SHOP', 'B_2'][Math.floor(next() * 4)]}-${1 + Math.floor(next() * 3000)}`);
      const re = new RegExp(`^(?:${wordsPattern(words)})$`);
      const set = new Set(words);
      for (const w of words) expect(re.test(w)).toBe(true);
      // Near misses: a digit more or less, another project, a prefix.
      for (const w of words.slice(0, 40)) {
        for (const other of [`${w}0`, w.slice(0, -1), `X${w}`, w.replace('-', '-0'), `${w},`]) expect(re.test(other)).toBe(set.has(other));
      }
    }
  });
});

describe('hidden keys and ids as tries in the database', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  it('leaves out exactly the entries naming a hidden key or a pair of a hidden id, over several patterns', async () => {
    const next = numbers(11);
    const key = () => `${['A', 'AB'][Math.floor(next() * 2)]}-${1 + Math.floor(next() * 3000)}`;
    const id = () => String(10000 + Math.floor(next() * 5000));
    const entries = Array.from({ length: 600 }, () => {
      const keys = [key(), key(), ...(next() < 0.2 ? [key()] : [])];
      return { keys, pair: `${id()}-${id()}` };
    });
    await appendActions(entries.map((e) => ({ action: 'dismiss' as const, actorAccountId: 'u', pairId: e.pair, issueKeys: e.keys, projectKeys: ['A', 'AB'] })));
    const hiddenKeys = [...new Set(Array.from({ length: 1400 }, key))];
    const hiddenIds = [...new Set(Array.from({ length: 1300 }, id))];
    const listed = await listActions({ projectKeys: ['A', 'AB'], hiddenKeys, hiddenIds, pageSize: 200 });
    const expected = entries.filter((e) => !e.keys.some((k) => hiddenKeys.includes(k)) && !e.pair.split('-').some((i) => hiddenIds.includes(i)));
    // More than one pattern of each.
    expect(hiddenKeys.length).toBeGreaterThan(1000);
    expect(hiddenIds.length).toBeGreaterThan(1000);
    expect(listed.total).toBe(expected.length);
    expect(listed.total).toBeGreaterThan(0);
    expect(listed.total).toBeLessThan(entries.length);
    const all = [];
    for (let page = 1; page <= Math.ceil(listed.total / 200); page++) {
      all.push(...(await listActions({ projectKeys: ['A', 'AB'], hiddenKeys, hiddenIds, pageSize: 200, page, asOfMs: listed.asOfMs })).items);
    }
    expect(all.map((a) => `${a.issueKeys.join(',')} ${a.pairId}`).sort()).toEqual(expected.map((e) => `${e.keys.join(',')} ${e.pair}`).sort());
  });

  it('splits long keys over patterns the database compiles (about 30,000 characters in one it refuses)', async () => {
    const next = numbers(13);
    const project = (n: number) => Array.from({ length: 56 }, (_, i) => String.fromCharCode(65 + ((n * 7 + i * 3) % 26))).join('');
    const keys = Array.from({ length: 600 }, (_, n) => `${project(n)}-${1 + Math.floor(next() * 99999)}`);
    expect(keys.every((k) => k.length <= 64)).toBe(true);
    await appendActions([{ action: 'dismiss', actorAccountId: 'u', issueKeys: [keys[599] ?? '', 'A-1'], projectKeys: ['A'] }, { action: 'dismiss', actorAccountId: 'u', issueKeys: ['A-2', 'A-3'], projectKeys: ['A'] }]);
    const listed = await listActions({ projectKeys: ['A', 'AB'], hiddenKeys: keys, hiddenIds: keys.map((k) => `9${k}`), pageSize: 200 });
    const named = (await listActions({ projectKeys: ['A', 'AB'], pageSize: 1 })).total;
    expect(listed.total).toBe(named - 1);
  });
});

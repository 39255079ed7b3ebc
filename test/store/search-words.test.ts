/**
 * What a queue search word matches in the stored summaries and keys, in MariaDB through the
 * app's own store (`wordMatch`): words joined by punctuation, short parts, scripts with
 * combining marks, and letters of other scripts between a word's parts.
 */
import { LocalForge } from '../../sandbox/runtime';
import { select } from '../../src/store/db';
import { upsertDocs, type DocWrite } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { wordMatch } from '../../src/store/review';
import { pipelineHandlers } from '../analysis/helpers';

const SUMMARIES = [
  'Hadoop Common fails to start',
  'hadoop_common jar missing',
  'hadoopXcommon is not a match',
  'fooébar joined by a letter',
  'Input/output error on the disk',
  'कुतुब मीनार',
  'ΟΔΟΣ closed',
  'version 3.3.0 released',
];

const doc = (i: number): DocWrite => ({
  id: String(i + 1),
  key: `SRCH-${i + 1}`,
  projectKey: 'SRCH',
  type: 'Bug',
  status: 'Open',
  statusCategory: 'new',
  createdMs: 1000,
  updatedMs: 2000,
  summary: SUMMARIES[i] ?? '',
  textHash: `h${i}`,
  terms: `d1\ns x${i}`,
});

describe('queue search words', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    await upsertDocs(SUMMARIES.map((_, i) => doc(i)));
  });
  afterAll(async () => forge?.stop({ drop: true }));

  const found = async (word: string): Promise<string[]> => {
    const match = wordMatch(word);
    const rows = await select(`SELECT summary FROM docs WHERE ${match.sql} ORDER BY id`, match.params);
    return rows.map((r) => String(r['summary']));
  };

  it('matches parts joined by punctuation joined otherwise, but not by a letter of any script', async () => {
    expect(await found('hadoop-common')).toEqual(['Hadoop Common fails to start', 'hadoop_common jar missing']);
    expect(await found('foo-bar')).toEqual([]);
  });

  it('keeps short parts, versions and words of scripts with combining marks as typed', async () => {
    expect(await found('I/O')).toEqual([]);
    expect(await found('input/output')).toEqual(['Input/output error on the disk']);
    expect(await found('3.3.0')).toEqual(['version 3.3.0 released']);
    // One Hindi word is not matched as its consonants with anything between them.
    expect(await found('किताब')).toEqual([]);
    expect(await found('कुतुब')).toEqual(['कुतुब मीनार']);
  });

  it('lower-cases both sides alike, and finds a key by its number', async () => {
    expect(await found('ΟΔΟΣ')).toEqual(['ΟΔΟΣ closed']);
    expect(await found('#007')).toEqual(['ΟΔΟΣ closed']);
    expect(await found('srch-8')).toEqual(['version 3.3.0 released']);
  });
});

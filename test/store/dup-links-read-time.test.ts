/**
 * `docs.links_ms`: the stored Duplicate links of a document are kept against a write whose
 * read of Jira began before they were known (a later read, or a link the app made or removed).
 */
import { LocalForge } from '../../sandbox/runtime';
import { migrate } from '../../src/store/migrations';
import { getDocStates, recordDupLink, upsertDocs, type DocWrite } from '../../src/store/docs';
import { pipelineHandlers } from '../analysis/helpers';
import { doc as storeDoc } from './support/fixtures';

/** Every issue created at 1 s and updated at 5 s, whatever its id. */
const doc = (id: string, over: Partial<DocWrite> = {}): DocWrite => storeDoc(id, { createdMs: 1000, updatedMs: 5000, ...over });

describe('stored Duplicate links and the time of the read', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  async function state(id: string): Promise<{ links: string; at: number; summary: string }> {
    const [row] = (await forge.sql.query('SELECT dup_links, links_ms, summary FROM docs WHERE id = ?', [id])) as Array<{ dup_links: string; links_ms: number; summary: string }>;
    return { links: row?.dup_links ?? 'missing', at: Number(row?.links_ms), summary: row?.summary ?? '' };
  }

  it('keeps a link the app removed against a write read before, and takes a write read after', async () => {
    await upsertDocs([doc('1', { dupLinks: ['2'] }), doc('2', { dupLinks: ['1'] })], 1000, 1000);
    expect(await state('1')).toEqual({ links: '2', at: 1000, summary: 'summary 1' });
    await recordDupLink('1', '2', false, 2000);
    expect(await state('1')).toEqual({ links: '', at: 2000, summary: 'summary 1' });
    expect((await getDocStates(['2'])).get('2')).toMatchObject({ dupLinks: '', linksMs: 2000 });

    // Read at 1500, with the link as it was then: the rest of the read is stored, not the link.
    await upsertDocs([doc('1', { dupLinks: ['2'], summary: 'edited' })], 2100, 1500);
    expect(await state('1')).toEqual({ links: '', at: 2000, summary: 'edited' });
    // Read at 2500: its links are the newer.
    await upsertDocs([doc('1', { dupLinks: ['3'] })], 2600, 2500);
    expect(await state('1')).toEqual({ links: '3', at: 2500, summary: 'summary 1' });
  });

  it('a link the list already names still dates the list, and a stale read moves nothing', async () => {
    await recordDupLink('1', '3', true, 3000);
    expect(await state('1')).toEqual({ links: '3', at: 3000, summary: 'summary 1' });
    // Jira's `updated` before the stored one: the row is kept whatever the read's time.
    await upsertDocs([doc('1', { dupLinks: [], updatedMs: 4000 })], 3600, 3500);
    expect(await state('1')).toEqual({ links: '3', at: 3000, summary: 'summary 1' });
  });
});

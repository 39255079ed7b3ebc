/**
 * The history lists an entry only to someone who may browse every project it names, also
 * past the two indexed project columns (real MariaDB through LocalForge).
 */
import { LocalForge } from '../../sandbox/runtime';
import { appendAction, appendActions, listActions } from '../../src/store/actions';
import { migrate } from '../../src/store/migrations';
import { pipelineHandlers } from '../analysis/helpers';

describe('history visibility by every project an entry names', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    // A cluster linked across three projects, and a confirmation joined through a fourth.
    await appendAction({ action: 'cluster.link', actorAccountId: 'm', issueKeys: ['SHOP-1', 'MOB-2', 'OPS-3'], projectKeys: ['SHOP', 'MOB', 'OPS'], detail: 'three projects' }, 1_000);
    await appendActions([{ action: 'confirm', actorAccountId: 'm', issueKeys: ['SHOP-1', 'SHOP-2'], projectKeys: ['SHOP', 'SHOP', 'WEB'], detail: 'through WEB-9' }], 2_000);
    await appendAction({ action: 'dismiss', actorAccountId: 'm', issueKeys: ['SHOP-1', 'SHOP-4'], projectKeys: ['SHOP'], detail: 'one project' }, 3_000);
  });
  afterAll(async () => forge?.stop({ drop: true }));

  const details = async (visible: string[] | null, involving: string | null = null): Promise<string[]> =>
    (await listActions({ projectKeys: visible, involving })).items.map((a) => a.detail ?? '');

  it('hides an entry naming a third project the viewer may not browse, on every page and in the total', async () => {
    expect(await details(['SHOP', 'MOB'], 'SHOP')).toEqual(['one project']);
    expect(await details(['SHOP', 'MOB', 'OPS'], 'SHOP')).toEqual(['one project', 'three projects']);
    expect((await listActions({ projectKeys: ['SHOP', 'MOB'], involving: 'MOB' })).total).toBe(0);
  });

  it('hides a confirmation joined through another project\'s issue from those who may not browse it', async () => {
    expect(await details(['SHOP'], 'SHOP')).toEqual(['one project']);
    expect(await details(['SHOP', 'WEB'], 'SHOP')).toEqual(['one project', 'through WEB-9']);
  });

  it('lists an entry on the page of its third project too, and everything when nothing restricts', async () => {
    expect(await details(['SHOP', 'MOB', 'OPS'], 'OPS')).toEqual(['three projects']);
    expect(await details(null)).toEqual(['one project', 'through WEB-9', 'three projects']);
  });
});

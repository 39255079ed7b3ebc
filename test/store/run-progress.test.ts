/**
 * A run's progress bar tells what its counters tell: the issues read of those expected, then
 * the issues compared of those its last step compares (`toCompare`, counted from the stored
 * issues while the run is live). An incremental run that read nothing stood at 70 % while it
 * compared every stored issue, and one that read a few changed issues stood at 100 % while
 * its pairs were still being stored.
 */
import { LocalForge } from '../../sandbox/runtime';
import { DEFAULT_SETTINGS } from '../../src/store/settings';
import { migrate } from '../../src/store/migrations';
import { upsertDocs } from '../../src/store/docs';
import { getRunView, insertRun, toRunView, type RunRow } from '../../src/store/runs';
import { pipelineHandlers } from '../analysis/helpers';
import { doc } from './support/fixtures';

const NOW = Date.parse('2026-12-07T10:00:00Z');

function row(over: Partial<RunRow>): RunRow {
  return {
    id: 'r-progress',
    scopeKey: 'project:A',
    scope: { kind: 'project', projectKey: 'A' },
    mode: 'incremental',
    trigger: 'manual',
    status: 'scoring',
    startedBy: 'm',
    startedMs: NOW - 10_000,
    finishedMs: null,
    heartbeatMs: NOW,
    expected: 0,
    chains: 1,
    sinceMs: NOW - 86_400_000,
    error: null,
    settingsJson: '{}',
    ...over,
  };
}

describe('run progress and its counters', () => {
  it('gives an incremental run that read nothing the whole bar for comparing, and never 100 % while it stores the pairs', () => {
    const r = row({ expected: 0 });
    const before = toRunView(r, { fetched: 0, indexed: 0, scored: 0, pairs: 0 }, NOW, 2503);
    expect(before.progress).toBe(0);
    expect(before.counters.toCompare).toBe(2503);
    const compared = toRunView(r, { fetched: 0, indexed: 0, scored: 2503, pairs: 1200 }, NOW, 2503);
    expect(compared.progress).toBe(0.99);
  });

  it('shares the bar of an incremental run by the work of each step', () => {
    const r = row({ expected: 30 });
    // 30 changed issues to read, 2,503 stored to compare: the reading is a small part.
    const reading = toRunView({ ...r, status: 'fetching' }, { fetched: 30, indexed: 0, scored: 0, pairs: 0 }, NOW, 2503);
    expect(reading.progress).toBeGreaterThan(0.01);
    expect(reading.progress).toBeLessThan(0.05);
    // Read and stored, nothing compared yet: where the reading left it, not at 100 %.
    const read = toRunView(r, { fetched: 30, indexed: 30, scored: 0, pairs: 0 }, NOW, 2503);
    expect(read.progress).toBeCloseTo(reading.progress ?? -1, 6);
    const half = toRunView(r, { fetched: 30, indexed: 30, scored: 1250, pairs: 0 }, NOW, 2503);
    expect(half.progress).toBeGreaterThan(0.5);
    expect(half.progress).toBeLessThan(0.55);
  });

  it('keeps a full run at 70 % for the reading, then moves with the issues compared', () => {
    const r = row({ mode: 'full', expected: 1000 });
    expect(toRunView({ ...r, status: 'fetching' }, { fetched: 500, indexed: 500, scored: 0, pairs: 0 }, NOW, 500).progress).toBeCloseTo(0.35, 6);
    expect(toRunView(r, { fetched: 1000, indexed: 1000, scored: 0, pairs: 0 }, NOW, 1000).progress).toBeCloseTo(0.7, 6);
    expect(toRunView(r, { fetched: 1000, indexed: 1000, scored: 500, pairs: 0 }, NOW, 1000).progress).toBeCloseTo(0.85, 6);
  });

  it('says nothing of the issues to compare once the run has ended', () => {
    const done = toRunView(row({ status: 'done', finishedMs: NOW }), { fetched: 0, indexed: 0, scored: 2503, pairs: 4575 }, NOW, 2503);
    expect([done.progress, done.counters.toCompare]).toEqual([1, null]);
  });

  describe('counted from the stored issues (real MariaDB through LocalForge)', () => {
    let forge: LocalForge;
    beforeAll(async () => {
      forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
      await migrate();
      await upsertDocs([doc('1'), doc('2'), doc('3'), doc('4', { key: 'B-4', projectKey: 'B' })], NOW);
    });
    afterAll(async () => forge?.stop({ drop: true }));

    it("counts the project's stored issues, and every analysed project's when suggestions across projects are on", async () => {
      const settings = { ...DEFAULT_SETTINGS, projects: ['A', 'B'] };
      await insertRun({ ...row({ id: 'r-own', settingsJson: JSON.stringify({ ...settings, crossProject: false }) }) });
      await insertRun({ ...row({ id: 'r-cross', scopeKey: 'project:A2', settingsJson: JSON.stringify({ ...settings, crossProject: true }) }) });
      await insertRun({ ...row({ id: 'r-ended', scopeKey: 'project:A3', status: 'cancelled', finishedMs: NOW, settingsJson: JSON.stringify(settings) }) });
      expect((await getRunView('r-own'))?.counters.toCompare).toBe(3);
      expect((await getRunView('r-cross'))?.counters.toCompare).toBe(4);
      expect((await getRunView('r-ended'))?.counters.toCompare).toBeNull();
    });
  });
});

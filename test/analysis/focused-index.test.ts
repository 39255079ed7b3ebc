/**
 * loadFocusedIndex (create.check, incremental updates) against loadScopeIndex on the same
 * stored documents in MariaDB: every answer of the whole scope's index is found, with the
 * same score, while far fewer documents are indexed.
 */
import { LocalForge } from '../../sandbox/runtime';
import { loadFocusedIndex, loadScopeIndex } from '../../src/analysis/scope-index';
import { encodeTerms, extractTerms, TermExtractor } from '../../src/engine';
import { DEFAULT_SETTINGS } from '../../src/store/settings';
import { upsertDocs, type DocWrite } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { describeWithDevSet, loadDevIssues } from '../engine/dataset';
import { pipelineHandlers } from './helpers';

describeWithDevSet('focused index (dev set in MariaDB)', () => {
  let forge: LocalForge;
  const issues = loadDevIssues();
  const stored = issues.slice(0, 1500);
  const drafts = issues.slice(1500).filter((_, i) => i % 50 === 0).slice(0, 15);
  const settings = { ...DEFAULT_SETTINGS, projects: ['HADOOP'] };

  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
    const extractor = new TermExtractor();
    const rows: DocWrite[] = stored.map((i) => ({
      id: i.id,
      key: `HADOOP-${i.id}`,
      projectKey: 'HADOOP',
      type: 'Bug',
      status: 'Open',
      statusCategory: 'new',
      createdMs: Date.parse(i.created),
      updatedMs: Date.parse(i.created),
      summary: i.summary,
      textHash: `h${i.id}`,
      terms: encodeTerms(extractor.extract({ id: i.id, summary: i.summary, description: i.description })),
    }));
    await upsertDocs(rows);
  }, 60_000);
  afterAll(async () => forge?.stop({ drop: true }));

  it('finds every match of the whole index with the same score, from a fraction of the documents', async () => {
    const related = settings.thresholds.related;
    const whole = await loadScopeIndex(['HADOOP'], settings, { termsOnly: true });
    let indexed = 0;
    let matches = 0;
    for (const d of drafts) {
      const draft = extractTerms({ id: '', summary: d.summary, description: d.description });
      const focused = await loadFocusedIndex(['HADOOP'], settings, draft, related);
      indexed += focused.index.size;
      const got = new Map(focused.index.query(draft, 15, { minScore: related }).map((n) => [n.id, n.score]));
      for (const n of whole.index.query(draft, 15, { minScore: related })) {
        expect(got.get(n.id)).toBe(n.score);
        matches++;
      }
    }
    expect(matches).toBeGreaterThan(0);
    expect(indexed / drafts.length).toBeLessThan(stored.length / 2);
  }, 60_000);

  it('answers an indexed issue\'s neighbours and reasons like the whole index, the issue itself always held', async () => {
    const related = settings.thresholds.related;
    const whole = await loadScopeIndex(['HADOOP'], settings, { termsOnly: true });
    for (const i of stored.filter((_, k) => k % 100 === 7)) {
      const own = whole.index.doc(i.id);
      if (!own) continue;
      const focused = await loadFocusedIndex(['HADOOP'], settings, own, related, [i.id]);
      expect(focused.index.has(i.id)).toBe(true);
      const got = new Map(focused.index.neighbours(i.id, 10, { minScore: related }).map((n) => [n.id, n.score]));
      for (const n of whole.index.neighbours(i.id, 10, { minScore: related })) {
        expect(got.get(n.id)).toBe(n.score);
        expect(focused.index.explain(i.id, n.id)).toEqual(whole.index.explain(i.id, n.id));
      }
    }
  }, 60_000);
});

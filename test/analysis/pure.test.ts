/** The pure parts of the pipeline: scope JQL, the pair cap, reasons encoding, surface words, a failed run's sentences. */
import fc from 'fast-check';
import { capPairs } from '../../src/analysis/pair-cap';
import { balancedOutsideStrings, scopeJql, stripOrderBy, withCreatedSlice } from '../../src/analysis/scope-jql';
import { joinCharacterPairs } from '../../src/analysis/character-pairs';
import { engineConfigFromSettings, pairReasons } from '../../src/analysis/scope-index';
import { linkChanges } from '../../src/analysis/jira-links';
import { descriptionWords, storedWord, SurfaceWords } from '../../src/analysis/surface-words';
import { decodeTerms, DEFAULT_CONFIG, encodeTerms, SimilarityIndex, TermExtractor, type ScoredPair } from '../../src/engine';
import { decodeReasons, encodeReasons, pairId } from '../../src/store/pairs';
import { DEFAULT_SETTINGS } from '../../src/store/settings';
import { runFailure } from '../../src/analysis/failure';
import { joinLeftOut, leftOutNotice } from '../../src/analysis/scope-check';
import { JiraError } from '../../src/jira/errors';
import { JIRA_REASON_FOR_ADMINS, publicRunError } from '../../src/store/runs';

describe('scopeJql', () => {
  it('always bounds by project and ANDs the admin filter in parentheses without its ORDER BY', () => {
    const jql = scopeJql({ ...DEFAULT_SETTINGS, issueTypes: ['Bug', 'Sub "task"'], maxAgeDays: 30, jqlFilter: 'labels = x OR labels = y ORDER BY key' }, ['SHOP', 'MOB'], {
      updatedSinceMs: 1_000_000 - 90 * 60_000,
      nowMs: 1_000_000,
    });
    expect(jql).toBe('project in ("SHOP", "MOB") AND issuetype in ("Bug", "Sub \\"task\\"") AND created >= -30d AND updated >= -90m AND (labels = x OR labels = y)');
  });

  it('drops only an ORDER BY outside quoted values, with all after it', () => {
    expect(stripOrderBy('summary !~ "order by mistake"')).toBe('summary !~ "order by mistake"');
    expect(stripOrderBy("text ~ 'ORDER  BY' AND labels = x order by key DESC")).toBe("text ~ 'ORDER  BY' AND labels = x");
    expect(stripOrderBy('labels = x\nORDER\tBY created')).toBe('labels = x');
    expect(stripOrderBy('ORDER BY key')).toBe('');
    // Words that only hold "order by": not a clause.
    expect(stripOrderBy('labels = reorder AND labels = "x" OR labels = order_by')).toBe('labels = reorder AND labels = "x" OR labels = order_by');
    expect(stripOrderBy('summary ~ "say \\"order by\\" here" order by key')).toBe('summary ~ "say \\"order by\\" here"');
    // The run's JQL keeps the quoted words, so the filter stays balanced and is not refused.
    expect(scopeJql({ ...DEFAULT_SETTINGS, jqlFilter: 'summary !~ "order by mistake"' }, ['SHOP'])).toBe('project in ("SHOP") AND (summary !~ "order by mistake")');
  });

  it('refuses a filter that would close our parenthesis', () => {
    expect(() => scopeJql({ ...DEFAULT_SETTINGS, jqlFilter: 'type = Bug) OR (project = HIDDEN' }, ['SHOP'])).toThrow(/JQL filter in the app settings is not valid/);
    expect(balancedOutsideStrings('summary ~ ")(" AND (a = b)')).toBe(true);
    expect(balancedOutsideStrings('a = b)')).toBe(false);
    expect(balancedOutsideStrings('summary ~ "open')).toBe(false);
  });

  it('created slices are half-open, so adjacent slices never overlap', () => {
    expect(withCreatedSlice('project = A', null, Date.UTC(2024, 0, 2, 3, 4))).toBe('project = A AND created < "2024-01-02 03:04"');
    expect(withCreatedSlice('project = A', Date.UTC(2024, 0, 2, 3, 4), null)).toBe('project = A AND created >= "2024-01-02 03:04"');
  });
});

describe('capPairs', () => {
  const pairArb = fc
    .array(fc.record({ a: fc.integer({ min: 0, max: 30 }), b: fc.integer({ min: 0, max: 30 }), score: fc.double({ min: 0.15, max: 1, noNaN: true }) }), { maxLength: 200 })
    .map((raw) => {
      const seen = new Set<string>();
      const out: ScoredPair[] = [];
      for (const r of raw) {
        if (r.a === r.b) continue;
        const [a, b] = [String(r.a), String(r.b)].sort() as [string, string];
        if (seen.has(`${a}-${b}`)) continue;
        seen.add(`${a}-${b}`);
        out.push({ a, b, score: r.score, tier: r.score >= 0.45 ? 'duplicate' : 'related' });
      }
      return out.sort((x, y) => y.score - x.score);
    });

  it('keeps every duplicate and each issue\'s best related pairs', () => {
    fc.assert(
      fc.property(pairArb, (pairs) => {
        const kept = new Set(capPairs(pairs, 3).map((p) => `${p.a}-${p.b}`));
        for (const p of pairs) if (p.tier === 'duplicate') expect(kept.has(`${p.a}-${p.b}`)).toBe(true);
        const issues = new Set(pairs.flatMap((p) => [p.a, p.b]));
        for (const id of issues) {
          const best = pairs.filter((p) => p.a === id || p.b === id).slice(0, 3);
          for (const p of best) expect(kept.has(`${p.a}-${p.b}`)).toBe(true);
        }
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('reasons', () => {
  it('round-trip compactly and stay under the column size', () => {
    const terms = [{ term: 'timeout', share: 0.41234 }, { term: 'gateway', share: 0.2 }];
    expect(decodeReasons(encodeReasons(terms))).toEqual([{ term: 'timeout', share: 0.412 }, { term: 'gateway', share: 0.2 }]);
    const long = Array.from({ length: 20 }, (_, i) => ({ term: 'x'.repeat(300) + String(i), share: 0.1 }));
    expect(encodeReasons(long).length).toBeLessThanOrEqual(1000);
    expect(decodeReasons('[{"term":"a","share":0.5}]')).toEqual([{ term: 'a', share: 0.5 }]);
    // Rows written before the compact form read as they did.
    expect(decodeReasons('[["timeout",0.412],["gateway",0.2]]')).toEqual([{ term: 'timeout', share: 0.412 }, { term: 'gateway', share: 0.2 }]);
    expect(decodeReasons('not json')).toEqual([]);
    expect(decodeReasons('')).toEqual([]);
    // Ten bytes or so a word shorter than the JSON form; odd words survive.
    expect(encodeReasons(terms)).toBe('timeout:412|gateway:200');
    const odd = [{ term: 'http://host:8080/a', share: 0.5 }, { term: 'a|b', share: 0.25 }, { term: '12:30', share: 0 }];
    expect(decodeReasons(encodeReasons(odd))).toEqual([{ term: 'http://host:8080/a', share: 0.5 }, { term: 'a¦b', share: 0.25 }, { term: '12:30', share: 0 }]);
    expect(pairId('20', '100')).toBe('100-20');
  });

  it('names stems by the words people wrote, from summaries first, then stored description words', () => {
    const extractor = new TermExtractor();
    const doc = extractor.extract({ id: '1', summary: 'Sync fails', description: 'Nightly synchronisation of the inventories failed.' });
    const words = descriptionWords(doc, 'Nightly synchronisation of the inventories failed.', extractor);
    const names = new SurfaceWords();
    const a = { id: '1', summary: 'Sync fails', words };
    const b = { id: '2', summary: 'Inventory sync is failing' };
    const inventoryTerm = extractor.tokenize('inventories')[0] ?? '';
    // "Inventory" starts b's summary: its capital says where it stands, so it reads lower-case.
    expect(names.name(inventoryTerm, a, b)).toBe('inventory');
    expect(names.name(inventoryTerm, a, { id: '3', summary: 'nothing here' })).toBe('inventories');
  });

  it('names a stem by the word that gives it, not by a stop word whose fallback term is that stem', () => {
    const extractor = new TermExtractor();
    const names = new SurfaceWords();
    const used = extractor.tokenize('used')[0] ?? '';
    const one = extractor.tokenize('one')[0] ?? '';
    expect([used, one]).toEqual(['us', 'on']);
    // "us" and "on" are stop words written before the words that give those stems.
    expect(names.name(used, { id: '1', summary: 'Let us know the tool used twice' }, { id: '2', summary: 'Tool used again' })).toBe('used');
    expect(names.name(one, { id: '3', summary: 'Crash on one page' }, { id: '4', summary: 'One page fails' })).toBe('one');
    // In a description's stored words too.
    const doc = extractor.extract({ id: '5', summary: 'Tool', description: 'Tell us when the tool is used' });
    expect(descriptionWords(doc, 'Tell us when the tool is used', extractor)).toContain(`${used}=used`);
    // A summary of stop words alone is indexed by its fallback terms, and named by them.
    const only = extractor.tokenize('on and on');
    expect(only.length).toBeGreaterThan(0);
    expect(names.name(only[0] ?? '', { id: '6', summary: 'on and on' }, { id: '7', summary: 'On and on' })).toBe('on');
  });

  it('names the character pairs of Chinese and Japanese summaries by themselves, not by the whole run', () => {
    const extractor = new TermExtractor();
    const names = new SurfaceWords();
    const a = { id: '1', summary: '支付页面在使用礼品卡时卡住' };
    const b = { id: '2', summary: '使用礼品卡时支付页面卡住' };
    const shared = extractor.tokenize(a.summary).filter((t) => extractor.tokenize(b.summary).includes(t));
    expect(shared.length).toBeGreaterThan(3);
    const written = shared.map((t) => names.name(t, a, b));
    for (const w of written) expect([...w]).toHaveLength(2);
    expect(written).toContain('礼品');
    expect(written).not.toContain(a.summary);
    // Latin next to it is named as before.
    expect(names.name(extractor.tokenize('gateway')[0] ?? '', { id: '3', summary: '支付Gateway超时' }, { id: '4', summary: 'Gateway down' })).toBe('Gateway');
  });

  it('shows the character pairs of a phrase both Chinese summaries hold as the phrase, its shares added up', () => {
    const extractor = new TermExtractor();
    const texts = [
      { id: '1', projectKey: 'SHOP', summary: '支付页面在使用礼品卡时卡住', description: '' },
      { id: '2', projectKey: 'SHOP', summary: '使用礼品卡时支付页面卡住', description: '' },
      { id: '3', projectKey: 'SHOP', summary: '退货流程无法完成', description: '' },
    ];
    const index = new SimilarityIndex();
    const docs = texts.map((t) => {
      const terms = extractor.extract(t);
      index.upsert(terms);
      return { id: t.id, projectKey: t.projectKey, summary: t.summary, words: '', terms: encodeTerms(terms) };
    });
    const [a, b] = docs as [(typeof docs)[0], (typeof docs)[0]];
    const pairsOnly = index.explain('1', '2', 30).terms;
    const reasons = pairReasons(index, a, b, new SurfaceWords(), 5);
    const words = reasons.map((r) => r.term);
    expect(words).toEqual(expect.arrayContaining(['使用礼品卡时', '支付页面']));
    // No fragment of a phrase shown whole is left beside it ("用礼" is no word).
    for (const fragment of ['用礼', '礼品', '付页']) expect(words).not.toContain(fragment);
    // The phrase's share is its pairs' shares added up.
    const share = (text: string): number =>
      pairsOnly.filter((t) => text.includes(t.term) && [...t.term].length === 2).reduce((sum, t) => sum + t.share, 0);
    expect(reasons.find((r) => r.term === '使用礼品卡时')?.share).toBeCloseTo(share('使用礼品卡时'), 6);
  });

  it('joins character pairs only where the other summary holds the joined text too, each pair once', () => {
    const reasons = [
      { term: '礼品', share: 0.2 },
      { term: '品卡', share: 0.2 },
      { term: '卡时', share: 0.1 },
      { term: 'gateway', share: 0.3 },
    ];
    // b has 礼品卡 and, elsewhere, 卡时, but never 礼品卡时.
    expect(joinCharacterPairs(reasons, '礼品卡时Gateway', '礼品卡 Gateway 卡时')).toEqual([
      { term: '卡时', share: 0.1 },
      { term: 'gateway', share: 0.3 },
      { term: '礼品卡', share: expect.closeTo(0.4, 9) as number },
    ]);
    // A phrase repeated in a gives one reason, not two.
    expect(joinCharacterPairs(reasons.slice(0, 2), '礼品卡，礼品卡', '礼品卡').map((r) => r.term)).toEqual(['礼品卡']);
    // A long shared stretch is shown by its first 20 characters, then goes on as another.
    const long = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥';
    const all = [...long].slice(1).map((c, k) => ({ term: `${[...long][k] ?? ''}${c}`, share: 0.01 }));
    expect(joinCharacterPairs(all, long, long).map((r) => r.term)).toEqual([long.slice(0, 20), long.slice(19)]);
    // One pair alone, or none: nothing to join.
    expect(joinCharacterPairs(reasons.slice(3), 'x', 'y')).toEqual(reasons.slice(3));
  });

  it('joins the pairs of a Japanese word with prolonged sound marks (サーバー) into the word', () => {
    const a = 'サーバーが停止する';
    const b = '本番サーバー停止';
    const extractor = new TermExtractor();
    const other = new Set(extractor.tokenize(b));
    const pairs = [...new Set(extractor.tokenize(a))].filter((t) => other.has(t)).map((term) => ({ term, share: 0.1 }));
    expect(pairs.map((p) => p.term)).toEqual(['サー', 'ーバ', 'バー', '停止']);
    expect(joinCharacterPairs(pairs, a, b)).toEqual([
      { term: '停止', share: 0.1 },
      { term: 'サーバー', share: expect.closeTo(0.3, 9) as number },
    ]);
    // A run never starts with the mark: ーー (a mark lengthening a mark) joins nothing.
    const marks = [{ term: 'ーー', share: 0.1 }, { term: 'ーサ', share: 0.1 }];
    expect(joinCharacterPairs(marks, 'ーーサ', 'ーーサ')).toEqual(marks);
  });

  it('stores the words of the 32 heaviest description terms, so a term far down a long description is named as written', () => {
    const extractor = new TermExtractor();
    // 30 distinct words whose stems differ from them, each once: all about equally heavy.
    const words = ['daily', 'factory', 'deploying', 'always', 'keys', 'nobody', 'libraries', 'queries', 'policies', 'retries', 'entries', 'replicas', 'caching', 'throttling', 'exceeding', 'configuring', 'balancing', 'scheduling', 'flushing', 'rotating', 'parsing', 'encoding', 'decoding', 'buffering', 'logging', 'tracing', 'mapping', 'sorting', 'merging', 'joining'];
    const description = words.join(' ');
    const doc = extractor.extract({ id: '1', summary: 'Something', description });
    const stored = descriptionWords(doc, description, extractor);
    const named = words.filter((w) => storedWord(stored, extractor.tokenize(w)[0] ?? '') === w);
    // With 16 stored, 14 of these 30 read as stems ("daili", "factori").
    expect(named).toEqual(words.filter((w) => (extractor.tokenize(w)[0] ?? w) !== w));
    expect(named.length).toBeGreaterThan(16);
    expect(stored.length).toBeLessThanOrEqual(600);
  });

  it('writes a word in its own case: a capital that only starts the summary or a clause goes, a name keeps its own', () => {
    const names = new SurfaceWords();
    const extractor = new TermExtractor();
    const term = (word: string) => extractor.tokenize(word)[0] ?? '';
    const a = { id: '1', summary: 'Two promo codes combined: Discount applied twice' };
    const b = { id: '2', summary: 'Customer combined two codes via Kafka (Discount bug)' };
    expect(names.name(term('two'), a, b)).toBe('two');
    expect(names.name(term('discount'), a, b)).toBe('discount');
    expect(names.name(term('combined'), a, b)).toBe('combined');
    // Mid-sentence capitals are the writer's: a name, an acronym, a mixed-case identifier.
    const c = { id: '3', summary: 'Kafka consumer lag in PayPal sync, reported by Kafka admins' };
    expect(names.name(term('kafka'), c, b)).toBe('Kafka');
    expect(names.name(term('paypal'), { id: '4', summary: 'PayPal fails' }, b)).toBe('PayPal');
    expect(names.name(term('hdfs'), { id: '5', summary: 'HDFS balancer hangs' }, { id: '6', summary: 'balancer' })).toBe('HDFS');
    // In a description too: a later use mid-sentence names the word.
    const description = 'Restarts help. Jenkins lags behind. We rebooted Jenkins twice.';
    const stored = descriptionWords(extractor.extract({ id: '9', summary: 'Lag', description }), description, extractor);
    expect(storedWord(stored, term('jenkins'))).toBe('Jenkins');
    expect(storedWord(stored, term('restarts'))).toBe('restarts');
    // A name that starts one summary is named by the description that writes it mid-sentence.
    const swiss = 'Prices are wrong after switching to Switzerland in the header.';
    const withName = { id: '10', summary: 'Prices show German VAT', words: descriptionWords(extractor.extract({ id: '10', summary: 'Prices show German VAT', description: swiss }), swiss, extractor) };
    expect(names.name(term('switzerland'), withName, { id: '11', summary: 'Switzerland selected but prices include VAT' })).toBe('Switzerland');
    expect(names.name(term('prices'), withName, { id: '11', summary: 'Switzerland selected but prices include VAT' })).toBe('prices');
    // Only at the start everywhere: lower-cased, as it reads in a sentence.
    expect(names.name(term('inventory'), { id: '7', summary: 'Inventory drifts' }, { id: '8', summary: 'Stock: Inventory off' })).toBe('inventory');
  });

  it('names the terms of labels and components by how they are written, not by their stems', () => {
    const extractor = new TermExtractor();
    const term = (word: string) => extractor.tokenize(word)[0] ?? '';
    const issue = { id: '1', summary: 'Build breaks', description: 'The nightly build breaks.', labels: ['flaky-tests', 'performance'], components: ['Release Notes'] };
    const words = descriptionWords(extractor.extract(issue), issue.description, extractor, issue);
    expect(storedWord(words, term('flaky'))).toBe('flaky');
    expect(storedWord(words, term('tests'))).toBe('tests');
    expect(storedWord(words, term('performance'))).toBe('performance');
    expect(storedWord(words, term('release'))).toBe('Release');
    expect(storedWord(words, term('notes'))).toBe('Notes');
    // Named in a shared-words list of two issues that share only the label.
    const names = new SurfaceWords();
    expect(names.name(term('flaky'), { id: '1', summary: issue.summary, words }, { id: '2', summary: 'Timeouts in CI' })).toBe('flaky');
    // Without labels or components nothing changes.
    expect(descriptionWords(extractor.extract({ id: '3', summary: 'x', description: 'Nightly runs' }), 'Nightly runs', extractor, {})).toBe(
      descriptionWords(extractor.extract({ id: '3', summary: 'x', description: 'Nightly runs' }), 'Nightly runs', extractor),
    );
  });

  it('names a label or component term by the word that gives it, not by a stop word whose fallback term is that stem', () => {
    const extractor = new TermExtractor();
    const [used, one] = [extractor.tokenize('used')[0] ?? '', extractor.tokenize('one')[0] ?? ''];
    expect([used, one]).toEqual(['us', 'on']);
    const wordsOf = (issue: { id: string; labels: string[]; components: string[] }) =>
      descriptionWords(extractor.extract({ ...issue, summary: 'Pager', description: 'Paged twice.' }), 'Paged twice.', extractor, issue);
    // "On" and "us" are stop words, written before the words that give those stems.
    expect(storedWord(wordsOf({ id: '1', labels: [], components: ['On Call', 'One Time'] }), one)).toBe('One');
    expect(storedWord(wordsOf({ id: '2', labels: ['us-east', 'used-by-ci'], components: [] }), used)).toBe('used');
    expect(storedWord(wordsOf({ id: '3', labels: ['on-call'], components: ['One Time'] }), one)).toBe('One');
    // A field of stop words alone is indexed by their fallback terms, and named by them.
    expect(storedWord(wordsOf({ id: '4', labels: ['us-east'], components: ['On'] }), one)).toBe('On');
  });

  it('tells the Duplicate links that appeared and went between the stored list and a fresh read', () => {
    expect(linkChanges([{ id: '5', before: '1,7', now: ['7', '9'] }])).toEqual({ appeared: ['5-9'], gone: ['1-5'] });
    // Never stored: every link appears, none goes.
    expect(linkChanges([{ id: '5', before: undefined, now: ['3'] }])).toEqual({ appeared: ['3-5'], gone: [] });
    // A list that was cut short names only some links: what it leaves out is not gone.
    expect(linkChanges([{ id: '5', before: '1,*', now: [] }])).toEqual({ appeared: [], gone: [] });
    // The same pair seen from both of its issues counts once.
    expect(linkChanges([{ id: '5', before: '', now: ['6'] }, { id: '6', before: '', now: ['5'] }])).toEqual({ appeared: ['5-6'], gone: [] });
    expect(linkChanges([{ id: '5', before: '6', now: ['6'] }])).toEqual({ appeared: [], gone: [] });
  });

  it('stores an identifier once for all of its parts, and reads old rows too', () => {
    const extractor = new TermExtractor();
    const description = 'Rendering fails in com.atlassian.jira.plugin.system.issuetabpanels after the upgrade.';
    const doc = extractor.extract({ id: '1', summary: 'Tab panel', description });
    const words = descriptionWords(doc, description, extractor);
    const identifier = 'com.atlassian.jira.plugin.system.issuetabpanels'.slice(0, 40);
    // The identifier is written once; its other parts point back to it.
    expect(words.split('|').filter((entry) => entry.endsWith(`=${identifier}`))).toHaveLength(1);
    expect(words.split('|').filter((entry) => entry.endsWith('=^')).length).toBeGreaterThanOrEqual(4);
    for (const part of ['atlassian', 'jira', 'plugin', 'system']) {
      const term = extractor.tokenize(part)[0] ?? '';
      expect(storedWord(words, term)).toBe(identifier);
    }
    // The description's first word keeps no capital that only starts its sentence.
    expect(storedWord(words, extractor.tokenize('rendering')[0] ?? '')).toBe('rendering');
    expect(storedWord(words, 'absent')).toBeUndefined();
    // Rows written before the back-references still read as they did.
    expect(storedWord('com=com.atlassian|jira=com.atlassian', 'jira')).toBe('com.atlassian');
    expect(storedWord('com=com.atlassian|jira=^|plugin=^', 'plugin')).toBe('com.atlassian');
    expect(storedWord('jira=^', 'jira')).toBeUndefined();
  });

  it('leaves out a term shared only as the issue type: both being Bugs is no word they share', () => {
    const extractor = new TermExtractor();
    const texts = [
      { id: '1', projectKey: 'SHOP', summary: 'Checkout hangs on the payment step', description: 'The spinner never stops.', type: 'Bug' },
      { id: '2', projectKey: 'SHOP', summary: 'Payment step hangs at checkout', description: 'Spinner forever.', type: 'Bug' },
      { id: '3', projectKey: 'SHOP', summary: 'Bug: payment step hangs', description: 'A bug in checkout.', type: 'Bug' },
      { id: '4', projectKey: 'SHOP', summary: 'Checkout bug: payment hangs', description: 'Spinner.', type: 'Bug' },
    ];
    const index = new SimilarityIndex();
    const docs = texts.map((t) => {
      const terms = extractor.extract(t);
      index.upsert(terms);
      return { id: t.id, projectKey: t.projectKey, summary: t.summary, words: '', terms: encodeTerms(terms) };
    });
    const bug = extractor.tokenize('bug')[0] ?? '';
    const [a, b, c, d] = docs as [(typeof docs)[0], (typeof docs)[0], (typeof docs)[0], (typeof docs)[0]];
    // The engine counts the shared type...
    expect(index.explain('1', '2', 15).terms.map((t) => t.term)).toContain(bug);
    // ... the reasons name only what is written.
    const words = pairReasons(index, a, b).map((r) => r.term.toLowerCase());
    expect(words).not.toContain('bug');
    expect(words).toEqual(expect.arrayContaining(['payment', 'step']));
    // Written in both, it is a shared word.
    expect(pairReasons(index, c, d).map((r) => r.term.toLowerCase())).toContain('bug');
  });

  it('names a part of an identifier by the identifier only when the other issue has the identifier too', () => {
    const extractor = new TermExtractor();
    const docOf = (id: string, summary: string) => ({ id, summary, words: '', terms: encodeTerms(extractor.extract({ id, summary, description: '' })) });
    const api = extractor.tokenize('api')[0] ?? '';
    const pay = extractor.tokenize('pay')[0] ?? '';
    const a = docOf('1', 'Leak in javaApi of FileSystem');
    // The other one says only "API": the word they share is that part, not "javaApi".
    expect(new SurfaceWords().name(api, a, docOf('2', 'FileSystem API leaks handles'))).toBe('Api');
    // Both write the identifier: it names its parts, as one word.
    expect(new SurfaceWords().name(api, a, docOf('3', 'javaApi leaks'))).toBe('javaApi');
    expect(new SurfaceWords().name(pay, docOf('4', 'PayPal checkout fails'), docOf('5', 'Refunds via PayPal fail'))).toBe('PayPal');
  });

  it('names a shared release line by itself, not by the version one of the two issues writes', () => {
    // Seen on the Hadoop backlog: "Release hadoop 3.3.5" was said to share "3.3.0" with an issue about 3.3.0.
    const extractor = new TermExtractor();
    const docOf = (id: string, summary: string, description = '') => {
      const terms = extractor.extract({ id, summary, description });
      return { id, summary, words: descriptionWords(terms, description, extractor), terms: encodeTerms(terms) };
    };
    const line = extractor.tokenize('3.3.5').find((t) => t === '3.3') ?? '';
    expect(line).toBe('3.3');
    const a = docOf('1', 'Release hadoop 3.3.5');
    expect(new SurfaceWords().name(line, a, docOf('2', 'Upgrade to 3.3.0 breaks the docs'))).toBe('3.3');
    expect(new SurfaceWords().name(line, docOf('3', 'Docs after the release', 'Since 3.3.0 the page is gone.'), a)).toBe('3.3');
    // The same version in both: named as written.
    expect(new SurfaceWords().name(line, a, docOf('4', 'Docs broken after release 3.3.5'))).toBe('3.3.5');
    expect(new SurfaceWords().name('3.3.5', a, docOf('5', 'Docs broken after release 3.3.5'))).toBe('3.3.5');
  });

  it('names a part of a hyphenated name the engine splits by that part, not by the name that differs', () => {
    // Seen on the Hadoop backlog: "…in hadoop-hdfs-project" and "…in hadoop-mapreduce-project"
    // were said to share "hadoop-hdfs-project", the one word they do not share.
    const extractor = new TermExtractor();
    const docOf = (id: string, summary: string) => ({ id, summary, words: '', terms: encodeTerms(extractor.extract({ id, summary, description: '' })) });
    const a = docOf('1', "Replace Guava Sets usage by Hadoop's own Sets in hadoop-hdfs-project");
    const b = docOf('2', "Replace Guava Sets usage by Hadoop's own Sets in hadoop-mapreduce-project");
    const project = extractor.tokenize('project')[0] ?? '';
    expect(new SurfaceWords().name(project, a, b)).toBe('project');
    const index = new SimilarityIndex();
    for (const d of [a, b]) index.upsert(decodeTerms(d.id, d.terms));
    index.upsert(extractor.extract({ id: '3', summary: 'Something else about yarn', description: '' }));
    const shown = pairReasons(index, { ...a, projectKey: 'H' }, { ...b, projectKey: 'H' }, new SurfaceWords(), 15).map((r) => r.term);
    expect(shown.some((w) => /hdfs|mapreduce/.test(w))).toBe(false);
    // The same for the words stored from a description.
    const text = 'Moves the module hadoop-hdfs-project to the new layout, and its OutputStream too';
    const stored = descriptionWords(extractor.extract({ id: '4', summary: 'x', description: text }), text, extractor);
    expect(storedWord(stored, extractor.tokenize('hdfs')[0] ?? '')).toBe('hdfs');
    // An identifier the engine indexes whole keeps naming its parts.
    expect(storedWord(stored, extractor.tokenize('stream')[0] ?? '')).toBe('OutputStream');
  });

  it('names a part of a stored description word by that part when the other issue does not hold the whole word', () => {
    const extractor = new TermExtractor();
    const docWith = (id: string, description: string) => {
      const doc = extractor.extract({ id, summary: 'Build breaks', description });
      return { id, summary: 'Build breaks', terms: encodeTerms(doc), words: descriptionWords(doc, description, extractor) };
    };
    const a = docWith('1', 'The nightly OutputStream check fails, see the ci log for the details of the failure today');
    const b = docWith('2', 'Flaky stream handling after the upgrade, the nightly run shows it');
    const c = docWith('3', 'The OutputStream check fails again in the nightly run');
    const stream = extractor.tokenize('stream')[0] ?? '';
    // b writes only "stream": the word they share is that, not a's "OutputStream".
    expect(storedWord(a.words, stream) ?? storedWord(a.words, extractor.tokenize('OutputStream')[0] ?? '')).toBeDefined();
    expect(new SurfaceWords().name(stream, a, b)).not.toBe('OutputStream');
    // c writes "OutputStream" too: then the identifier names it.
    expect(new SurfaceWords().name(stream, a, c)).toBe('OutputStream');
  });

  it('gives a word once however many of its terms two issues share', () => {
    const extractor = new TermExtractor();
    const issues = [
      { id: '1', projectKey: 'SHOP', summary: 'Remove the legacy PayPal Express integration', words: '', terms: '' },
      { id: '2', projectKey: 'SHOP', summary: 'PayPal Express checkout fails for guests', words: '', terms: '' },
      { id: '3', projectKey: 'SHOP', summary: 'Slow search on the catalogue page', words: '', terms: '' },
    ];
    const index = new SimilarityIndex();
    for (const i of issues) index.upsert(extractor.extract(i));
    const [a, b] = issues as [(typeof issues)[0], (typeof issues)[0]];
    // The engine's own explanation lists the identifier whole and by parts ...
    const raw = index.explain('1', '2', 15).terms.map((t) => new SurfaceWords().name(t.term, a, b));
    expect(raw.filter((w) => w === 'PayPal').length).toBeGreaterThan(1);
    // ... the reasons name each word once, with the shares added up.
    const reasons = pairReasons(index, a, b);
    const names = reasons.map((r) => r.term);
    expect(names.filter((w) => w === 'PayPal')).toHaveLength(1);
    expect(new Set(names.map((w) => w.toLowerCase())).size).toBe(names.length);
    const total = index.explain('1', '2', 15).terms.reduce((sum, t) => sum + t.share, 0);
    expect(reasons.reduce((sum, r) => sum + r.share, 0)).toBeCloseTo(total, 6);
    expect(reasons.map((r) => r.share)).toEqual([...reasons.map((r) => r.share)].sort((x, y) => y - x));
  });
});

describe('engineConfigFromSettings', () => {
  const extractor = new TermExtractor();
  const trace = '{code}java.lang.NullPointerException\n\tat org.apache.hadoop.hdfs.DFSClient.renewLease(DFSClient.java:812)\n\tat org.apache.hadoop.hdfs.LeaseRenewer.run(LeaseRenewer.java:437){code}';
  const score = (weights: Partial<typeof DEFAULT_SETTINGS.weights>, a: { summary: string; description: string }, b: { summary: string; description: string }): number => {
    const index = new SimilarityIndex(engineConfigFromSettings({ ...DEFAULT_SETTINGS, weights: { ...DEFAULT_SETTINGS.weights, ...weights } }));
    index.upsert(extractor.extract({ id: 'a', ...a }));
    index.upsert(extractor.extract({ id: 'b', ...b }));
    return index.explain('a', 'b').score;
  };

  it('leaves out a field weighted 0: the summary-only share with the summary, code blocks with the description', () => {
    const sameSummary = [{ summary: 'Lease renewal fails after failover', description: 'Seen on the staging cluster.' }, { summary: 'Lease renewal fails after failover', description: 'Our nightly job stops.' }] as const;
    expect(score({}, ...sameSummary)).toBeGreaterThan(0.5);
    // Labels only (the issues have none): nothing to compare, not a perfect match.
    expect(score({ summary: 0, description: 0, labels: 1, components: 0, type: 0 }, ...sameSummary)).toBe(0);
    const sameTrace = [{ summary: 'Client hangs', description: trace }, { summary: 'Balancer slow on large clusters', description: trace }] as const;
    expect(score({}, ...sameTrace)).toBeGreaterThan(0.15);
    expect(score({ description: 0 }, ...sameTrace)).toBe(0);
    // At the default description weight the code weight is the tuned one; twice the weight, twice the code.
    expect(engineConfigFromSettings(DEFAULT_SETTINGS)).toMatchObject({ codeWeight: DEFAULT_CONFIG.codeWeight, summaryBlend: DEFAULT_CONFIG.summaryBlend });
    expect(engineConfigFromSettings({ ...DEFAULT_SETTINGS, weights: { ...DEFAULT_SETTINGS.weights, description: 2 } }).codeWeight).toBeCloseTo(2 * DEFAULT_CONFIG.codeWeight, 10);
  });
});

describe('runFailure', () => {
  const rejected = (messages: string[]) => new JiraError({ message: 'Jira answered POST /rest/api/3/search/jql with 400.', status: 400, code: 'BAD_REQUEST', jiraMessages: messages });

  it("keeps Jira's words about a rejected search out of the message everyone reads", () => {
    const failure = runFailure(rejected(["An issue with key 'SECRET-4242' does not exist for field 'issuekey'."]), 'fetch', 'SHOP');
    expect(failure.message).toBe(`Jira rejected the search while fetching issues for SHOP. ${JIRA_REASON_FOR_ADMINS}`);
    expect(failure.detail).toBe(
      "Jira rejected the search while fetching issues for SHOP. Jira said: An issue with key 'SECRET-4242' does not exist for field 'issuekey'. Check the JQL filter in the app settings, then start again.",
    );
  });

  it('has no detail when Jira said nothing, or for other failures', () => {
    expect(runFailure(rejected([]), 'plan', 'SHOP')).toEqual({
      message: 'Jira rejected the search while counting issues for SHOP. Check the JQL filter in the app settings, then start again.',
      detail: null,
    });
    expect(runFailure(new JiraError({ message: 'x', status: 503, code: 'SERVER_ERROR', attempts: 5 }), 'fetch', 'SHOP').detail).toBeNull();
  });

  it('points at the projects and issue types, not at a JQL filter the settings do not have', () => {
    const failure = runFailure(rejected(["The value 'GONE' does not exist for the field 'project'."]), 'plan', 'SHOP', { jqlFilter: false });
    expect(failure.detail).toBe(
      "Jira rejected the search while counting issues for SHOP. Jira said: The value 'GONE' does not exist for the field 'project'. Check the projects and issue types in the app settings, then start again.",
    );
    expect(runFailure(rejected([]), 'plan', 'SHOP', { jqlFilter: false }).message).toBe(
      'Jira rejected the search while counting issues for SHOP. Check the projects and issue types in the app settings, then start again.',
    );
  });

  it('reads an error stored before v020 with Jira in it as one written now', () => {
    const old = "Jira rejected the search while fetching issues for SHOP. Jira said: The value 'GONE' does not exist for the field 'project'. Check the JQL filter in the app settings, then start again.";
    expect(publicRunError(old)).toBe(`Jira rejected the search while fetching issues for SHOP. ${JIRA_REASON_FOR_ADMINS}`);
    expect(publicRunError('The analysis failed while fetching issues for SHOP. Start it again.')).toBe('The analysis failed while fetching issues for SHOP. Start it again.');
    expect(publicRunError(null)).toBeNull();
  });
});

describe('what a run left out of its scope', () => {
  it('says what, why and what to do, for one name or several', () => {
    expect(leftOutNotice({ projects: [], issueTypes: [] })).toBeNull();
    expect(leftOutNotice({ projects: ['GONE', 'OLD'], issueTypes: [] })).toBe(
      'Projects GONE and OLD were left out: Jira does not show them to the app (deleted, archived, a key changed, or the app may no longer browse them). Remove them in the settings or give the app access.',
    );
    expect(leftOutNotice({ projects: [], issueTypes: ['Story', 'Spike'] })).toBe(
      'Issue types "Story" and "Spike" were left out: Jira no longer knows them (deleted or renamed). Remove them in the settings, or choose them again under their new names.',
    );
    const many = Array.from({ length: 14 }, (_, i) => `P${i}`);
    expect(leftOutNotice({ projects: many, issueTypes: [] })).toMatch(/^Projects P0, P1, .*, P9 and 4 more were left out/);
  });

  it('adds what a redelivered plan left out to what the first one did, each name once', () => {
    expect(joinLeftOut({ projects: ['GONE'], issueTypes: ['Spike'] }, { projects: ['GONE', 'OLD'], issueTypes: ['spike', 'Story'] })).toEqual({
      projects: ['GONE', 'OLD'],
      issueTypes: ['Spike', 'Story'],
    });
  });
});

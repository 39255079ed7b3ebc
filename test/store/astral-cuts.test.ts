/**
 * Names cut to fit their columns are cut between characters, never inside one: an emoji (two
 * UTF-16 units) at the cut used to lose its second half, and MariaDB stored the first as U+FFFD.
 */
import { LocalForge } from '../../sandbox/runtime';
import { descriptionWords } from '../../src/analysis/surface-words';
import { TermExtractor } from '../../src/engine';
import { logReason } from '../../src/analysis/failure';
import { clipCodePoints } from '../../src/shared/code-points';
import { appendAction } from '../../src/store/actions';
import { select } from '../../src/store/db';
import { upsertDocs } from '../../src/store/docs';
import { migrate } from '../../src/store/migrations';
import { decodeReasons, encodeReasons } from '../../src/store/pairs';
import { pipelineHandlers } from '../analysis/helpers';

const EMOJI = '😀';
/** A UTF-16 unit that is half of a character, alone. */
const LONE_HALF = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('clipCodePoints', () => {
  it('counts an emoji as one character and never splits it', () => {
    expect(clipCodePoints(`${'a'.repeat(63)}${EMOJI}${EMOJI}`, 64)).toBe(`${'a'.repeat(63)}${EMOJI}`);
    expect(clipCodePoints(`${EMOJI.repeat(40)}`, 39)).toBe(EMOJI.repeat(39));
    expect(clipCodePoints('short', 64)).toBe('short');
    // A lone half already in the text is one character, as MariaDB counts it.
    expect(clipCodePoints('\ud83dab', 2)).toBe('\ud83da');
  });
});

describe('logReason', () => {
  it('cuts an error message between characters', () => {
    expect(logReason(new Error(`${'a'.repeat(199)}${EMOJI}${EMOJI}`))).toBe(`Error: ${'a'.repeat(199)}${EMOJI}`);
  });
});

describe('stored names with an emoji at the column\'s length', () => {
  let forge: LocalForge;
  beforeAll(async () => {
    forge = await LocalForge.start({ handlers: pipelineHandlers, persistQueue: false });
    await migrate();
  });
  afterAll(async () => forge?.stop({ drop: true }));

  // Failed on the code before: slice(0, 1000) kept the emoji's first half, stored as U+FFFD.
  it("keep the emoji whole at the end of a history entry's detail", async () => {
    const view = await appendAction({ action: 'settings.save', actorAccountId: 'admin-1', detail: `${'a'.repeat(999)}${EMOJI}${EMOJI}` });
    const rows = await select('SELECT detail FROM actions WHERE id = ?', [view.id]);
    expect(rows[0]?.detail).toBe(`${'a'.repeat(999)}${EMOJI}`);
  });

  // Failed on the code before: slice(0, 64) kept the emoji's first half, stored as U+FFFD.
  it('keep the emoji whole when it is the last character that fits, and leave out the rest', async () => {
    const name = (fits: number) => `${'a'.repeat(fits - 1)}${EMOJI}${EMOJI}b`;
    await upsertDocs([
      {
        id: '1',
        key: 'EMO-1',
        projectKey: 'EMO',
        type: name(64),
        status: name(64),
        statusCategory: 'new',
        createdMs: 1000,
        updatedMs: 2000,
        summary: 'An issue with long names',
        textHash: 'h1',
        terms: 'd1\ns x1',
        securityLevel: name(32),
        resolution: name(64),
      },
    ]);
    const rows = await select('SELECT issue_type, status_name, security_level, resolution FROM docs WHERE id = ?', ['1']);
    const cut = (fits: number) => `${'a'.repeat(fits - 1)}${EMOJI}`;
    expect(rows[0]).toEqual({ issue_type: cut(64), status_name: cut(64), security_level: cut(32), resolution: cut(64) });
  });

  it('keep a shared term with an emoji at its cut whole in a pair\'s reasons', () => {
    const term = `${'a'.repeat(47)}${EMOJI}${EMOJI}`;
    expect(decodeReasons(encodeReasons([{ term, share: 0.5 }]))).toEqual([{ term: `${'a'.repeat(47)}${EMOJI}`, share: 0.5 }]);
  });
});

describe('surface words cut at 40 characters', () => {
  // Failed on the code before: slice(0, 40) kept the first half of the 40th character.
  it('keep a letter outside the Basic Multilingual Plane whole at the cut, in descriptions and labels', () => {
    const extractor = new TermExtractor();
    // 39 characters, then letters of CJK Extension B (two UTF-16 units each): the 40th is one.
    const word = `Conf${'a'.repeat(35)}\u{20000}\u{20000}\u{20000}x`;
    const text = `The ${word} failed again.`;
    const doc = extractor.extract({ id: '1', summary: 'Sync fails', description: text });
    const written = descriptionWords(doc, text, extractor);
    expect(written).toContain(`=Conf${'a'.repeat(35)}\u{20000}|`);
    expect(written).not.toMatch(LONE_HALF);
    const tagged = descriptionWords(extractor.extract({ id: '2', summary: 'x', description: 'y', labels: [word] }), 'y', extractor, { labels: [word] });
    expect(tagged).toContain(`=Conf${'a'.repeat(35)}\u{20000}|`);
    expect(tagged).not.toMatch(LONE_HALF);
  });
});

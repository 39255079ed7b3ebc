import { FORMER_USER, FORMER_USER_NAME } from '../../src/shared/wording';
import { decidedElsewhereText, whoDidWhat, type ElsewhereWords, type PairNow } from '../../static/shared/decided-elsewhere-text';

const name = 'SHOP-1 and SHOP-5';
const words: ElsewhereWords = {
  name,
  did: { pending: `reopened ${name}`, confirmed: `confirmed ${name}`, dismissed: `dismissed ${name}` },
  linkedInJira: `${name} were linked as duplicates in Jira`,
  shown: 'this page showed them as pending',
  notDone: 'your confirmation was not saved',
  where: null,
  unknown: 'The list now shows where the pair stands.',
};
// As `pairs.list` names them, the resolver's words for a closed account among them.
const names = new Map([
  ['admin-1', 'Alex Admin'],
  ['rtl-1', '\u202Eדנה לוי'],
  [FORMER_USER, FORMER_USER_NAME],
]);
const now = (decidedBy: string | null, status: PairNow['pair']['status'] = 'dismissed', decidedInJira = false): PairNow => ({
  pair: { status, decidedBy, decidedAt: new Date(Date.now() - 120_000).toISOString(), decidedInJira },
  names,
});

describe('what a refused decision says of who decided first (one plain string: a flag)', () => {
  it('isolates a name where the sentence begins with it, a right-to-left one cleaned of its override', () => {
    expect(decidedElsewhereText(words, now('admin-1'), 'member-1')).toBe(
      '\u2068Alex Admin\u2069 dismissed SHOP-1 and SHOP-5 2 minutes ago, after this page showed them as pending, so your confirmation was not saved.',
    );
    expect(decidedElsewhereText(words, now('rtl-1'), 'member-1')).toMatch(/^\u2068דנה לוי\u2069 dismissed SHOP-1 and SHOP-5 2 minutes ago, /);
  });

  it('says "A former user" at the start of the sentence and "a former user" inside one, as any other name', () => {
    expect(decidedElsewhereText(words, now(FORMER_USER), 'member-1')).toMatch(/^\u2068A former user\u2069 dismissed SHOP-1 and SHOP-5 2 minutes ago, /);
    expect(whoDidWhat(words, now(FORMER_USER), 'member-1', false)).toBe('\u2068a former user\u2069 dismissed SHOP-1 and SHOP-5 2 minutes ago');
    expect(whoDidWhat(words, now(FORMER_USER, 'confirmed', true), 'member-1')).toBe('SHOP-1 and SHOP-5 were linked as duplicates in Jira by \u2068a former user\u2069 2 minutes ago');
  });

  it('keeps its own words unisolated, capitalised only where they begin the sentence', () => {
    expect(whoDidWhat(words, now('member-1'), 'member-1')).toBe('You dismissed SHOP-1 and SHOP-5 2 minutes ago');
    expect(whoDidWhat(words, now('member-1'), 'member-1', false)).toBe('you dismissed SHOP-1 and SHOP-5 2 minutes ago');
    expect(whoDidWhat(words, now(null, 'pending'), 'member-1', false)).toBe('someone else reopened SHOP-1 and SHOP-5');
    // A name Jira did not give: "Someone else", never the account id.
    expect(whoDidWhat(words, now('hidden-1'), 'member-1')).toBe('Someone else dismissed SHOP-1 and SHOP-5 2 minutes ago');
    expect(decidedElsewhereText(words, null, 'member-1')).toBe(
      'Someone else decided SHOP-1 and SHOP-5 after this page showed them as pending, so your confirmation was not saved. The list now shows where the pair stands.',
    );
  });
});

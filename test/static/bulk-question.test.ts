/** The question before a bulk confirmation: its words for one, two and many pairs, joined or not. */
import type { PairView } from '../../src/shared/contract';
import { bulkQuestionWords } from '../../static/project-page/bulk-question';

let next = 1;
function pair(over: Partial<PairView> = {}): PairView {
  const n = next++;
  const ref = (k: number) => ({ id: String(k), key: `SHOP-${k}`, summary: 's', projectKey: 'SHOP', type: 'Bug', status: 'Open', statusCategory: 'new' as const, created: '2026-01-01T00:00:00.000Z' });
  return {
    id: `${n}-${n + 100}`,
    a: ref(n),
    b: ref(n + 100),
    score: 0.8,
    tier: 'duplicate',
    status: 'pending',
    sharedTerms: [],
    decidedBy: null,
    decidedAt: null,
    decidedInJira: false,
    dismissReason: null,
    firstSeenAt: '2026-01-01T00:00:00.000Z',
    lastSeenAt: '2026-01-01T00:00:00.000Z',
    clusterId: null,
    otherWork: null,
    linkedInJira: false,
    ...over,
  } as PairView;
}

describe('bulk confirmation question', () => {
  beforeEach(() => {
    next = 1;
  });

  it('asks to link when none is joined, in words for one, two and many', () => {
    expect(bulkQuestionWords([pair()])).toMatchObject({ title: 'Link this pair as duplicates in Jira?', label: 'Link 1 pair', tiers: 'It is a possible duplicate.' });
    expect(bulkQuestionWords([pair()]).links).toBe('It gets a Duplicate link in Jira, made as you. Unlink and reopen, on the Confirmed tab, takes a link back.');
    expect(bulkQuestionWords([pair(), pair()])).toMatchObject({ title: 'Link 2 pairs as duplicates in Jira?', label: 'Link 2 pairs', tiers: 'Both are possible duplicates.' });
    const six = bulkQuestionWords(Array.from({ length: 6 }, () => pair()));
    expect(six).toMatchObject({ title: 'Link 6 pairs as duplicates in Jira?', label: 'Link 6 pairs', tiers: 'All 6 are possible duplicates.' });
    expect(six.links).toMatch(/^Each pair gets a Duplicate link in Jira, made as you, unless a link made for another selected pair already joins its issues\./);
  });

  it('says how many are only related, with one score when their scores show as one', () => {
    expect(bulkQuestionWords([pair(), pair({ tier: 'related', score: 0.401 }), pair({ tier: 'related', score: 0.409 })]).tiers).toBe(
      '1 is a possible duplicate; 2 are only related (40%): alike, but not taken for duplicates. Check them before linking.',
    );
    expect(bulkQuestionWords([pair({ tier: 'related', score: 0.33 }), pair({ tier: 'related', score: 0.41 })]).tiers).toBe(
      'Neither is a possible duplicate; both are only related (33% to 41%): alike, but not taken for duplicates. Check them before linking.',
    );
  });

  it('counts the pairs already joined apart, names them, and still says links are made for the others', () => {
    const pairs = [pair({ linkedInJira: true }), pair({ linkedThrough: ['SHOP-50'] }), ...Array.from({ length: 23 }, () => pair())];
    const words = bulkQuestionWords(pairs);
    expect(words.title).toBe('Link 23 pairs as duplicates in Jira, and confirm 2 already joined?');
    expect(words.label).toBe('Link 23 pairs and confirm 2 more');
    expect(words.links).toBe(
      'Already joined in Jira, so confirmed without a link: SHOP-1 and SHOP-101; SHOP-2 and SHOP-102. The other 23 get a Duplicate link in Jira, made as you, unless a link made for another selected pair already joins their issues. Unlink and reopen, on the Confirmed tab, takes a link back.',
    );
    next = 1;
    const many = bulkQuestionWords([...Array.from({ length: 5 }, () => pair({ linkedInJira: true })), pair()]);
    expect(many.links).toMatch(/^Already joined in Jira, so confirmed without a link: SHOP-1 and SHOP-101; SHOP-2 and SHOP-102; SHOP-3 and SHOP-103; and 2 other pairs\. The other gets a Duplicate link in Jira, made as you\. Unlink/);
  });

  it('asks only to confirm when every pair is joined, and says nothing of taking a link back', () => {
    expect(bulkQuestionWords([pair({ linkedInJira: true })])).toMatchObject({
      title: 'Confirm this pair as duplicates?',
      label: 'Confirm 1 pair',
      links: 'Jira already joins the issues of this pair as duplicates, so no link is made.',
    });
    expect(bulkQuestionWords([pair({ linkedInJira: true }), pair({ linkedThrough: ['SHOP-9'] })]).links).toBe('Jira already joins the issues of both pairs as duplicates, so no link is made.');
  });
});

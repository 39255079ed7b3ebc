/** How stored reasons read in Compare, where both descriptions are at hand. */
import { sharedTermsOf } from '../../src/resolvers/views';
import type { PairRow } from '../../src/store/review';

function pairWith(reasons: Array<{ term: string; share: number }>): PairRow {
  return { reasons } as unknown as PairRow;
}

describe('sharedTermsOf with the texts of Compare', () => {
  const texts = ['Prices for Swiss customers show German VAT', 'After choosing Switzerland the prices keep the relevance ranking', 'Switzerland selected but prices include VAT', ''];

  it('keeps a stored word the texts write, in the case it was stored', () => {
    const terms = sharedTermsOf(pairWith([{ term: 'prices', share: 0.5 }, { term: 'Switzerland', share: 0.3 }]), texts);
    expect(terms.map((t) => t.term)).toEqual(['prices', 'Switzerland']);
  });

  it('names a stored stem by the first word the texts write for it', () => {
    const terms = sharedTermsOf(pairWith([{ term: 'relev', share: 0.2 }]), texts);
    expect(terms.map((t) => t.term)).toEqual(['relevance']);
  });

  it('keeps a stored stretch of Chinese the texts write inside longer runs, not its first character pair', () => {
    const chinese = ['在使用礼品卡时出错', '用户使用礼品卡时页面崩溃'];
    expect(sharedTermsOf(pairWith([{ term: '使用礼品卡时', share: 0.5 }, { term: '页面', share: 0.2 }]), chinese)).toEqual([
      { term: '使用礼品卡时', share: 0.5 },
      { term: '页面', share: 0.2 },
    ]);
  });

  it('clamps shares and leaves words alone without texts', () => {
    expect(sharedTermsOf(pairWith([{ term: 'relev', share: 1.4 }]))).toEqual([{ term: 'relev', share: 1 }]);
  });
});

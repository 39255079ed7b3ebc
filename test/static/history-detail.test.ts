import { detailText } from '../../static/shared/history-text';

describe('detailText', () => {
  it('leaves out the change of status the decision\'s own name says', () => {
    expect(detailText('confirm', 'score 82%, pending → confirmed; SHOP-2 duplicates SHOP-1')).toBe('score 82%; SHOP-2 duplicates SHOP-1');
    expect(detailText('dismiss', 'score 41%, pending → dismissed')).toBe('score 41%');
  });

  it('keeps a change the name does not say, and every other action\'s detail as it is', () => {
    expect(detailText('dismiss', 'score 41%, confirmed → dismissed')).toBe('score 41%, confirmed → dismissed');
    expect(detailText('reopen', 'score 41%, dismissed → pending')).toBe('score 41%, dismissed → pending');
    expect(detailText('unlink', 'score 82%, confirmed → pending; Duplicate links removed: 1')).toBe('score 82%, confirmed → pending; Duplicate links removed: 1');
    expect(detailText('confirm', null)).toBe('');
  });
});

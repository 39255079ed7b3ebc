/** One issue-key rule for the history's payload check and the history's issue box. */
import { ISSUE_KEY_PATTERN, normaliseIssueKey, projectKeyOfIssueKey } from '../../src/shared/issue-key';

describe('issue keys as people type them', () => {
  it('takes any case and surrounding spaces, and gives the key as Jira writes it', () => {
    expect(normaliseIssueKey(' shop-12 ')).toBe('SHOP-12');
    expect(normaliseIssueKey('MY_PROJ2-7')).toBe('MY_PROJ2-7');
  });

  it('refuses what is not a key', () => {
    for (const text of ['', 'SHOP', 'SHOP-', 'SHOP-0', 'SHOP 12', '12-SHOP', 'SHOP-12x', 'a/b-1']) {
      expect([text, normaliseIssueKey(text)]).toEqual([text, null]);
      expect(ISSUE_KEY_PATTERN.test(text.trim())).toBe(false);
    }
  });

  it('gives the project of a key, whose own key may hold underscores and digits', () => {
    expect(['SHOP-12', 'my_proj2-7', 'A-1'].map(projectKeyOfIssueKey)).toEqual(['SHOP', 'MY_PROJ2', 'A']);
  });
});

/** One issue-key rule for the history's payload check and the history's issue box. */
import { ISSUE_KEY_PATTERN, issueKeyOrNumber, normaliseIssueKey, projectKeyOfIssueKey } from '../../src/shared/issue-key';

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

  it("reads a number alone as the key with that number in the page's project, and only where there is one", () => {
    expect(['27', ' #27 ', '0027', 'shop-27', 'MOB-3'].map((t) => issueKeyOrNumber(t, 'SHOP'))).toEqual(['SHOP-27', 'SHOP-27', 'SHOP-27', 'SHOP-27', 'MOB-3']);
    for (const text of ['0', '#', '27a', '-27', '2 7', '1234567890123456789', '']) expect([text, issueKeyOrNumber(text, 'SHOP')]).toEqual([text, null]);
    // No project (the admin page): a number is no key.
    expect(issueKeyOrNumber('27', null)).toBeNull();
    expect(issueKeyOrNumber('shop-27', null)).toBe('SHOP-27');
  });
});

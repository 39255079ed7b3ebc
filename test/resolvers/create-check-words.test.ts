/**
 * When the create dialog's summary says enough to compare: `create.check` answers nothing
 * below two meaningful words, so "login" or "checkout" alone no longer warns.
 */
import { meaningfulWords } from '../../src/resolvers/methods/create-check';

describe('meaningfulWords', () => {
  it('counts the words the index keeps: not stop words or punctuation', () => {
    expect(meaningfulWords('login')).toBe(1);
    expect(meaningfulWords('checkout')).toBe(1);
    expect(meaningfulWords('the login')).toBe(1);
    expect(meaningfulWords('Login!!! - ?')).toBe(1);
    expect(meaningfulWords('Error 500')).toBe(2);
    expect(meaningfulWords('the it is')).toBe(0);
    expect(meaningfulWords('   ')).toBe(0);
    expect(meaningfulWords('Login fails')).toBe(2);
    expect(meaningfulWords('payment gateway timeout at checkout')).toBe(4);
  });

  it('counts a repeated word once, and one identifier once however the analyser splits it', () => {
    expect(meaningfulWords('login Login logins')).toBe(1);
    expect(meaningfulWords('jackson-databind')).toBe(1);
    expect(meaningfulWords('LdapGroupsMapping')).toBe(1);
    expect(meaningfulWords('NPE in LdapGroupsMapping')).toBe(2);
    expect(meaningfulWords('Upgrade jackson-databind to 2.9.10.2')).toBe(2);
  });

  it('counts every two characters of Chinese or Japanese as a word, and other scripts by their spaces', () => {
    expect(meaningfulWords('登录')).toBe(1);
    expect(meaningfulWords('登录失败')).toBe(2);
    expect(meaningfulWords('ログインできない')).toBe(4);
    expect(meaningfulWords('로그인')).toBe(1);
    expect(meaningfulWords('로그인 실패')).toBe(2);
    expect(meaningfulWords('تسجيل الدخول')).toBe(2);
  });

  it('takes a zero-width space for the space it stands in for, as the index does', () => {
    expect(meaningfulWords('Prices\u200Bfor\u200BSwiss\u200Bcustomers')).toBe(3);
    expect(meaningfulWords('login\u200B\u200B')).toBe(1);
  });
});

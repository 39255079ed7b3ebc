/** The call context: the site's address is kept only when it is a plain http(s) origin. */
import { readCallContext, siteUrlOf } from '../../src/resolvers/call-context';

describe('siteUrlOf', () => {
  it.each([
    ['https://acme.atlassian.net', 'https://acme.atlassian.net'],
    ['https://acme.atlassian.net/', 'https://acme.atlassian.net'],
    ['https://ACME.atlassian.net//', 'https://acme.atlassian.net'],
    ['http://127.0.0.1:8092', 'http://127.0.0.1:8092'],
    ['https://example.com/jira', 'https://example.com/jira'],
  ])('%s → %s', (raw, expected) => expect(siteUrlOf(raw)).toBe(expected));

  it.each([undefined, null, 42, '', 'acme.atlassian.net', 'javascript:alert(1)', 'file:///etc/passwd', 'https://u:p@acme.atlassian.net', 'https://acme.atlassian.net/?x=1', 'https://acme.atlassian.net/#f', `https://${'a'.repeat(600)}.net`])(
    'refuses %p',
    (raw) => expect(siteUrlOf(raw)).toBeNull(),
  );

  it('is read from the Forge context with the rest', () => {
    expect(readCallContext({ accountId: 'a-1', siteUrl: 'https://acme.atlassian.net/' }).siteUrl).toBe('https://acme.atlassian.net');
    expect(readCallContext({ accountId: 'a-1' }).siteUrl).toBeNull();
  });
});

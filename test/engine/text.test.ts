import { adfToText, extractTerms, tokenize, wikiToText } from '../../src/engine';

const adf = {
  type: 'doc',
  version: 1,
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Lease recovery' }] },
    { type: 'paragraph', content: [{ type: 'text', text: 'The namenode ' }, { type: 'text', text: 'hangs', marks: [{ type: 'strong' }] }] },
    { type: 'codeBlock', content: [{ type: 'text', text: 'at org.example.Lease.recover(Lease.java:10)' }] },
    { type: 'paragraph', content: [{ type: 'mention', attrs: { text: '@alice' } }, { type: 'inlineCard', attrs: { url: 'https://x.org/browse/HDFS-1' } }] },
  ],
};

describe('adfToText', () => {
  it('keeps text, code blocks, mentions and links in order', () => {
    const text = adfToText(adf);
    expect(text).toContain('Lease recovery');
    expect(text).toContain('The namenode hangs');
    expect(text).toContain('at org.example.Lease.recover');
    expect(text).toContain('HDFS-1');
    expect(text.indexOf('Lease recovery')).toBeLessThan(text.indexOf('namenode'));
  });

  it('returns an empty string for anything that is not ADF', () => {
    for (const bad of [null, undefined, 42, 'plain', [], {}, { type: 'doc', content: 'nope' }, { content: [{ text: 5 }] }]) {
      expect(typeof adfToText(bad)).toBe('string');
    }
  });

  it('survives deep nesting and cycles', () => {
    let deep: Record<string, unknown> = { type: 'text', text: 'bottom' };
    for (let i = 0; i < 10_000; i++) deep = { type: 'paragraph', content: [deep] };
    expect(() => adfToText(deep)).not.toThrow();
    const cyclic: Record<string, unknown> = { type: 'paragraph', content: [] };
    (cyclic['content'] as unknown[]).push(cyclic, { type: 'text', text: 'ok' });
    expect(adfToText(cyclic)).toContain('ok');
  });

  it('puts ADF code blocks in the code field', () => {
    const doc = extractTerms({ id: '1', summary: 's', description: adf });
    expect((doc.fields.code ?? []).map(([t]) => t)).toContain(tokenize('lease')[0]);
    expect((doc.fields.description ?? []).map(([t]) => t)).toContain(tokenize('namenode')[0]);
  });
});

describe('wikiToText', () => {
  it('strips markup and keeps code block content', () => {
    const text = wikiToText('h1. Title\n*bold* _em_ {{mono}} [link text|http://x.org]\n{code:java}\nint x = 1;\n{code}\n||a||b||');
    expect(text).toContain('Title');
    expect(text).not.toContain('h1.');
    expect(text).toContain('bold');
    expect(text).not.toContain('*bold*');
    expect(text).toContain('mono');
    expect(text).toContain('link text');
    expect(text).toContain('int x = 1;');
    expect(text).not.toContain('||');
  });

  it('routes {code}, {noformat}, stack traces and log lines to the code field', () => {
    const doc = extractTerms({
      id: '1',
      summary: 'crash',
      description:
        'Prose about replicas.\n{noformat}\nsecretword\n{noformat}\n\tat org.x.Foo.bar(Foo.java:1)\n2021-01-01 10:00:00,123 INFO logged',
    });
    const code = (doc.fields.code ?? []).map(([t]) => t);
    const prose = (doc.fields.description ?? []).map(([t]) => t);
    expect(code).toEqual(expect.arrayContaining(['secretword', 'foo', tokenize('logged')[0]]));
    expect(prose).toContain(tokenize('replicas')[0]);
    expect(prose).not.toContain('secretword');
  });

  it('handles an unclosed code block and only punctuation', () => {
    expect(wikiToText('{code}\nnever closed')).toContain('never closed');
    expect(() => wikiToText('*_+^~{{}}[]||!!')).not.toThrow();
  });
});

import { FSI, PDI, isolate } from '../../src/shared/bidi';

describe('isolate: text people wrote inside a sentence of one plain string', () => {
  it('puts the text between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE', () => {
    expect([FSI, PDI]).toEqual(['\u2068', '\u2069']);
    expect(isolate('Alex Admin')).toBe('\u2068Alex Admin\u2069');
    // Hebrew and Arabic names and summaries, as written: the isolate keeps the sentence's order around them.
    expect(`Confirmed by ${isolate('דנה לוי')} 3 minutes ago`).toBe('Confirmed by \u2068דנה לוי\u2069 3 minutes ago');
    expect(isolate('خطأ في تسجيل الدخول (v2)')).toBe('\u2068خطأ في تسجيل الدخول (v2)\u2069');
  });

  it("drops the text's own direction controls, so its PDI cannot close the isolate early nor an override reach past it", () => {
    // A PDI inside would end the isolate before the name does; an RLO without its PDF would turn the rest of the line.
    expect(isolate('Eve\u2069 Evil')).toBe('\u2068Eve Evil\u2069');
    expect(isolate('\u202Egnp.exe')).toBe('\u2068gnp.exe\u2069');
    expect(isolate('\u2066a\u2067b\u2068c\u202Ad\u202Be\u202Cf\u202Dg\u200Eh\u200Fi\u061Cj')).toBe('\u2068abcdefghij\u2069');
    // Exactly one isolate opened and one closed, whatever the text held.
    const wrapped = isolate('\u2069\u2069x\u2068\u2066');
    expect([...wrapped].filter((c) => c === FSI || c === '\u2066' || c === '\u2067').length).toBe(1);
    expect([...wrapped].filter((c) => c === PDI).length).toBe(1);
  });

  it('leaves other text alone, and isolates nothing when there is nothing to isolate', () => {
    // Zero-width joiners and the like are not direction controls (the pages clean those apart, displayText).
    expect(isolate('a\u200Db')).toBe('\u2068a\u200Db\u2069');
    expect(isolate('')).toBe('');
    expect(isolate('\u202E\u2069')).toBe('');
  });
});

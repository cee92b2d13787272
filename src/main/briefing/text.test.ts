import { describe, expect, it } from 'vitest';
import { cleanText, csvField, fitText, hasRtl } from './text.ts';

describe('cleanText', () => {
  it('removes control and bidi-override characters and folds whitespace', () => {
    expect(cleanText('a\u0000b\u202eC\u202c\r\n\td  e')).toBe('abC d e');
    expect(cleanText(undefined)).toBe('');
    expect(cleanText(42)).toBe('42');
  });
  it('caps length in code points with an ellipsis, never splitting a surrogate pair', () => {
    expect(cleanText('x'.repeat(500), 10)).toBe('x'.repeat(9) + '…');
    const emoji = '😀'.repeat(20);
    const cut = cleanText(emoji, 5);
    expect(Array.from(cut)).toEqual(['😀', '😀', '😀', '😀', '…']);
  });
  it('detects right-to-left letters', () => {
    expect(hasRtl('שלום')).toBe(true);
    expect(hasRtl('سلام')).toBe(true);
    expect(hasRtl('hello')).toBe(false);
  });
});

describe('fitText', () => {
  const measure = (s: string): number => Array.from(s).length; // one unit per character
  it('returns text that fits unchanged and cuts the rest to the longest prefix that fits with …', () => {
    expect(fitText('short', 10, measure)).toBe('short');
    expect(fitText('abcdefghijkl', 6, measure)).toBe('abcde…');
    expect(measure(fitText('y'.repeat(10_000), 37, measure))).toBe(37);
    expect(fitText('abc', 0, measure)).toBe('');
  });
});

describe('csvField', () => {
  it('quotes separators and quotes, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('-1+2')).toBe(`"'-1+2"`);
    expect(csvField(-1.5)).toBe('-1.5');
    expect(csvField(null)).toBe('');
    expect(csvField(Number.NaN)).toBe('');
  });
});

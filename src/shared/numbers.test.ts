import { describe, expect, it } from 'vitest';
import { legendNumber, percent } from './numbers.ts';

describe('legendNumber', () => {
  it('writes two significant digits as plain decimals', () => {
    expect(legendNumber(0.2113)).toBe('0.21');
    expect(legendNumber(0.0012345)).toBe('0.0012');
    expect(legendNumber(3.456)).toBe('3.5');
    expect(legendNumber(12.5)).toBe('13');
    expect(legendNumber(1234.4)).toBe('1,234');
  });
  it('never writes an exponent: tiny risks read as below a thousandth', () => {
    expect(legendNumber(1.7e-8)).toBe('< 0.001');
    expect(legendNumber(0.001)).toBe('0.001');
    expect(legendNumber(0)).toBe('0');
    expect(legendNumber(NaN)).toBe('–');
    for (const v of [1e-12, 3e-5, 0.04, 7, 250, 1e6]) expect(legendNumber(v)).not.toMatch(/e/i);
  });
});

describe('percent', () => {
  it('writes a share with one decimal', () => {
    expect(percent(0.142)).toBe('14.2 %');
    expect(percent(0.05)).toBe('5.0 %');
    expect(percent(1)).toBe('100.0 %');
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../shared/random.ts';
import { num } from './columns.ts';

describe('num', () => {
  it('reads every decimal spelling to the same double as Number() does', () => {
    const rand = mulberry32(7);
    const digit = () => String(Math.floor(rand() * 10));
    const cases = [
      '0',
      '-0',
      '5.',
      '.5',
      '-.5',
      '007',
      '38.851',
      '-77.012',
      '123456789012345',
      '1234567890123456',
    ];
    for (let k = 0; k < 20_000; k++) {
      let s = rand() < 0.5 ? '-' : '';
      const len = 1 + Math.floor(rand() * 17);
      const dotAt = Math.floor(rand() * (len + 2));
      for (let i = 0; i < len; i++) s += (i === dotAt ? '.' : '') + digit();
      cases.push(s);
    }
    for (const s of cases) expect(Object.is(num(s), Number(s)), s).toBe(true);
  });

  it('keeps what is not a plain decimal to Number(), and empty or blank text is NaN, not 0', () => {
    for (const s of ['1e3', ' 38.9', '38.9 ', '+1', '0x10', 'Infinity']) expect(num(s)).toBe(Number(s));
    for (const s of ['', '   ', '-', '.', '1.2.3', '38,9', 'north']) expect(num(s)).toBeNaN();
    expect(num(null)).toBeNaN();
    expect(num(12.5)).toBe(12.5);
  });
});

import { describe, expect, it } from 'vitest';
import { anchorRates, trailingCounts } from './anchor.ts';
import { anchorOf } from './convlstm.ts';
import { syntheticHistory } from './testing.ts';
import { denseOf, withDense } from '../testing.ts';

describe('anchoring to the trailing year', () => {
  it('blends geometrically with log1p(w / mean w) and keeps the total', () => {
    const rates = Float32Array.of(0.1, 0.2, 0.05, 0.4);
    const w = Float64Array.of(10, 0, 30, 0);
    const a = 0.3;
    const out = anchorRates(rates, w, a);
    // Direct: mean w = 10, so s = log1p(w/10) = [ln 2, 0, ln 4, 0].
    const raw = [0.1, 0.2, 0.05, 0.4].map((r, i) => r ** 0.7 * Math.exp(0.3 * Math.log1p(w[i] / 10)));
    const k = 0.75 / raw.reduce((x, y) => x + y, 0);
    raw.forEach((v, i) => expect(out[i]).toBeCloseTo(v * k, 6));
    expect(out.reduce((x, y) => x + y, 0)).toBeCloseTo(0.75, 6);
    expect(anchorRates(rates, w, 0)).toBe(rates);
  });

  it('sums events over the last year of the history only', () => {
    const d = denseOf(syntheticHistory(500, 4, 4, 2));
    d.total.fill(0);
    // An old hot spot in cell 0 (more than a year back) and a recent one in cell 5.
    for (let s = 0; s < 100; s++) d.total[s * 16] = 5;
    for (let s = 450; s < 500; s++) d.total[s * 16 + 5] = 1;
    const h = withDense(syntheticHistory(500, 4, 4, 2), d);
    expect(Array.from(trailingCounts(h.events, 365)).slice(0, 6)).toEqual([0, 0, 0, 0, 0, 50]);
    const flat = new Float32Array(16).fill(0.1);
    const out = anchorOf(flat, h, { anchor: 0.5, anchorTau: 0 });
    expect(out.indexOf(Math.max(...out))).toBe(5);
    expect(out[0]).toBeCloseTo(out[1], 9);
  });
});

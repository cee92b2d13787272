import { describe, expect, it } from 'vitest';
import { anchorRates, decayedCounts, trailingCounts } from './anchor.ts';
import { configFromParams, configParams, parseConfig } from './config.ts';
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

  it('with anchorTau, weighs every step by e^(−age/τ): the old hot spot still counts, less', () => {
    const d = denseOf(syntheticHistory(500, 4, 4, 2));
    d.total.fill(0);
    for (let s = 0; s < 100; s++) d.total[s * 16] = 5;
    for (let s = 450; s < 500; s++) d.total[s * 16 + 5] = 1;
    d.total[499 * 16 + 2] = 3;
    const h = withDense(syntheticHistory(500, 4, 4, 2), d);
    const tau = 200;
    const w = decayedCounts(h.events, tau);
    // Direct sums over the steps (age 0 = the last step).
    let old = 0;
    for (let s = 0; s < 100; s++) old += 5 * Math.exp(-(499 - s) / tau);
    let recent = 0;
    for (let s = 450; s < 500; s++) recent += Math.exp(-(499 - s) / tau);
    expect(w[0]).toBeCloseTo(old, 9);
    expect(w[5]).toBeCloseTo(recent, 9);
    expect(w[2]).toBeCloseTo(3, 12);
    expect(w[1]).toBe(0);
    // On daily steps anchorTau is in days; the blend uses these weights (cell 0 above cell 1 now).
    const flat = new Float32Array(16).fill(0.1);
    const out = anchorOf(flat, h, { anchor: 0.5, anchorTau: tau });
    expect(out).toEqual(anchorRates(flat, w, 0.5));
    expect(out[0]).toBeGreaterThan(out[1] * 1.01);
  });

  it('decays over 730 days by default; models stored before the option keep the trailing year', () => {
    expect(parseConfig({}).anchorTau).toBe(730);
    expect(configFromParams(configParams(parseConfig({}))).anchorTau).toBe(730);
    const stored = configParams(parseConfig({}));
    delete (stored as Record<string, unknown>).anchorTau;
    expect(configFromParams(stored).anchorTau).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { pairedBootstrap, quantile } from './bootstrap.ts';
import { mulberry32 } from '../../shared/random.ts';

describe('paired bootstrap', () => {
  const events = [3, 0, 5, 2, 4, 1, 6, 2, 3, 4];
  const a = [2, 0, 3, 1, 2, 1, 4, 1, 2, 2];
  const b = [1, 0, 3, 1, 1, 0, 3, 1, 1, 2];

  it('is deterministic for a seed and changes with it', () => {
    const x = pairedBootstrap(a, b, events, { seed: 7, samples: 500 });
    expect(pairedBootstrap(a, b, events, { seed: 7, samples: 500 })).toEqual(x);
    expect(pairedBootstrap(a, b, events, { seed: 8, samples: 500 })).not.toEqual(x);
  });

  it('reports the observed pooled difference inside its interval', () => {
    const x = pairedBootstrap(a, b, events, { seed: 1 });
    expect(x.diff).toBeCloseTo((18 - 13) / 30, 12);
    expect(x.lo).toBeLessThanOrEqual(x.diff);
    expect(x.hi).toBeGreaterThanOrEqual(x.diff);
    // a ≥ b on every step, so no resample can give a negative difference.
    expect(x.lo).toBeGreaterThanOrEqual(0);
  });

  it('is exactly zero for a model against itself', () => {
    expect(pairedBootstrap(a, a, events, { seed: 3 })).toEqual({ diff: 0, lo: 0, hi: 0 });
  });

  it('matches a direct resampling loop with the same generator', () => {
    const rand = mulberry32(11);
    const n = events.length;
    const draws: number[] = [];
    for (let s = 0; s < 300; s++) {
      let da = 0;
      let e = 0;
      for (let i = 0; i < n; i++) {
        const j = Math.floor(rand() * n);
        da += a[j] - b[j];
        e += events[j];
      }
      draws.push(da / e);
    }
    draws.sort((x, y) => x - y);
    const f = Float64Array.from(draws);
    const x = pairedBootstrap(a, b, events, { seed: 11, samples: 300 });
    expect(x.lo).toBeCloseTo(quantile(f, 0.025), 12);
    expect(x.hi).toBeCloseTo(quantile(f, 0.975), 12);
  });

  it('interpolates quantiles like numpy', () => {
    expect(quantile(Float64Array.from([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(quantile(Float64Array.from([0, 10]), 0.025)).toBeCloseTo(0.25, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { mulberry32, poissonKnuth } from './random.ts';

describe('seeded draws', () => {
  it('mulberry32 repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    for (let i = 0; i < 1000; i++) {
      const x = a();
      expect(x).toBe(b());
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it('poissonKnuth has the Poisson mean, variance and P(0) = e^−λ', () => {
    const rand = mulberry32(3);
    for (const lambda of [0.3, 2, 9]) {
      const n = 40_000;
      let s = 0;
      let s2 = 0;
      let zeros = 0;
      for (let i = 0; i < n; i++) {
        const k = poissonKnuth(rand, lambda);
        s += k;
        s2 += k * k;
        if (k === 0) zeros++;
      }
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      // Standard errors: √(λ/n) for the mean; the variance's is about λ·√(2/n) (plus a λ^1.5 term).
      expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / n));
      expect(Math.abs(variance - lambda)).toBeLessThan(5 * lambda * Math.sqrt((2 + 1 / lambda) / n));
      const p0 = Math.exp(-lambda);
      expect(Math.abs(zeros / n - p0)).toBeLessThan(5 * Math.sqrt((p0 * (1 - p0)) / n) + 1e-9);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { syntheticHistory } from '../forecast/neural/testing.ts';
import { denseOf, withDense } from '../forecast/testing.ts';
import { levelSinceFit } from './forecast.ts';

describe("a registered network's level after its fit", () => {
  it('follows the trailing year: the mean count per step over the last 365 days now over that at the fit', () => {
    const base = syntheticHistory(900, 6, 6, 3);
    const cells = 36;
    const dense = denseOf(base);
    // Thin the history's second half to a third, so the level falls after the fit.
    for (let s = 600; s < 900; s++)
      for (let c = 0; c < cells; c++) if ((s + c) % 3) dense.total[s * cells + c] = 0;
    const h = withDense(base, dense);
    h.excluded[850] = 1;
    const mean = (from: number, to: number) => {
      let events = 0;
      let n = 0;
      for (let s = from; s < to; s++) {
        if (h.excluded[s]) continue;
        n++;
        for (let c = 0; c < cells; c++) events += dense.total[s * cells + c];
      }
      return events / n;
    };
    // Daily steps of 24 h in this history: the trailing year is the last 365 steps.
    const k = levelSinceFit(h, 500);
    expect(k).toBeCloseTo(mean(535, 900) / mean(135, 500), 10);
    expect(k).toBeLessThan(0.8);
    expect(levelSinceFit(h, 900)).toBe(1);
    expect(levelSinceFit(h, 0)).toBe(1);
  });
});

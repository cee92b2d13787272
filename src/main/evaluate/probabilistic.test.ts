import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/random.ts';
import { StepEvents, storeOfDense } from '../history/events.ts';
import { pairedBootstrap } from './bootstrap.ts';
import { averagePrecision } from './metrics.ts';
import {
  LAMBDA_FLOOR,
  PROB_SCORES,
  poissonDeviance,
  poolProb,
  probStep,
  reliabilityTable,
  scaleToLevel,
  trailingMeanTotal,
} from './probabilistic.ts';

describe('Poisson deviance', () => {
  it('matches the closed form on hand-made values', () => {
    // d(y, λ) = 2 (y ln(y/λ) − (y − λ))
    expect(poissonDeviance(0, 0.5)).toBeCloseTo(1, 12); // 2·0.5
    expect(poissonDeviance(2, 2)).toBeCloseTo(0, 12);
    expect(poissonDeviance(3, 1)).toBeCloseTo(2 * (3 * Math.log(3) - 2), 12);
    expect(poissonDeviance(1, 0)).toBeCloseTo(2 * (Math.log(1 / LAMBDA_FLOOR) - 1 + LAMBDA_FLOOR), 9);
  });

  it('pools cell and citywide scores as a direct computation does', () => {
    // Two steps, three cells of which cells 0 and 2 are studied.
    const study = Int32Array.from([0, 2]);
    const risks = [
      [0.5, 9, 1.5],
      [0.2, 9, 0.3],
    ];
    const actual = [
      [1, 5, 2],
      [0, 5, 0],
    ];
    const steps = risks.map((r, t) => probStep(r, actual[t], study));
    const s = poolProb(steps, false);
    const d = (y: number, l: number) => 2 * ((y > 0 ? y * Math.log(y / l) : 0) - (y - l));
    const cell = (d(1, 0.5) + d(2, 1.5) + d(0, 0.2) + d(0, 0.3)) / 4;
    expect(s.deviance).toBeCloseTo(cell, 12);
    // Citywide: step 0 observed 3 against 2; step 1 observed 0 against 0.5.
    expect(s.totalDeviance).toBeCloseTo((d(3, 2) + d(0, 0.5)) / 2, 12);
    expect(s.totalMae).toBeCloseTo((1 + 0.5) / 2, 12);
    expect(s.meanExpected).toBeCloseTo(1.25, 12);
    expect(s.meanObserved).toBeCloseTo(1.5, 12);
    expect(s.typeLogLoss).toBeNull();
  });

  it('scores types as nats per typed event in the study cells', () => {
    const study = Int32Array.from([0, 1]);
    // 2 types × 3 cells; cell 2 is outside the study area.
    const probs = [0.25, 0.5, 0.9, 0.75, 0.5, 0.1];
    const counts = [1, 0, 7, 2, 1, 7];
    const s = probStep([1, 1, 1], [3, 1, 14], study, { probs, counts, n: 2, cells: 3 });
    expect(s.typedEvents).toBe(4);
    const nats = -Math.log(0.25) - 2 * Math.log(0.75) - Math.log(0.5);
    expect(s.typeNats).toBeCloseTo(nats, 12);
    expect(poolProb([s], true).typeLogLoss).toBeCloseTo(nats / 4, 12);
  });
});

describe('reliability table', () => {
  it('cuts cell-steps into equal bins by predicted p', () => {
    const p = Array.from({ length: 20 }, (_, i) => (19 - i) / 100);
    const y = p.map((_, i) => (i % 2 === 0 ? 1 : 0));
    const bins = reliabilityTable(p, y, 10);
    expect(bins).toHaveLength(10);
    // The lowest bin holds p = 0.00 and 0.01 (inputs 19 and 18: one odd, one even).
    expect(bins[0]).toEqual({ pFrom: 0, pTo: 0.01, meanP: 0.005, observed: 0.5, cellSteps: 2 });
    expect(bins[9].pTo).toBeCloseTo(0.19, 12);
    expect(bins.reduce((a, b) => a + b.cellSteps, 0)).toBe(20);
  });

  it('shows a calibrated forecast on the diagonal', () => {
    const rand = mulberry32(5);
    const p = Array.from({ length: 40_000 }, () => rand() * 0.4);
    const y = p.map((q) => (rand() < q ? 1 : 0));
    for (const b of reliabilityTable(p, y, 10)) expect(Math.abs(b.observed - b.meanP)).toBeLessThan(0.03);
  });
});

describe('level of a ranking-only forecast', () => {
  it('is the trailing mean count over counted steps in the study cells', () => {
    // 4 steps × 2 cells; only cell 1 studied; step 2 excluded.
    const total = [1, 2, 0, 4, 9, 9, 5, 6];
    const events = new StepEvents(storeOfDense(total, null, 4, 1, 2), 0, 4);
    expect(trailingMeanTotal(events, [0, 0, 1, 0], Uint8Array.of(0, 1), 3)).toBeCloseTo((4 + 6) / 2, 12);
    const r = Float32Array.from([1, 3]);
    scaleToLevel(r, Int32Array.from([1]), 6);
    expect(Array.from(r)).toEqual([2, 6]);
  });
});

describe('paired bootstrap of a score difference', () => {
  it('covers the true difference about 95 % of the time', () => {
    // Steps whose per-step deviance sums differ by a known mean (0.3 per cell over 5 cells) plus
    // independent noise: the interval of (ΣA − ΣB)/Σcells should cover 0.3 in ~95 % of replications.
    const rand = mulberry32(17);
    const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const reps = 200;
    let covered = 0;
    for (let r = 0; r < reps; r++) {
      const n = 60;
      const a: number[] = [];
      const b: number[] = [];
      const cells: number[] = [];
      for (let i = 0; i < n; i++) {
        const shared = 3 + gauss();
        b.push(5 * shared);
        a.push(5 * shared + 5 * 0.3 + 2 * gauss());
        cells.push(5);
      }
      const iv = pairedBootstrap(a, b, cells, { samples: 400, seed: r + 1 });
      if (iv.lo <= 0.3 && 0.3 <= iv.hi) covered++;
    }
    expect(covered / reps).toBeGreaterThan(0.9);
    expect(covered / reps).toBeLessThan(0.99);
  });

  it('uses each score’s numerator and denominator', () => {
    const s = probStep([1, 2], [0, 4], Int32Array.from([0, 1]));
    expect(PROB_SCORES.deviance(s)).toEqual([s.cellDeviance, 2]);
    expect(PROB_SCORES.totalMae(s)).toEqual([1, 1]);
    expect(PROB_SCORES.totalDeviance(s)[0]).toBeCloseTo(2 * (4 * Math.log(4 / 3) - 1), 12);
  });
});

describe('sorting without a comparator (long hourly tests)', () => {
  /** The comparator-sorted definitions the numeric sorts replaced. */
  function referenceReliability(p: Float32Array, y: Uint8Array, bins: number) {
    const idx = Array.from(p, (_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
    const out = [];
    for (let b = 0; b < bins; b++) {
      const from = Math.floor((b * p.length) / bins);
      const to = Math.floor(((b + 1) * p.length) / bins);
      if (to <= from) continue;
      let sp = 0;
      let sy = 0;
      for (let i = from; i < to; i++) {
        sp += p[idx[i]];
        sy += y[idx[i]];
      }
      const n = to - from;
      out.push({ pFrom: p[idx[from]], pTo: p[idx[to - 1]], meanP: sp / n, observed: sy / n, cellSteps: n });
    }
    return out;
  }
  function referenceAp(p: Float32Array, y: Uint8Array): number {
    const idx = Array.from(p, (_, i) => i).sort((a, b) => p[b] - p[a] || a - b);
    const positives = y.reduce((a, v) => a + v, 0);
    let tp = 0;
    let seen = 0;
    let ap = 0;
    let prev = 0;
    for (let i = 0; i < idx.length;) {
      const v = p[idx[i]];
      while (i < idx.length && p[idx[i]] === v) {
        tp += y[idx[i]];
        seen++;
        i++;
      }
      ap += (tp / positives - prev) * (tp / seen);
      prev = tp / positives;
    }
    return ap;
  }

  it('give the bins and the average precision of a stable index sort, ties split by cell order', () => {
    const rand = mulberry32(3);
    for (const [n, levels] of [
      [1000, 4],
      [997, 50],
      [5000, 100000],
      [13, 2],
    ]) {
      // Few distinct values: ties straddle the bin boundaries.
      const p = Float32Array.from({ length: n }, () => Math.floor(rand() * levels) / levels);
      const y = Uint8Array.from(p, (v) => (rand() < v ? 1 : 0));
      const got = reliabilityTable(p, y, 10);
      const want = referenceReliability(p, y, 10);
      expect(got.length).toBe(want.length);
      got.forEach((b, i) => {
        expect([b.pFrom, b.pTo, b.observed, b.cellSteps]).toEqual([
          want[i].pFrom,
          want[i].pTo,
          want[i].observed,
          want[i].cellSteps,
        ]);
        expect(b.meanP).toBeCloseTo(want[i].meanP, 12);
      });
      expect(averagePrecision(p, y)).toBe(referenceAp(p, y));
    }
  });
});

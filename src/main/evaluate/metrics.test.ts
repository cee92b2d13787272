import { rankMasked } from '../briefing/deploy.ts';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  averagePrecision,
  brier,
  CellStepScores,
  flaggedCount,
  oracleStep,
  poolScores,
  rankCells,
  scoreStep,
  studyCellsOf,
} from './metrics.ts';

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('hit rate, PAI, PEI (hand-computed)', () => {
  it('rounds the flagged count down: ⌊N·c/100⌋', () => {
    expect([1, 2, 5, 10].map((c) => flaggedCount(607, c))).toEqual([6, 12, 30, 60]);
    expect([1, 2, 5, 10].map((c) => flaggedCount(99, c))).toEqual([0, 1, 4, 9]);
    expect(flaggedCount(100, 1)).toBe(1);
  });

  it('breaks ties by row-major cell order', () => {
    // Cells 1, 3 and 4 tie at the top; 0 and 2 tie lower.
    expect(Array.from(rankCells([0.5, 2, 0.5, 2, 2], all(5)))).toEqual([1, 3, 4, 0, 2]);
    // Only the study cells are ranked.
    expect(Array.from(rankCells([9, 1, 1, 1], Int32Array.from([1, 2, 3])))).toEqual([1, 2, 3]);
  });

  it('ranks a risk that is not a finite positive number as 0, in a total order (deployment uses the same ranking)', () => {
    // NaN, −1, +∞ and 0 all tie at 0 behind cell 2, in cell order; a NaN cannot scramble the sort.
    const risk = [NaN, -1, 2, Infinity, 0, 0.5];
    expect(Array.from(rankCells(risk, all(6)))).toEqual([2, 5, 0, 1, 3, 4]);
    expect(rankMasked(risk, [1, 1, 1, 1, 1, 0])).toEqual([2, 0, 1, 3, 4]);
  });

  it('scores a tie at the cut by cell order, not by luck', () => {
    // 20 cells, 10 % → flag 2. Risk ties at 1 for cells 4, 7, 9; events only in cell 9.
    const risk = new Array(20).fill(0);
    risk[4] = risk[7] = risk[9] = 1;
    const actual = new Array(20).fill(0);
    actual[9] = 3;
    expect(scoreStep(risk, actual, all(20), [10]).hits).toEqual([0]);
    actual[7] = 1;
    expect(scoreStep(risk, actual, all(20), [10]).hits).toEqual([1]);
  });

  it('pools over steps, including a step with no events', () => {
    // N = 10 cells; coverage 10 % → 1 cell, 20 % → 2 cells.
    const cells = all(10);
    const cov = [10, 20];
    const risk1 = [5, 4, 3, 0, 0, 0, 0, 0, 0, 0];
    const act1 = [1, 0, 2, 0, 0, 0, 0, 0, 0, 1]; // 4 events: top-1 {0} hits 1, top-2 {0,1} hits 1
    const risk2 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
    const act2 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // no events
    const risk3 = [0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const act3 = [0, 2, 0, 0, 3, 0, 0, 0, 0, 0]; // 5 events: top-1 {1} hits 2, top-2 {1,0} hits 2
    const steps = [
      scoreStep(risk1, act1, cells, cov),
      scoreStep(risk2, act2, cells, cov),
      scoreStep(risk3, act3, cells, cov),
    ];
    const oracle = [oracleStep(act1, cells, cov), oracleStep(act2, cells, cov), oracleStep(act3, cells, cov)];
    // Oracle hits: step1 top-1 = 2, top-2 = 3; step2 0, 0; step3 top-1 = 3, top-2 = 5.
    expect(oracle.map((o) => o.hits)).toEqual([
      [2, 3],
      [0, 0],
      [3, 5],
    ]);
    const p = poolScores(steps, oracle, 10, cov);
    expect(p.hitRate[10]).toBeCloseTo(3 / 9, 12);
    expect(p.hitRate[20]).toBeCloseTo(3 / 9, 12);
    expect(p.pai[10]).toBeCloseTo(3 / 9 / 0.1, 12);
    expect(p.pai[20]).toBeCloseTo(3 / 9 / 0.2, 12);
    expect(p.pei[10]).toBeCloseTo(3 / 5, 12);
    expect(p.pei[20]).toBeCloseTo(3 / 8, 12);
  });

  it('an oracle equal to the actual counts has PEI 1 and the best hit rate', () => {
    const cells = all(50);
    const acts = [0, 1, 2].map((s) =>
      Array.from({ length: 50 }, (_, c) => ((c * 7 + s * 3) % 11 === 0 ? 1 + (c % 3) : 0)),
    );
    const steps = acts.map((a) => scoreStep(a, a, cells));
    const oracle = acts.map((a) => oracleStep(a, cells));
    const p = poolScores(steps, oracle, 50);
    for (const c of [2, 10]) expect(p.pei[c]).toBe(1);
    // At 1 % of 50 cells nothing is flagged: hit rate, PAI and PEI are all 0, not NaN.
    expect([p.hitRate[1], p.pai[1], p.pei[1]]).toEqual([0, 0, 0]);
    const total = acts.flat().reduce((a, b) => a + b, 0);
    const top5 = acts.map((a) =>
      [...a]
        .sort((x, y) => y - x)
        .slice(0, 5)
        .reduce((x, y) => x + y, 0),
    );
    expect(p.hitRate[10]).toBeCloseTo(top5.reduce((a, b) => a + b, 0) / total, 12);
  });

  it('with no events at all, every rate is 0', () => {
    const z = new Array(10).fill(0);
    const p = poolScores([scoreStep(z, z, all(10))], [oracleStep(z, all(10))], 10);
    expect(Object.values(p.hitRate)).toEqual([0, 0, 0, 0]);
    expect(Object.values(p.pei)).toEqual([0, 0, 0, 0]);
  });

  it('lists study cells row-major', () => {
    expect(Array.from(studyCellsOf(Uint8Array.from([0, 1, 1, 0, 1])))).toEqual([1, 2, 4]);
  });
});

describe('AUC-PR, Brier, accuracy', () => {
  it('average precision matches a hand computation, with ties as one threshold', () => {
    // Sorted: 0.9 (1), 0.8 (0), 0.7 (1), 0.1 (0): AP = 0.5·1 + 0.5·(2/3).
    expect(averagePrecision([0.1, 0.9, 0.7, 0.8], [0, 1, 1, 0])).toBeCloseTo(0.5 + 1 / 3, 12);
    // All tied: one threshold, precision = base rate.
    expect(averagePrecision([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 0])).toBeCloseTo(0.25, 12);
    // Tied pair at the top (one positive): recall 1/2 at precision 1/2, then 1 at 2/3.
    expect(averagePrecision([0.9, 0.9, 0.5, 0.1], [0, 1, 1, 0])).toBeCloseTo(0.5 * 0.5 + 0.5 * (2 / 3), 12);
    expect(averagePrecision([0.2, 0.1], [0, 0])).toBe(0);
  });

  it('Brier and accuracy at the stated threshold', () => {
    expect(brier([0.5, 0.1, 1], [1, 0, 1])).toBeCloseTo((0.25 + 0.01 + 0) / 3, 12);
    expect(accuracy([0.5, 0.49, 0.2, 0.7], [1, 1, 0, 0], 0.5)).toBe(0.5);
  });

  it('turns expected counts into probabilities 1 − e^−λ over the study cells only', () => {
    const s = new CellStepScores(1);
    s.addStep([Math.log(2), 0, 5], [1, 0, 9], Int32Array.from([0, 1]));
    s.addStep([0, Math.log(4), 5], [0, 2, 9], Int32Array.from([0, 1]));
    const r = s.summary();
    // p = [0.5, 0, 0, 0.75], y = [1, 0, 0, 1]
    expect(r.brier).toBeCloseTo((0.25 + 0 + 0 + 0.0625) / 4, 6);
    expect(r.accuracy).toBe(1);
    expect(r.aucPr).toBeCloseTo(1, 12);
  });
});

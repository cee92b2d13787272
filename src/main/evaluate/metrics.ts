/**
 * The field's hotspot metrics, pooled over test steps. Definitions (kept exact because every claim of
 * skill is read off them):
 * - the N study cells are ranked by predicted risk, ties broken by cell order (row-major from the NW);
 * - at coverage c the top k = ⌊N·c/100⌋ are flagged;
 * - hit rate = events in flagged cells / all events in the study area, summed over steps;
 * - PAI = hit rate / (k / N);
 * - PEI = hits / hits of the best k cells of each step (the oracle), summed over steps;
 * - AUC-PR (average precision, tied scores taken as one threshold) and Brier over study cell-steps,
 *   where a positive is ≥ 1 event and the probability is p = 1 − exp(−λ) from the predicted count λ;
 * - accuracy as in the reference paper: (TP + TN) / cell-steps with p ≥ 0.5 read as "event",
 *   every cell-step weighted 1 (the paper's class weighting enters its training loss, not its accuracy).
 */

import { reliabilityTable, type ReliabilityBin } from './probabilistic.ts';

export const COVERAGES = [1, 2, 5, 10] as const;
export type Coverage = (typeof COVERAGES)[number];
export const ACCURACY_THRESHOLD = 0.5;

/** Flagged cells at coverage c of N study cells. */
export function flaggedCount(n: number, coverage: number): number {
  return Math.floor((n * coverage) / 100);
}

/**
 * The one cell ranking (evaluation, the network's validation hit rates, forecast top cells, the
 * briefing's deployment, map and exports): study cells (indices into the grid) by descending risk, ties
 * by ascending cell index. A risk that is not a finite positive number ranks as 0.
 */
export function rankCells(risk: ArrayLike<number>, studyCells: ArrayLike<number>): Int32Array {
  const order = Int32Array.from(studyCells);
  const value = (c: number) => {
    const v = risk[c];
    return Number.isFinite(v) && v > 0 ? v : 0;
  };
  // Cells are distinct, so comparing by index on ties gives a total, deterministic order.
  order.sort((a, b) => value(b) - value(a) || a - b);
  return order;
}

/** The study mask as the list of its cells, in row-major order. */
export function studyCellsOf(mask: ArrayLike<number>): Int32Array {
  const out: number[] = [];
  for (let c = 0; c < mask.length; c++) if (mask[c]) out.push(c);
  return Int32Array.from(out);
}

export interface StepScore {
  /** Events in the study area this step. */
  events: number;
  /** Hits per coverage, in COVERAGES order. */
  hits: number[];
}

/** Hits of one step's forecast at each coverage. */
export function scoreStep(
  risk: ArrayLike<number>,
  actual: ArrayLike<number>,
  studyCells: Int32Array,
  coverages: readonly number[] = COVERAGES,
): StepScore {
  const order = rankCells(risk, studyCells);
  return { events: sumOver(actual, studyCells), hits: topHits(order, actual, studyCells.length, coverages) };
}

/** Best possible hits per coverage: the step's own counts as the forecast. */
export function oracleStep(
  actual: ArrayLike<number>,
  studyCells: Int32Array,
  coverages: readonly number[] = COVERAGES,
): StepScore {
  return scoreStep(actual, actual, studyCells, coverages);
}

function topHits(
  order: Int32Array,
  actual: ArrayLike<number>,
  n: number,
  coverages: readonly number[],
): number[] {
  return coverages.map((c) => {
    const k = flaggedCount(n, c);
    let h = 0;
    for (let i = 0; i < k; i++) h += actual[order[i]];
    return h;
  });
}

function sumOver(actual: ArrayLike<number>, cells: Int32Array): number {
  let s = 0;
  for (const c of cells) s += actual[c];
  return s;
}

/** Pools step scores into hit rate, PAI and PEI per coverage. */
export function poolScores(
  steps: readonly StepScore[],
  oracle: readonly StepScore[],
  studyCellCount: number,
  coverages: readonly number[] = COVERAGES,
): { hitRate: Record<string, number>; pai: Record<string, number>; pei: Record<string, number> } {
  const hitRate: Record<string, number> = {};
  const pai: Record<string, number> = {};
  const pei: Record<string, number> = {};
  let events = 0;
  for (const s of steps) events += s.events;
  coverages.forEach((c, j) => {
    let hits = 0;
    let best = 0;
    for (const s of steps) hits += s.hits[j];
    for (const s of oracle) best += s.hits[j];
    const k = flaggedCount(studyCellCount, c);
    const hr = events > 0 ? hits / events : 0;
    hitRate[c] = hr;
    pai[c] = k > 0 ? hr / (k / studyCellCount) : 0;
    pei[c] = best > 0 ? hits / best : 0;
  });
  return { hitRate, pai, pei };
}

export function probabilityOf(lambda: number): number {
  return lambda > 0 ? 1 - Math.exp(-lambda) : 0;
}

/**
 * Collects (probability, label) pairs over cell-steps for AUC-PR, Brier and accuracy. Scores are
 * stored as float32, which is what the forecasts hold anyway.
 */
export class CellStepScores {
  private p: Float32Array;
  private y: Uint8Array;
  private n = 0;

  constructor(capacity: number) {
    this.p = new Float32Array(capacity);
    this.y = new Uint8Array(capacity);
  }

  addStep(risk: ArrayLike<number>, actual: ArrayLike<number>, studyCells: Int32Array): void {
    if (this.n + studyCells.length > this.p.length) this.grow(this.n + studyCells.length);
    for (const c of studyCells) {
      this.p[this.n] = probabilityOf(risk[c]);
      this.y[this.n] = actual[c] > 0 ? 1 : 0;
      this.n++;
    }
  }

  private grow(min: number): void {
    const cap = Math.max(min, this.p.length * 2);
    const p = new Float32Array(cap);
    const y = new Uint8Array(cap);
    p.set(this.p.subarray(0, this.n));
    y.set(this.y.subarray(0, this.n));
    this.p = p;
    this.y = y;
  }

  /** Reliability of p(≥ 1) by decile of the predicted p (probabilistic.ts). */
  reliability(bins = 10): ReliabilityBin[] {
    return reliabilityTable(this.p.subarray(0, this.n), this.y.subarray(0, this.n), bins);
  }

  summary(): { aucPr: number; brier: number; accuracy: number } {
    const p = this.p.subarray(0, this.n);
    const y = this.y.subarray(0, this.n);
    return {
      aucPr: averagePrecision(p, y),
      brier: brier(p, y),
      accuracy: accuracy(p, y, ACCURACY_THRESHOLD),
    };
  }
}

/**
 * Average precision: Σ over distinct score thresholds (descending) of ΔRecall · Precision. A tied
 * group is one threshold, so only the scores of the positives and of the negatives matter, each
 * sorted on its own: numeric sorts in place, no comparator (which would copy every cell-step of a
 * long hourly test into the JS heap).
 */
export function averagePrecision(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = p.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i];
  if (positives === 0) return 0;
  const Arr = p instanceof Float32Array ? Float32Array : Float64Array;
  const pos = new Arr(positives);
  const neg = new Arr(n - positives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if (y[i]) pos[a++] = p[i];
    else neg[b++] = p[i];
  }
  pos.sort();
  neg.sort();
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let prevRecall = 0;
  while (i >= 0 || j >= 0) {
    const v = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    // A tied group is one threshold: all of it is flagged together.
    while (i >= 0 && pos[i] === v) {
      tp++;
      seen++;
      i--;
    }
    while (j >= 0 && neg[j] === v) {
      seen++;
      j--;
    }
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
  }
  return ap;
}

export function brier(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
  return p.length > 0 ? s / p.length : 0;
}

export function accuracy(p: ArrayLike<number>, y: ArrayLike<number>, threshold: number): number {
  let ok = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] >= threshold ? 1 : 0) === y[i]) ok++;
  return p.length > 0 ? ok / p.length : 0;
}

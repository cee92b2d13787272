import type { StepEvents } from '../history/events.ts';
/**
 * Scores of a forecast's level and calibration, which hit rates (normalised per step) cannot see.
 * Definitions, kept exact because the README quotes them:
 * - Poisson deviance of an observed count y against an expected count λ:
 *   d(y, λ) = 2 · (y · ln(y / λ) − (y − λ)), with y · ln(y / λ) = 0 at y = 0 and λ floored at
 *   LAMBDA_FLOOR (a forecast of exactly 0 where an event happens would otherwise score ∞);
 * - cell deviance: the mean of d over study cell-steps;
 * - citywide count per step: Y = Σ y and Λ = Σ λ over the study cells; its deviance is the mean of
 *   d(Y, Λ) over steps and its MAE the mean of |Y − Λ|;
 * - type log-loss: −ln p(type | cell) per typed event in a study cell, averaged over those events,
 *   p floored at TYPE_P_FLOOR;
 * - reliability: cell-steps sorted by p(≥ 1) = 1 − exp(−λ) and cut into ten bins of equal size; each
 *   bin gives its mean predicted p and the observed share of cell-steps with an event.
 */
import type { LeaderboardRow } from '../../shared/contract.ts';

export const LAMBDA_FLOOR = 1e-6;
export const TYPE_P_FLOOR = 1e-9;

export function poissonDeviance(y: number, lambda: number): number {
  const l = Math.max(lambda, LAMBDA_FLOOR);
  return 2 * ((y > 0 ? y * Math.log(y / l) : 0) - (y - l));
}

/** One step's contributions, kept per step so a paired bootstrap can resample steps. */
export interface ProbStep {
  /** Σ of d(y, λ) over the study cells. */
  cellDeviance: number;
  /** Study cells scored. */
  cells: number;
  /** Observed and expected citywide counts (study cells). */
  observed: number;
  expected: number;
  /** Σ of −ln p(type) over typed events; 0 with typedEvents 0 when the model gives no types. */
  typeNats: number;
  typedEvents: number;
}

/**
 * Scores one step. `typeProbs` is [types, cells] and `typeCounts` [types, cells] (the step's slice of
 * the count tensor); both or neither.
 */
export function probStep(
  risk: ArrayLike<number>,
  actual: ArrayLike<number>,
  studyCells: Int32Array,
  types?: { probs: ArrayLike<number>; counts: ArrayLike<number>; n: number; cells: number },
): ProbStep {
  let dev = 0;
  let observed = 0;
  let expected = 0;
  for (const c of studyCells) {
    dev += poissonDeviance(actual[c], risk[c]);
    observed += actual[c];
    expected += risk[c];
  }
  let typeNats = 0;
  let typedEvents = 0;
  if (types) {
    for (let k = 0; k < types.n; k++) {
      for (const c of studyCells) {
        const n = types.counts[k * types.cells + c];
        if (n > 0) {
          typeNats -= n * Math.log(Math.max(types.probs[k * types.cells + c], TYPE_P_FLOOR));
          typedEvents += n;
        }
      }
    }
  }
  return { cellDeviance: dev, cells: studyCells.length, observed, expected, typeNats, typedEvents };
}

/** The pooled scores as a stored run carries them (the contract's `scores`), plus the typed events counted. */
export type ProbSummary = NonNullable<LeaderboardRow['scores']> & { typedEvents: number };

export function poolProb(steps: readonly ProbStep[], withTypes: boolean): ProbSummary {
  let dev = 0;
  let cells = 0;
  let tdev = 0;
  let mae = 0;
  let exp = 0;
  let obs = 0;
  let nats = 0;
  let typed = 0;
  for (const s of steps) {
    dev += s.cellDeviance;
    cells += s.cells;
    tdev += poissonDeviance(s.observed, s.expected);
    mae += Math.abs(s.observed - s.expected);
    exp += s.expected;
    obs += s.observed;
    nats += s.typeNats;
    typed += s.typedEvents;
  }
  const n = Math.max(1, steps.length);
  return {
    deviance: cells > 0 ? dev / cells : 0,
    totalDeviance: tdev / n,
    totalMae: mae / n,
    meanExpected: exp / n,
    meanObserved: obs / n,
    typeLogLoss: withTypes && typed > 0 ? nats / typed : null,
    typedEvents: withTypes ? typed : 0,
  };
}

/** Per-step numerator and denominator of each pooled score, for the paired bootstrap. */
export const PROB_SCORES = {
  deviance: (s: ProbStep) => [s.cellDeviance, s.cells] as const,
  totalDeviance: (s: ProbStep) => [poissonDeviance(s.observed, s.expected), 1] as const,
  totalMae: (s: ProbStep) => [Math.abs(s.observed - s.expected), 1] as const,
  typeLogLoss: (s: ProbStep) => [s.typeNats, s.typedEvents] as const,
} satisfies Record<string, (s: ProbStep) => readonly [number, number]>;
export type ProbScoreName = keyof typeof PROB_SCORES;

export interface ReliabilityBin {
  /** Lowest and highest predicted p in the bin. */
  pFrom: number;
  pTo: number;
  meanP: number;
  /** Share of the bin's cell-steps with at least one event. */
  observed: number;
  cellSteps: number;
}

/** Equal-count bins of cell-steps ordered by predicted p (ties kept in input order). */
export function reliabilityTable(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const n = p.length;
  if (n === 0) return [];
  // Sorted by p, ties by index, without sorting indices: a numeric sort of a copy of p gives each
  // bin's range of values; a value whose copies fall in more than one bin is split by index order.
  const sorted = p instanceof Float32Array ? Float32Array.from(p) : Float64Array.from(p);
  sorted.sort();
  const from: number[] = [];
  const to: number[] = [];
  for (let b = 0; b < bins; b++) {
    const f = Math.floor((b * n) / bins);
    const t = Math.floor(((b + 1) * n) / bins);
    if (t > f) {
      from.push(f);
      to.push(t);
    }
  }
  const k = from.length;
  const lo = from.map((f) => sorted[f]);
  const hi = to.map((t) => sorted[t - 1]);
  // Values that straddle a boundary: the rank of their first copy, and how many were met so far.
  const split = new Map<number, { first: number; seen: number }>();
  for (let b = 1; b < k; b++) {
    const v = sorted[from[b]];
    if (sorted[from[b] - 1] !== v || split.has(v)) continue;
    let l = 0;
    let r = from[b];
    while (l < r) {
      const m = (l + r) >> 1;
      if (sorted[m] < v) l = m + 1;
      else r = m;
    }
    split.set(v, { first: l, seen: 0 });
  }
  const sp = new Float64Array(k);
  const sy = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const v = p[i];
    let b = 0;
    const s = split.get(v);
    if (s) {
      const rank = s.first + s.seen++;
      while (b < k - 1 && rank >= to[b]) b++;
    } else while (b < k - 1 && v > hi[b]) b++;
    sp[b] += v;
    sy[b] += y[i] > 0 ? 1 : 0;
  }
  return from.map((f, b) => ({
    pFrom: lo[b],
    pTo: hi[b],
    meanP: sp[b] / (to[b] - f),
    observed: sy[b] / (to[b] - f),
    cellSteps: to[b] - f,
  }));
}

/** The study-area total a level-less forecast is scaled to: mean events per counted step over the last `window` steps. */
export function trailingMeanTotal(
  events: StepEvents,
  excluded: ArrayLike<number>,
  studyMask: Uint8Array,
  window: number,
): number {
  let sum = 0;
  let counted = 0;
  for (let s = Math.max(0, events.steps - window); s < events.steps; s++) {
    if (excluded[s]) continue;
    counted++;
    events.forEachTotal(s, (c, n) => {
      if (studyMask[c]) sum += n;
    });
  }
  return counted > 0 ? sum / counted : 0;
}

/** Rescales a forecast in place so its study cells sum to `level` (a flat map when it sums to 0). */
export function scaleToLevel(risk: Float32Array, studyCells: Int32Array, level: number): void {
  let sum = 0;
  for (const c of studyCells) sum += risk[c];
  if (sum > 0) {
    const k = level / sum;
    for (let i = 0; i < risk.length; i++) risk[i] *= k;
  } else {
    for (let i = 0; i < risk.length; i++) risk[i] = 0;
    for (const c of studyCells) risk[c] = level / studyCells.length;
  }
}

/** A synthetic history for the neural forecaster's tests: a hot spot that drifts slowly east. */
import { MODEL_TYPES } from '../../../shared/types.ts';
import type { HistoryView } from '../types.ts';
import { StepEvents, storeOfDense } from '../../history/events.ts';
import { mulberry32, poissonKnuth } from '../../../shared/random.ts';
import { denseOf } from '../testing.ts';
import { poissonDeviance } from '../../evaluate/probabilistic.ts';
import { seenCells, sourceOf, validationStart } from './convlstm.ts';
import type { NeuralConfig } from './config.ts';

export function syntheticHistory(steps: number, rows: number, cols: number, seed = 1): HistoryView {
  const types = MODEL_TYPES.length;
  const cells = rows * cols;
  const rand = mulberry32(seed);
  const counts = new Float32Array(steps * types * cells);
  const total = new Float32Array(steps * cells);
  for (let s = 0; s < steps; s++) {
    const cx = Math.floor((s / steps) * (cols - 2)) + 1;
    const cy = Math.floor(rows / 2);
    for (let i = 0; i < cells; i++) {
      const y = Math.floor(i / cols);
      const x = i % cols;
      const d2 = (x - cx) ** 2 + (y - cy) ** 2;
      const p = 0.6 * Math.exp(-d2 / 2) + 0.01;
      if (rand() < p) {
        const k = rand() < 0.6 ? 1 : rand() < 0.7 ? 0 : 2;
        counts[(s * types + k) * cells + i] += 1;
        total[s * cells + i] += 1;
      }
    }
  }
  const day0 = Date.UTC(2017, 0, 1, 5);
  return {
    grid: { bbox: [0, 0, 1, 1], rows, cols, cellMeters: [100, 100] },
    step: { unit: 'day' },
    tz: 'America/New_York',
    types: MODEL_TYPES,
    steps,
    offset: 0,
    events: new StepEvents(storeOfDense(total, counts, steps, types, cells), 0, steps),
    excluded: new Uint8Array(steps),
    stepStartMs: (i: number) => day0 + i * 86_400_000,
    studyMask: new Uint8Array(cells).fill(1),
  };
}

/**
 * A synthetic city for the volume tests (calendar-learning, calendar-offset): a fixed map of hot
 * cells, a weekly cycle and a July 4th spike, three years of daily Poisson counts, 60 % typed
 * "multiple". `truth` is the generating process's expected count of a step and cell.
 */
export const ROWS = 5;
export const COLS = 5;
export const CELLS = ROWS * COLS;
const DAY = 86_400_000;
const DAY0 = Date.UTC(2015, 0, 1, 5); // local midnight in New York (EST)
export const STEPS = 365 * 3; // 2015-01-01 .. 2017-12-31
export const WEEK = [2.2, 0.6, 0.5, 0.55, 0.7, 1.0, 1.8]; // Sunday first
export const JULY4 = 8;

export const dateOf = (s: number) => new Date(DAY0 + s * DAY - 5 * 3_600_000);
/** Expected events of step s in cell i under the generating process. */
export function truth(s: number, share: Float64Array, i: number): number {
  const d = dateOf(s);
  const jul4 = d.getUTCMonth() === 6 && d.getUTCDate() === 4;
  return 20 * WEEK[d.getUTCDay()] * (jul4 ? JULY4 : 1) * share[i];
}

const poisson = poissonKnuth;

export function weeklyCity(): { h: HistoryView; share: Float64Array } {
  const rand = mulberry32(21);
  const share = shareOf([0, 6, 12, 18], rand);
  return { share, h: cityOf((s, i) => truth(s, share, i), rand) };
}

/**
 * The weekly city with a map that moves at weekends: Saturdays and Sundays have their own hot cells
 * (the opposite corners), which a static map (the calendar baseline's KDE) can only average.
 * `truthAt` is the generating process's expected count of a step and cell. With `earlyShare` < 1 the
 * weekend map is only partly there at first: until 2017-01-01 a weekend day's expected counts are that
 * share of the way from the weekday map to the weekend map, from then on all of it (so a network
 * trained on the first years and early-stopped on the last has seen the full map only in validation).
 */
export function weekendCity(o: { seed?: number; steps?: number; earlyShare?: number } = {}): {
  h: HistoryView;
  truthAt: (s: number, i: number) => number;
} {
  const changeAt = 365 * 2;
  const earlyShare = o.earlyShare ?? 1;
  const rand = mulberry32(o.seed ?? 23);
  const weekday = shareOf([0, 6, 12, 18], rand);
  const weekend = shareOf([4, 8, 16, 20], rand);
  const truthAt = (s: number, i: number) => {
    const day = dateOf(s).getUTCDay();
    if (day !== 0 && day !== 6) return truth(s, weekday, i);
    if (s >= changeAt || earlyShare === 1) return truth(s, weekend, i);
    return (1 - earlyShare) * truth(s, weekday, i) + earlyShare * truth(s, weekend, i);
  };
  return { truthAt, h: cityOf(truthAt, rand, o.steps) };
}

function shareOf(hot: number[], rand: () => number): Float64Array {
  const share = new Float64Array(CELLS);
  for (let i = 0; i < CELLS; i++) share[i] = hot.includes(i) ? 4 : 0.3 + rand();
  const sum = share.reduce((a, b) => a + b, 0);
  for (let i = 0; i < CELLS; i++) share[i] /= sum;
  return share;
}

function cityOf(mean: (s: number, i: number) => number, rand: () => number, steps = STEPS): HistoryView {
  const types = MODEL_TYPES.length;
  const counts = new Float32Array(steps * types * CELLS);
  const total = new Float32Array(steps * CELLS);
  for (let s = 0; s < steps; s++)
    for (let i = 0; i < CELLS; i++) {
      const n = poisson(rand, mean(s, i));
      counts[(s * types + (rand() < 0.6 ? 1 : 0)) * CELLS + i] += n;
      total[s * CELLS + i] = n;
    }
  return {
    grid: { bbox: [0, 0, 1, 1], rows: ROWS, cols: COLS, cellMeters: [100, 100] },
    step: { unit: 'day' },
    tz: 'America/New_York',
    types: MODEL_TYPES,
    steps,
    offset: 0,
    events: new StepEvents(storeOfDense(total, counts, steps, types, CELLS), 0, steps),
    excluded: new Uint8Array(steps),
    stepStartMs: (i: number) => DAY0 + i * DAY,
    studyMask: new Uint8Array(CELLS).fill(1),
  };
}

/** The history up to (not including) step s: what a forecast for step s sees. */
export const cutAt = (h: HistoryView, s: number): HistoryView => ({
  ...h,
  steps: s,
  events: h.events.window(0, s),
  excluded: h.excluded.subarray(0, s),
});

/**
 * The generating process's own mean Poisson deviance over the validation steps and study cells that
 * training under config c scores: the floor a forecaster of this synthetic city can reach.
 */
export function processDeviance(
  h: HistoryView,
  c: NeuralConfig,
  meanAt: (s: number, i: number) => number,
): number {
  const { total } = denseOf(h);
  const cells = h.grid.rows * h.grid.cols;
  const valFrom = validationStart(h, c);
  const study = seenCells(sourceOf(h, c), valFrom);
  let dev = 0;
  let n = 0;
  for (let s = valFrom; s < h.steps; s++)
    for (let i = 0; i < cells; i++) {
      if (!study[i]) continue;
      dev += poissonDeviance(total[s * cells + i], meanAt(s, i));
      n++;
    }
  return dev / n;
}

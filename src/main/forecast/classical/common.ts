import type { GridSpec } from '../../grid/types.ts';
import type { HistoryView } from '../types.ts';

/** Separable Gaussian blur of a [rows, cols] map, σ in cells, truncated at 3σ; mass leaving the grid is lost. */
export function gaussianSmooth(grid: GridSpec, map: Float64Array, sigma: number): Float64Array {
  if (sigma <= 0) return map;
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  const { rows, cols } = grid;
  const tmp = new Float64Array(rows * cols);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const xx = x + i;
        if (xx >= 0 && xx < cols) acc += k[i + r] * map[y * cols + xx];
      }
      tmp[y * cols + x] = acc;
    }
  }
  const out = new Float64Array(rows * cols);
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      let acc = 0;
      for (let i = -r; i <= r; i++) {
        const yy = y + i;
        if (yy >= 0 && yy < rows) acc += k[i + r] * tmp[yy * cols + x];
      }
      out[y * cols + x] = acc;
    }
  }
  return out;
}

/** Repeats one map for every step of the horizon, as float32. */
export function repeatMap(map: ArrayLike<number>, horizon = 1): Float32Array {
  const n = map.length;
  const out = new Float32Array(n * horizon);
  for (let h = 0; h < horizon; h++) for (let c = 0; c < n; c++) out[h * n + c] = map[c];
  return out;
}

/** Number of visible steps that were not left out (fireworks), for averaging. */
export function countedSteps(h: HistoryView, from = 0, to = h.steps): number {
  let n = 0;
  for (let s = from; s < to; s++) if (!h.excluded[s]) n++;
  return n;
}

/** Adds sign × total counts of steps [from, to) into acc. */
export function addSteps(h: HistoryView, acc: Float64Array, from: number, to: number, sign: 1 | -1): void {
  h.events.addTotal(acc, Math.max(0, from), to, sign);
}

/** Sum of total counts over steps [from, to) per cell. */
export function sumSteps(h: HistoryView, from: number, to: number): Float64Array {
  const out = new Float64Array(h.grid.rows * h.grid.cols);
  h.events.addTotal(out, Math.max(0, from), to);
  return out;
}

/**
 * Per-model state carried from one predict to the next. Walk-forward asks for step t, then t+1, … on
 * the same history buffer, so a model can fold in just the new steps instead of re-reading all history.
 * `advance` returns the steps to fold in, or null when the view is not a continuation (another feed, a
 * moved window, an earlier step): then the model starts over from step 0.
 */
export class Continuation {
  private source: object | undefined;
  private offset = -1;
  private steps = 0;

  advance(h: HistoryView): { from: number; to: number; fresh: boolean } {
    const same = this.source === h.events.source && this.offset === h.offset && h.steps >= this.steps;
    const from = same ? this.steps : 0;
    this.source = h.events.source;
    this.offset = h.offset;
    this.steps = h.steps;
    return { from, to: h.steps, fresh: !same };
  }
}

/**
 * Anchoring the network to a classical count map: the trailing year's counts, or (`anchorTau`, the
 * default 730 days) every step's counts weighed by age. Hit rates at 1 % of the cells are decided by a
 * handful of cells, where recent counts are the strongest classical ranking; the network trained on
 * a loss over all cells does not weigh those few cells specially. A geometric blend
 * log λ' = (1 − a)·log λ + a·log1p(w / mean w) keeps the network's ranking elsewhere while pulling
 * the top towards the count map; the blend is rescaled so each step's expected total is the
 * network's, which keeps calibration.
 */
import type { StepEvents } from '../../history/events.ts';

/** Events per cell over the last `window` steps of a history's events. */
export function trailingCounts(events: StepEvents, window: number): Float64Array {
  const w = new Float64Array(events.cells);
  events.addTotal(w, events.steps - window, events.steps);
  return w;
}

/** Events per cell over all of a history's steps, each step weighed e^{−age/tau} (age 0: the last step). */
export function decayedCounts(events: StepEvents, tau: number): Float64Array {
  const w = new Float64Array(events.cells);
  for (let t = 0; t < events.steps; t++) {
    const f = Math.exp(-(events.steps - 1 - t) / tau);
    if (f > 1e-12) events.addTotal(w, t, t + 1, f);
  }
  return w;
}

/** The blend of `rates` (expected events per cell) with trailing counts `w`, weight a; a new array. */
export function anchorRates(rates: Float32Array, w: Float64Array, a: number): Float32Array {
  if (a <= 0) return rates;
  const n = rates.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += w[i];
  mean /= n;
  const out = new Float32Array(n);
  let before = 0;
  let after = 0;
  for (let i = 0; i < n; i++) {
    const s = mean > 0 ? Math.log1p(w[i] / mean) : 0;
    const v = Math.exp((1 - a) * Math.log(Math.max(rates[i], 1e-30)) + a * s);
    out[i] = v;
    before += rates[i];
    after += v;
  }
  const scale = after > 0 ? before / after : 0;
  for (let i = 0; i < n; i++) out[i] *= scale;
  return out;
}

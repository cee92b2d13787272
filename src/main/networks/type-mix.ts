/**
 * The type baseline a network's type head must beat: the trailing year's mix of event types, the same in
 * every cell. A trained network records its validation type log-loss beside this mix's, scored alike
 * (train-loop's typeMetrics: per validation cell-step with a typed event, −Σ share · ln p); a forecast
 * reports the head's per-cell types as learned only when the network's score is lower, else it gives
 * this mix and says so. Counted from the events (distinct, on the grid), as the count tensor is.
 */
import type { EventColumns } from '../db/queries/events.ts';
import { cellOf } from '../grid/spec.ts';
import { stepIndexOf } from '../grid/time.ts';
import type { GridSpec, Timeline } from '../grid/types.ts';
import { EVENT_TYPES, MODEL_TYPES } from '../../shared/types.ts';

const YEAR_MS = 365 * 86_400_000;
/** A type never seen in the year still gets this share (then renormalised), as the head's start does. */
export const MIX_FLOOR = 1e-3;
const CHANNEL = Int8Array.from(EVENT_TYPES, (t) => (MODEL_TYPES as readonly string[]).indexOf(t));

/**
 * The share of each MODEL_TYPES entry among the typed events in the year before `beforeMs` (on the grid;
 * in study cells when a mask is given), floored at MIX_FLOOR; null when the year holds no typed event.
 */
export function trailingTypeMix(
  events: EventColumns,
  grid: GridSpec,
  beforeMs: number,
  studyMask?: Uint8Array,
): Float64Array | null {
  const byType = new Float64Array(MODEL_TYPES.length);
  for (let i = 0; i < events.length; i++) {
    const t = events.utcMs[i];
    if (events.duplicate[i] || t < beforeMs - YEAR_MS || t >= beforeMs) continue;
    const ch = CHANNEL[events.type[i]];
    if (ch < 0) continue;
    const cell = cellOf(grid, events.lat[i], events.lon[i]);
    if (cell < 0 || (studyMask && !studyMask[cell])) continue;
    byType[ch]++;
  }
  const n = byType.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const floored = byType.map((c) => Math.max(c / n, MIX_FLOOR));
  const z = floored.reduce((a, b) => a + b, 0);
  return floored.map((p) => p / z);
}

/**
 * The mix's log-loss on the steps from `fromStep` to the timeline's end, as the network's type head is
 * scored there: the mean over cell-steps with a typed event of −Σ_k share_k · ln mix_k.
 */
export function mixLogLoss(
  events: EventColumns,
  grid: GridSpec,
  timeline: Timeline,
  fromStep: number,
  mix: ArrayLike<number>,
): { logLoss: number; cellSteps: number } {
  const types = MODEL_TYPES.length;
  const cells = grid.rows * grid.cols;
  const fromMs = timeline.starts[fromStep];
  const groups = new Map<number, Float64Array>();
  for (let i = 0; i < events.length; i++) {
    const t = events.utcMs[i];
    if (events.duplicate[i] || t < fromMs) continue;
    const ch = CHANNEL[events.type[i]];
    if (ch < 0) continue;
    const s = stepIndexOf(timeline, t);
    const cell = cellOf(grid, events.lat[i], events.lon[i]);
    if (s < 0 || cell < 0) continue;
    const key = s * cells + cell;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new Float64Array(types)));
    g[ch]++;
  }
  let loss = 0;
  for (const g of groups.values()) {
    const n = g.reduce((a, b) => a + b, 0);
    for (let k = 0; k < types; k++) if (g[k] > 0) loss -= (g[k] / n) * Math.log(mix[k]);
  }
  return { logLoss: groups.size > 0 ? loss / groups.size : NaN, cellSteps: groups.size };
}

/** Whether a registered network's type head beat the trailing-year mix on its validation days. */
export function typesLearned(metrics: Record<string, unknown>): boolean {
  const net = Number(metrics.valTypeLogLoss);
  const mix = Number(metrics.valMixTypeLogLoss);
  return Number.isFinite(net) && Number.isFinite(mix) && net < mix;
}

/** Test helper: a history view over hand-made counts (all in the first channel). Not used by the app. */
import { MODEL_TYPES } from '../../shared/types.ts';
import { makeGrid } from '../grid/spec.ts';
import { buildTimeline, parseLocal } from '../grid/time.ts';
import type { CountTensor, StepSpec } from '../grid/types.ts';
import { StepEvents, storeOfDense } from '../history/events.ts';
import { HistoryFeed } from '../history/feed.ts';
import type { HistoryView } from './types.ts';

export function viewOf(
  counts: number[][],
  rows: number,
  cols: number,
  opts: { step?: StepSpec; excluded?: number[] } = {},
): HistoryView {
  return feedOf(counts, rows, cols, opts).view(counts.length);
}

/** A feed over hand-made counts, to ask for views of successive steps as walk-forward does. */
export function feedOf(
  counts: number[][],
  rows: number,
  cols: number,
  opts: { step?: StepSpec; excluded?: number[] } = {},
): HistoryFeed {
  const tz = 'UTC';
  const step = opts.step ?? { unit: 'day' };
  const grid = makeGrid({ bbox: [0, 0, 1, 1], rows, cols });
  const from = parseLocal(tz, '2020-01-01');
  let tl = buildTimeline(tz, step, from, from + 1);
  while (tl.steps < counts.length + 1) tl = buildTimeline(tz, step, from, tl.starts[tl.steps] + 1);
  const cells = rows * cols;
  const data = new Float32Array(tl.steps * MODEL_TYPES.length * cells);
  const total = new Float32Array(tl.steps * cells);
  counts.forEach((row, s) =>
    row.forEach((v, c) => {
      data[s * MODEL_TYPES.length * cells + c] = v;
      total[s * cells + c] = v;
    }),
  );
  const excluded = new Uint8Array(tl.steps);
  for (const s of opts.excluded ?? []) excluded[s] = 1;
  const tensor: CountTensor = {
    grid,
    timeline: tl,
    types: MODEL_TYPES,
    store: storeOfDense(total, data, tl.steps, MODEL_TYPES.length, cells),
    excluded,
    events: 0,
    typed: 0,
    untyped: 0,
    dropped: { outsideGrid: 0, fireworks: 0 },
  };
  return new HistoryFeed(tensor, new Uint8Array(cells).fill(1));
}

/** A view's events as dense arrays ([steps, types, cells] typed, [steps, cells] total): for tests. */
export function denseOf(h: HistoryView): { counts: Float32Array; total: Float32Array } {
  return { counts: h.events.denseTyped(), total: h.events.denseTotal() };
}

/** A view whose events are the given dense counts (the first `steps` steps of them): for tests. */
export function withDense(
  h: HistoryView,
  d: { counts: Float32Array; total: Float32Array },
  steps = h.steps,
): HistoryView {
  const cells = h.grid.rows * h.grid.cols;
  const store = storeOfDense(d.total, d.counts, steps, h.types.length, cells);
  return { ...h, steps, events: new StepEvents(store, 0, steps), excluded: h.excluded.subarray(0, steps) };
}

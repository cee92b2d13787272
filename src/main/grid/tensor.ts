import { EVENT_TYPES, MODEL_TYPES } from '../../shared/types.ts';
import type { EventColumns } from '../db/queries/events.ts';
import { EventStoreBuilder } from '../history/events.ts';
import { cellOf } from './spec.ts';
import { isFireworksDate, localParts } from './time.ts';
import type { CountTensor, GridSpec, Timeline } from './types.ts';

export interface TensorOptions {
  /** Leave out events on local dates in the fireworks windows (Dec 29–Jan 2, Jul 1–6), and flag those steps. */
  excludeFireworks?: boolean;
}

/** Channel of each EVENT_TYPES index in MODEL_TYPES order, −1 for types no channel counts. */
const CHANNEL = Int8Array.from(EVENT_TYPES, (t) => (MODEL_TYPES as readonly string[]).indexOf(t));

/**
 * Each step's events, sparse (history/events.ts): per cell every event (typed or not: what the risk
 * models and the evaluation count) and per type and cell the typed ones (what the type channels and
 * the type head see). Memory grows with the events, not with steps × cells. Events must be sorted by
 * time (loadEventColumns does that), which lets one forward pass over the step boundaries place
 * every event without a search.
 */
export function buildTensor(
  events: EventColumns,
  grid: GridSpec,
  timeline: Timeline,
  opts: TensorOptions = {},
): CountTensor {
  const types = MODEL_TYPES.length;
  const cells = grid.rows * grid.cols;
  const steps = timeline.steps;
  const store = new EventStoreBuilder(cells, types);
  const starts = timeline.starts;
  let step = 0;
  let counted = 0;
  let typed = 0;
  const dropped = { outsideGrid: 0, fireworks: 0 };
  for (let i = 0; i < events.length; i++) {
    if (events.duplicate[i]) continue;
    const t = events.utcMs[i];
    if (t < starts[0]) continue;
    while (step < steps && t >= starts[step + 1]) {
      store.endStep();
      step++;
    }
    if (step >= steps) break;
    if (opts.excludeFireworks && isFireworksDate(events.localMonth[i], events.localDay[i])) {
      dropped.fireworks++;
      continue;
    }
    const cell = cellOf(grid, events.lat[i], events.lon[i]);
    if (cell < 0) {
      dropped.outsideGrid++;
      continue;
    }
    const ch = CHANNEL[events.type[i]];
    store.add(cell, ch);
    counted++;
    if (ch >= 0) typed++;
  }
  while (step < steps) {
    store.endStep();
    step++;
  }
  const excluded = new Uint8Array(steps);
  if (opts.excludeFireworks) {
    for (let s = 0; s < steps; s++) {
      // A step is flagged when it starts on a fireworks date (days, shifts, hours); weeks that only
      // overlap a window keep their other days' counts.
      if (timeline.step.unit === 'week') continue;
      const p = localParts(timeline.tz, starts[s]);
      excluded[s] = isFireworksDate(p.month, p.day) ? 1 : 0;
    }
  }
  return {
    grid,
    timeline,
    types: MODEL_TYPES,
    store: store.build(),
    excluded,
    events: counted,
    typed,
    untyped: counted - typed,
    dropped,
  };
}

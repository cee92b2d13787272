import type { ReadonlyDb } from './context.ts';
import { distinctEventTimes, eventsBBox, eventWindowColumns } from '../db/queries/events.ts';
import { requireDataset } from '../grid/build.ts';
import { buildTimeline } from '../grid/time.ts';
import type { StepUnit } from '../../shared/types.ts';
import type { EventSummary, EventWindow } from '../../shared/contract.ts';

/**
 * The map's timeline: a dataset's steps at one unit and the distinct events (cross-network duplicates
 * left out, as in modelling) of each. The steps run from the first event's to the one after the last
 * event's (the step a forecast looks at first). It holds one number per step, never the events: the
 * renderer fetches those for the steps it shows (eventWindow).
 */
export function eventSummary(db: ReadonlyDb, dataset: string, unit: StepUnit): EventSummary {
  const ds = requireDataset(db, dataset);
  const times = distinctEventTimes(db, ds.id);
  const n = times.length;
  const out: EventSummary = {
    dataset: ds.name,
    tz: ds.tz,
    step: unit,
    firstStartMs: 0,
    runs: [],
    counts: [],
    total: n,
    bbox: eventsBBox(db, ds.id) ?? [0, 0, 0, 0],
  };
  if (n === 0) return out;
  // One step past the last event: the timeline ends on the step to forecast.
  const starts = buildTimeline(ds.tz, { unit }, times[0], times[n - 1] + 1).starts;
  const steps = starts.length;
  out.firstStartMs = starts[0];
  out.runs = runLengths(starts);
  const counts = new Array<number>(steps).fill(0);
  let s = 0;
  for (let i = 0; i < n; i++) {
    while (s + 1 < steps && starts[s + 1] <= times[i]) s++;
    counts[s]++;
  }
  out.counts = counts;
  return out;
}

/** Steps' starts as [count, gap] runs after the first (see EventSummary.runs). */
export function runLengths(starts: ArrayLike<number>): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 1; i < starts.length; i++) {
    const gap = starts[i] - starts[i - 1];
    const last = runs[runs.length - 1];
    if (last && last[1] === gap) last[0]++;
    else runs.push([1, gap]);
  }
  return runs;
}

/** The distinct events of a dataset in [fromMs, toMs), oldest first: the map's window of steps. */
export function eventWindow(db: ReadonlyDb, dataset: string, fromMs: number, toMs: number): EventWindow {
  const ds = requireDataset(db, dataset);
  return { fromMs, toMs, ...eventWindowColumns(db, ds.id, fromMs, toMs) };
}

import type { ReadonlyDb } from './context.ts';
import { eventsBBox, loadEventColumns as loadColumns } from '../db/queries/events.ts';
import { requireDataset } from '../grid/build.ts';
import { buildTimeline, isoLocal, stepIndexOf } from '../grid/time.ts';
import type { StepUnit } from '../../shared/types.ts';
import type { EventColumns } from '../../shared/contract.ts';

/**
 * The map's events: a dataset's distinct events (cross-network duplicates left out, as in modelling) as plain columns for
 * the renderer, each tagged with its step; the steps run from the first event's to the one after the
 * last event's (the step a forecast looks at first).
 */
export function eventColumns(db: ReadonlyDb, dataset: string, unit: StepUnit): EventColumns {
  const ds = requireDataset(db, dataset);
  const ev = loadColumns(db, ds.id);
  const n = ev.length;
  const out: EventColumns = {
    dataset: ds.name,
    tz: ds.tz,
    step: unit,
    steps: [],
    lat: Array.from(ev.lat),
    lon: Array.from(ev.lon),
    type: Array.from(ev.type),
    utcMs: Array.from(ev.utcMs),
    stepIndex: new Array<number>(n),
    bbox: eventsBBox(db, ds.id) ?? [0, 0, 0, 0],
  };
  if (n === 0) return out;
  // One step past the last event: the timeline ends on the day to forecast.
  const timeline = buildTimeline(ds.tz, { unit }, ev.utcMs[0], ev.utcMs[n - 1] + 1);
  const starts = Array.from(timeline.starts);
  for (let i = 0; i < n; i++) out.stepIndex[i] = stepIndexOf(timeline, ev.utcMs[i]);
  out.steps = starts.map((s) => isoLocal(ds.tz, s));
  return out;
}

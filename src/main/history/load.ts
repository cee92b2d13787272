/**
 * The one history loader below the forecasters: a dataset's events on a grid, counted per step up to an
 * end, with the study area and a feed that reveals the steps one at a time. Walk-forward evaluation,
 * `forecastAt`, a registered network's forecast, training, fine-tuning and tuning all load through here.
 */
import type { ReadonlyDb } from '../db/connection.ts';
import { datasetHolidays } from '../db/queries/datasets.ts';
import type { EventColumns } from '../db/queries/events.ts';
import { parseHolidayList } from '../forecast/holidays.ts';
import { loadGridAndEvents, requireDataset, type DatasetRef } from '../grid/build.ts';
import { dataMask, polygonMask } from '../grid/study.ts';
import { buildTensor } from '../grid/tensor.ts';
import { buildTimeline, parseLocal, stepIndexOf, stepStartAt } from '../grid/time.ts';
import type { CountTensor, GeoJsonLike, GridOptions, GridSpec, StepSpec, Timeline } from '../grid/types.ts';
import type { HistoryView } from '../forecast/types.ts';
import { DataError } from '../util/errors.ts';
import { HistoryFeed } from './feed.ts';

export interface HistoryRequest {
  grid: GridOptions;
  step: StepSpec;
  /**
   * Where the history ends: a local date (or local time), meaning the start of the step that holds it,
   * or a UTC instant. Only events before it are loaded; the timeline runs from the first event's step
   * to the step that holds the end.
   */
  end: string | number;
  /**
   * What the forecasters may know (default: the end): the grid's extent from the data and the default
   * study area use only events before this instant (walk-forward: the test period's start).
   */
  knownBeforeMs?: number;
  /** How the error names the cut-off when nothing precedes it (default: `end`). */
  endLabel?: string;
  excludeFireworks?: boolean;
  /** Study area polygon; default: the cells with an event before `knownBeforeMs`. */
  studyArea?: GeoJsonLike;
  /**
   * Extra holiday dates for this request, besides the dataset's own (stored with it) and the built-in
   * list; the views hand them all to the forecasters (holidays.ts).
   */
  holidays?: readonly string[];
}

export interface History {
  dataset: DatasetRef;
  grid: GridSpec;
  events: EventColumns;
  timeline: Timeline;
  tensor: CountTensor;
  studyMask: Uint8Array;
  /** The extra holiday dates in use: the dataset's own and the request's, sorted (holidays.ts). */
  holidays: string[];
  /** UTC start of the step after the history (the first step a forecast from it looks at). */
  endMs: number;
  /** Step index of a local date (the first step starting at or after its step's start). */
  indexOf: (localDate: string) => number;
  /** A new feed over the history (each walk-forward model gets its own). */
  feed: () => HistoryFeed;
  /** The whole history, as one view. */
  view: () => HistoryView;
}

export function loadHistory(db: ReadonlyDb, dataset: string | DatasetRef, req: HistoryRequest): History {
  const ds = typeof dataset === 'string' ? requireDataset(db, dataset) : dataset;
  const tz = ds.tz;
  const endMs = typeof req.end === 'number' ? req.end : stepStartAt(tz, req.step, parseLocal(tz, req.end));
  const knownMs = req.knownBeforeMs ?? endMs;
  const { grid, events } = loadGridAndEvents(db, ds, req.grid, endMs, knownMs);
  if (events.length === 0 || events.utcMs[0] >= knownMs)
    throw new DataError(`dataset '${ds.name}' has no events before ${req.endLabel ?? req.end}`);
  const timeline = buildTimeline(tz, req.step, events.utcMs[0], endMs);
  const tensor = buildTensor(events, grid, timeline, { excludeFireworks: req.excludeFireworks });
  // The study area is what was known: the cells with an event before the step that holds knownMs.
  const known = req.knownBeforeMs === undefined ? endMs : timeline.starts[stepIndexOf(timeline, knownMs)];
  const studyMask = req.studyArea ? polygonMask(grid, req.studyArea) : dataMask(grid, events, known);
  const holidays = parseHolidayList([...datasetHolidays(db, ds.id), ...(req.holidays ?? [])]);
  const feed = new HistoryFeed(tensor, studyMask, { holidays });
  const indexOf = (localDate: string): number => {
    const ms = stepStartAt(tz, req.step, parseLocal(tz, localDate));
    let i = 0;
    while (i < timeline.steps && timeline.starts[i] < ms) i++;
    return i;
  };
  return {
    dataset: ds,
    grid,
    events,
    timeline,
    tensor,
    studyMask,
    holidays,
    endMs,
    indexOf,
    feed: () => new HistoryFeed(tensor, studyMask, { holidays }),
    view: () => feed.view(timeline.steps),
  };
}

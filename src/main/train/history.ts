/** A dataset's history on a grid up to a date, as the forecasters see it (shared by train, forecast, update, tune). */
import type { ReadonlyDb } from '../db/connection.ts';
import { loadGridAndEvents, requireDataset, type DatasetRef } from '../grid/build.ts';
import { dataMask } from '../grid/study.ts';
import { buildTensor } from '../grid/tensor.ts';
import { buildTimeline, parseLocal, stepStartAt } from '../grid/time.ts';
import type { GridOptions, GridSpec, StepSpec, Timeline } from '../grid/types.ts';
import { HistoryFeed } from '../forecast/history.ts';
import type { HistoryView } from '../forecast/types.ts';
import { DataError } from '../util/errors.ts';

export interface LoadedHistory {
  dataset: DatasetRef;
  grid: GridSpec;
  timeline: Timeline;
  feed: HistoryFeed;
  /** UTC start of the step containing `end` (the first step not in the history). */
  endMs: number;
  /** Step index of a local date (the step that contains its start). */
  indexOf: (localDate: string) => number;
  /** The whole history before `end`. */
  view: () => HistoryView;
}

/** Loads steps from the dataset's first event up to (not including) the step containing local date `end`. */
export function loadHistory(
  db: ReadonlyDb,
  datasetName: string,
  gridOptions: GridOptions,
  step: StepSpec,
  end: string,
): LoadedHistory {
  const dataset = requireDataset(db, datasetName);
  const tz = dataset.tz;
  const endMs = stepStartAt(tz, step, parseLocal(tz, end));
  const { grid, events } = loadGridAndEvents(db, dataset, gridOptions, endMs);
  if (events.length === 0) throw new DataError(`dataset '${dataset.name}' has no events before ${end}`);
  const full = buildTimeline(tz, step, events.utcMs[0], endMs);
  const starts = Array.from(full.starts).filter((s) => s <= endMs);
  const timeline: Timeline = { ...full, starts: Float64Array.from(starts), steps: starts.length - 1 };
  const tensor = buildTensor(events, grid, timeline);
  const feed = new HistoryFeed(tensor, dataMask(grid, events, endMs));
  const indexOf = (localDate: string): number => {
    const ms = stepStartAt(tz, step, parseLocal(tz, localDate));
    let i = 0;
    while (i < timeline.steps && timeline.starts[i] < ms) i++;
    return i;
  };
  return { dataset, grid, timeline, feed, endMs, indexOf, view: () => feed.view(timeline.steps) };
}

/** The `grid` use case: how a dataset grids (cell size, steps, counts, the tensor's shape) before any model runs. */
import { lastEventMs } from '../db/queries/events.ts';
import { requireDataset } from '../grid/build.ts';
import { maskCount } from '../grid/study.ts';
import { isoLocal } from '../grid/time.ts';
import type { GridOptions, StepSpec } from '../grid/types.ts';
import { loadHistory } from '../history/load.ts';
import { DataError } from '../util/errors.ts';
import type { ReadonlyDb } from './context.ts';

export interface GridRequest {
  dataset: string;
  grid: GridOptions;
  step: StepSpec;
  excludeFireworks?: boolean;
}

export function describeGrid(db: ReadonlyDb, req: GridRequest) {
  const dataset = requireDataset(db, req.dataset);
  const t0 = performance.now();
  const last = lastEventMs(db, dataset.id);
  if (last === null) throw new DataError(`dataset '${dataset.name}' has no events`);
  // Every event: the history ends just after the newest one; the study area is the cells with an event.
  const { grid, timeline, tensor, studyMask } = loadHistory(db, dataset, {
    grid: req.grid,
    step: req.step,
    end: last + 1,
    excludeFireworks: req.excludeFireworks,
    studyArea: req.grid.boundary,
  });
  const seconds = (performance.now() - t0) / 1000;
  const { step } = req;
  return {
    dataset: dataset.name,
    tz: dataset.tz,
    grid: { rows: grid.rows, cols: grid.cols, bbox: grid.bbox, cellMeters: grid.cellMeters },
    step: step.unit,
    ...(step.unit === 'shift' ? { shiftStartHour: step.shiftStartHour ?? 0 } : {}),
    steps: timeline.steps,
    from: isoLocal(dataset.tz, timeline.starts[0]),
    to: isoLocal(dataset.tz, timeline.starts[timeline.steps]),
    tensorShape: [timeline.steps, tensor.types.length, grid.rows, grid.cols],
    types: tensor.types,
    events: tensor.events,
    eventsOutsideGrid: tensor.dropped.outsideGrid,
    eventsInFireworksWindows: tensor.dropped.fireworks,
    eventsOfUnmodelledType: tensor.untyped,
    eventsTyped: tensor.typed,
    excludedSteps: tensor.excluded.reduce((a, b) => a + b, 0),
    studyCells: maskCount(studyMask),
    studyArea: req.grid.boundary ? 'boundary' : 'cells with at least one event',
    seconds,
  };
}

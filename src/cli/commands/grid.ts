import type { Command, CommandContext, OptionSpec } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { loadGridAndEvents, requireDataset } from '../../main/grid/build.ts';
import { readGeoJson } from '../../main/grid/geojson.ts';
import { parseBBox } from '../../main/grid/spec.ts';
import { dataMask, maskCount, polygonMask } from '../../main/grid/study.ts';
import { buildTensor } from '../../main/grid/tensor.ts';
import { buildTimeline, isoLocal, parseStepUnit } from '../../main/grid/time.ts';
import type { GridOptions, StepSpec } from '../../main/grid/types.ts';
import { DataError } from '../../main/util/errors.ts';
import { optionalNumber, optionalString, requireString } from '../options.ts';

/** Grid and step options shared by grid, evaluate (and any command that grids a dataset). */
export const GRID_OPTIONS: Record<string, OptionSpec> = {
  bbox: { type: 'string' },
  boundary: { type: 'string' },
  rows: { type: 'string' },
  cols: { type: 'string' },
  cell: { type: 'string' },
  step: { type: 'string' },
  'shift-start': { type: 'string' },
};

export function gridOptionsFrom(values: CommandContext['values']): GridOptions {
  const bbox = optionalString(values, 'bbox');
  const boundary = optionalString(values, 'boundary');
  return {
    bbox: bbox !== undefined ? parseBBox(bbox) : undefined,
    boundary: boundary !== undefined ? readGeoJson(boundary) : undefined,
    rows: optionalNumber(values, 'rows', { integer: true, min: 1, max: 4096 }),
    cols: optionalNumber(values, 'cols', { integer: true, min: 1, max: 4096 }),
    cellMeters: optionalNumber(values, 'cell', { min: 1 }),
  };
}

export function stepFrom(values: CommandContext['values']): StepSpec {
  return {
    unit: parseStepUnit(optionalString(values, 'step') ?? 'day'),
    shiftStartHour: optionalNumber(values, 'shift-start', { integer: true, min: 0, max: 23 }),
  };
}

export const gridCommand: Command = {
  name: 'grid',
  summary: "grid a dataset: cell size, steps, counts and the space-time tensor's shape",
  usage:
    'shotcast grid --db PATH --dataset NAME [--bbox s,w,n,e | --boundary FILE.geojson] (--rows R --cols C | --cell METRES) --step hour|shift|day|week [--shift-start H] [--exclude-fireworks] [--json]',
  options: {
    db: { type: 'string' },
    dataset: { type: 'string' },
    ...GRID_OPTIONS,
    'exclude-fireworks': { type: 'boolean' },
  },
  async run(ctx) {
    const gridOpts = gridOptionsFrom(ctx.values);
    const step = stepFrom(ctx.values);
    const db = openDb(requireString(ctx.values, 'db'));
    try {
      const dataset = requireDataset(db, requireString(ctx.values, 'dataset'));
      const t0 = performance.now();
      const { grid, events } = loadGridAndEvents(db, dataset, gridOpts);
      if (events.length === 0) throw new DataError(`dataset '${dataset.name}' has no events`);
      const last = events.utcMs[events.length - 1];
      const timeline = buildTimeline(dataset.tz, step, events.utcMs[0], last + 1);
      const tensor = buildTensor(events, grid, timeline, {
        excludeFireworks: ctx.values['exclude-fireworks'] === true,
      });
      const seconds = (performance.now() - t0) / 1000;
      const mask = gridOpts.boundary
        ? polygonMask(grid, gridOpts.boundary)
        : dataMask(grid, events, Number.POSITIVE_INFINITY);
      const out = {
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
        studyCells: maskCount(mask),
        studyArea: gridOpts.boundary ? 'boundary' : 'cells with at least one event',
        seconds,
      };
      ctx.log(
        `${out.dataset}: ${grid.rows}×${grid.cols} cells of ${grid.cellMeters[0].toFixed(0)}×${grid.cellMeters[1].toFixed(0)} m over [${grid.bbox.map((v) => v.toFixed(4)).join(', ')}]`,
      );
      ctx.log(
        `${out.steps} ${step.unit} steps ${out.from} .. ${out.to}; tensor [${out.tensorShape.join(', ')}]; ${out.events} events counted, ${out.eventsOutsideGrid} outside the grid; ${out.studyCells} study cells`,
      );
      return out;
    } finally {
      db.close();
    }
  },
};

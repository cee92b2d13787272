import type { Command, CommandContext, OptionSpec } from '../command.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { describeGrid } from '../../main/app/grid.ts';
import {
  parseBBox,
  parseStepUnit,
  readGeoJson,
  type GridOptions,
  type StepSpec,
} from '../../main/app/parse.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalDate, optionalNumber, optionalString, requireString } from '../options.ts';

/** --db and --dataset: every command that works on one dataset. */
export const DATASET_OPTIONS: Record<string, OptionSpec> = {
  db: { type: 'string' },
  dataset: { type: 'string' },
};

/** A network on a date split (train, tune): the dataset, its grid, the model, --train-to and --val-to. */
export const SPLIT_OPTIONS: Record<string, OptionSpec> = {
  ...DATASET_OPTIONS,
  ...gridOptionTable(),
  model: { type: 'string' },
  'train-to': { type: 'string' },
  'val-to': { type: 'string' },
};

/** --train-to and --val-to, both required. */
export function splitFrom(values: CommandContext['values']): { trainTo: string; valTo: string } {
  const trainTo = optionalDate(values, 'train-to');
  const valTo = optionalDate(values, 'val-to');
  if (!trainTo || !valTo) throw new UsageError('--train-to and --val-to are required (YYYY-MM-DD)');
  return { trainTo, valTo };
}

/** Grid and step options shared by grid, evaluate (and any command that grids a dataset). */
export const GRID_OPTIONS: Record<string, OptionSpec> = gridOptionTable();

function gridOptionTable(): Record<string, OptionSpec> {
  return {
    bbox: { type: 'string' },
    boundary: { type: 'string' },
    rows: { type: 'string' },
    cols: { type: 'string' },
    cell: { type: 'string' },
    step: { type: 'string' },
    'shift-start': { type: 'string' },
  };
}

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
    ...DATASET_OPTIONS,
    ...GRID_OPTIONS,
    'exclude-fireworks': { type: 'boolean' },
  },
  async run(ctx) {
    const gridOpts = gridOptionsFrom(ctx.values);
    const step = stepFrom(ctx.values);
    return withWorkstation(requireString(ctx.values, 'db'), ({ db }) => {
      const out = describeGrid(db, {
        dataset: requireString(ctx.values, 'dataset'),
        grid: gridOpts,
        step,
        excludeFireworks: ctx.values['exclude-fireworks'] === true,
      });
      const { grid } = out;
      ctx.log(
        `${out.dataset}: ${grid.rows}×${grid.cols} cells of ${grid.cellMeters[0].toFixed(0)}×${grid.cellMeters[1].toFixed(0)} m over [${grid.bbox.map((v) => v.toFixed(4)).join(', ')}]`,
      );
      ctx.log(
        `${out.steps} ${step.unit} steps ${out.from} .. ${out.to}; tensor [${out.tensorShape.join(', ')}]; ${out.events} events counted, ${out.eventsOutsideGrid} outside the grid; ${out.studyCells} study cells`,
      );
      return out;
    });
  },
};

import { existsSync, renameSync, writeFileSync } from 'node:fs';
import type { Command, CommandContext, OptionSpec } from '../command.ts';
import type { BriefRequest } from '../../main/app/brief.ts';
import { withWorkstation } from '../../main/app/context.ts';
import { modelChoiceFromText } from '../../main/app/model-choice.ts';
import { MAX_UNITS, parseBBox, parseHolidayList } from '../../main/app/parse.ts';
import { DataError, UsageError } from '../../main/util/errors.ts';
import { optionalNumber, optionalString, requireString } from '../options.ts';

/** Options shared by `brief` and `export`: what to forecast and how to deploy. */
export const BRIEF_OPTIONS: Record<string, OptionSpec> = {
  db: { type: 'string' },
  dataset: { type: 'string' },
  at: { type: 'string' },
  step: { type: 'string' },
  'shift-start': { type: 'string' },
  units: { type: 'string' },
  'max-cells': { type: 'string' },
  model: { type: 'string' },
  bbox: { type: 'string' },
  rows: { type: 'string' },
  cols: { type: 'string' },
  cell: { type: 'string' },
  holidays: { type: 'string' },
  out: { type: 'string' },
};

export function briefingOptionsFrom(values: CommandContext['values']): BriefRequest & { db: string } {
  const db = requireString(values, 'db');
  if (!existsSync(db)) throw new DataError(`database not found: ${db}`);
  const at = requireString(values, 'at');
  if (
    !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/.test(at) ||
    Number.isNaN(Date.parse(at.slice(0, 10) + 'T00:00:00Z'))
  )
    throw new UsageError(`--at must be a date YYYY-MM-DD, got '${at}'`);
  const step = optionalString(values, 'step') ?? 'day';
  if (step !== 'day' && step !== 'shift') throw new UsageError(`--step must be shift or day, got '${step}'`);
  const bbox = optionalString(values, 'bbox');
  const rows = optionalNumber(values, 'rows', { integer: true, min: 1, max: 4096 });
  const cols = optionalNumber(values, 'cols', { integer: true, min: 1, max: 4096 });
  const cellMeters = optionalNumber(values, 'cell', { min: 1 });
  const model = optionalString(values, 'model');
  const gridGiven =
    bbox !== undefined || rows !== undefined || cols !== undefined || cellMeters !== undefined;
  if (gridGiven && cellMeters === undefined && (rows === undefined || cols === undefined))
    throw new UsageError('give --rows and --cols, or --cell, with --bbox');
  return {
    db,
    dataset: requireString(values, 'dataset'),
    at,
    step,
    shiftStart: optionalNumber(values, 'shift-start', { integer: true, min: 0, max: 23 }),
    units: optionalNumber(values, 'units', { integer: true, min: 1, max: MAX_UNITS }),
    maxCells: optionalNumber(values, 'max-cells', { integer: true, min: 1, max: 6 }),
    // Without --model: the newest registered model, else the best classical model of the newest stored run.
    model: model === undefined ? undefined : modelChoiceFromText(model),
    grid: gridGiven
      ? { bbox: bbox !== undefined ? parseBBox(bbox) : undefined, rows, cols, cellMeters }
      : undefined,
    holidays: parseHolidayList(optionalString(values, 'holidays') ?? ''),
  };
}

/** Writes beside the target then renames, so a reader never sees half a file. */
export function writeAtomically(path: string, data: string | Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export const briefCommand: Command = {
  name: 'brief',
  summary: 'print the roll-call briefing: patrol areas for N units and a two-page PDF',
  usage:
    'shotcast brief --db PATH --dataset NAME --at YYYY-MM-DD [--step shift|day] [--shift-start H] [--units N] [--max-cells M] [--model NAME] [--agency TEXT] [--marking TEXT] [--bbox s,w,n,e --rows R --cols C | --cell METRES] [--holidays YYYY-MM-DD,MM-DD,…] --out briefing.pdf [--json]',
  options: {
    ...BRIEF_OPTIONS,
    agency: { type: 'string' },
    marking: { type: 'string' },
    title: { type: 'string' },
  },
  async run(ctx) {
    const opts = briefingOptionsFrom(ctx.values);
    const out = requireString(ctx.values, 'out');
    const t0 = performance.now();
    // Loaded on use: pdfkit and the forecasters are heavy, and every other command would pay for them at start-up.
    const { brief } = await import('../../main/app/brief.ts');
    return withWorkstation(opts.db, async (ws) => {
      const { pdf, report } = await brief(ws, {
        ...opts,
        agency: optionalString(ctx.values, 'agency'),
        marking: optionalString(ctx.values, 'marking'),
        title: optionalString(ctx.values, 'title'),
      });
      writeAtomically(out, pdf);
      const seconds = (performance.now() - t0) / 1000;
      const d = report.deployment;
      ctx.log(
        `briefing for ${report.window.label} written to ${out} (${pdf.length} bytes, ${seconds.toFixed(2)} s)`,
      );
      ctx.log(
        `${d.units} patrol areas of ≤ ${d.maxCells} cells hold ${(100 * d.coverage).toFixed(1)} % of expected detections; the top ${d.topCells.cells} cells alone: ${(100 * d.topCells.coverage).toFixed(1)} % in ${d.topCells.clusters} spots${d.optimal ? ' (areas proven optimal)' : ''}`,
      );
      ctx.log(`citywide, ${report.volume.text}`);
      ctx.log(`suggested units: ${report.volume.suggestedUnits} (${report.volume.suggestionRule})`);
      if (report.typeNote) ctx.log(report.typeNote);
      for (const a of report.areas) {
        ctx.log(
          `  ${String(a.rank).padStart(2)}  ${a.centre.lat.toFixed(4)}, ${a.centre.lon.toFixed(4)}  PSA ${a.psa}  ${a.neighbourhood}  risk ${a.risk.toFixed(2)}  share ${(100 * a.share).toFixed(1)} %`,
        );
      }
      return { ...report, out, bytes: pdf.length, seconds };
    });
  },
};

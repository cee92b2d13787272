import type { Command } from '../command.ts';
import { openDb } from '../../main/db/connection.ts';
import { forecastJob } from '../../main/train/forecast.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalDate, optionalNumber, optionalString, requireString } from '../options.ts';
import { GRID_OPTIONS, gridOptionsFrom, stepFrom } from './grid.ts';

export const forecastCommand: Command = {
  name: 'forecast',
  summary:
    'per-cell risk for the step at a date from the latest (or a given) model, top cells with type probabilities',
  usage:
    'shotcast forecast --db PATH --dataset NAME [--model ID|latest] --at YYYY-MM-DD [--horizon 1] --top 20 ' +
    '[--fallback kde:tau=90,sigma=0.5 (grid options for it)] [--json]',
  options: {
    db: { type: 'string' },
    dataset: { type: 'string' },
    model: { type: 'string' },
    at: { type: 'string' },
    horizon: { type: 'string' },
    top: { type: 'string' },
    fallback: { type: 'string' },
    ...GRID_OPTIONS,
  },
  async run(ctx) {
    const v = ctx.values;
    const at = optionalDate(v, 'at');
    if (!at) throw new UsageError('--at YYYY-MM-DD is required');
    const db = openDb(requireString(v, 'db'), { readonly: true });
    try {
      const r = await forecastJob(db, {
        dataset: requireString(v, 'dataset'),
        model: optionalString(v, 'model'),
        at,
        horizon: optionalNumber(v, 'horizon', { integer: true, min: 1, max: 366 }),
        top: optionalNumber(v, 'top', { integer: true, min: 1 }) ?? 20,
        fallback: optionalString(v, 'fallback') ?? 'kde:tau=90,sigma=0.5',
        grid: gridOptionsFrom(v),
        step: stepFrom(v),
      });
      const m = r.model;
      ctx.log(
        m.source === 'neural'
          ? `model ${m.id} (${m.name}, ${m.preset}) for ${r.steps[0].start} .. ${r.steps[r.steps.length - 1].end}`
          : `no neural model for this dataset: classical ${m.name} for ${r.steps[0].start} .. ${r.steps[r.steps.length - 1].end}`,
      );
      if (r.typeNote) ctx.log(r.typeNote);
      ctx.log(
        'rank  row  col   lat        lon         risk    p(≥1)' +
          (r.top[0]?.types ? '   single multiple gun/fw' : ''),
      );
      for (const t of r.top) {
        const types = t.types
          ? '   ' +
            Object.values(t.types)
              .map((p) => p.toFixed(2).padStart(6))
              .join(' ')
          : '';
        ctx.log(
          `${String(t.rank).padStart(4)} ${String(t.row).padStart(4)} ${String(t.col).padStart(4)}  ${t.lat.toFixed(5)}  ${t.lon.toFixed(5)}  ${t.risk.toFixed(4)}  ${t.probability.toFixed(4)}${types}`,
        );
      }
      return r;
    } finally {
      db.close();
    }
  },
};

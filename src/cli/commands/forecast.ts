import type { Command } from '../command.ts';
import { withReadonlyDb } from '../../main/app/context.ts';
import { placesAt, type PlaceNames } from '../../main/app/city.ts';
import { forecast, topCells } from '../../main/app/forecast.ts';
import { classicalOf, modelChoiceFromText } from '../../main/app/model-choice.ts';
import { parseHolidayList, parseModelSpec } from '../../main/app/parse.ts';
import { UsageError } from '../../main/util/errors.ts';
import { optionalDate, optionalNumber, optionalString, requireString } from '../options.ts';
import { DATASET_OPTIONS, GRID_OPTIONS, gridOptionsFrom, stepFrom } from './grid.ts';

export const forecastCommand: Command = {
  name: 'forecast',
  summary:
    'per-cell risk for the step at a date from the latest (or a given) model, top cells with type probabilities',
  usage:
    'shotcast forecast --db PATH --dataset NAME [--model ID|latest] --at YYYY-MM-DD [--horizon 1] --top 20 ' +
    '[--fallback kde:tau=90,sigma=0.5 (grid options for it)] [--holidays YYYY-MM-DD,MM-DD,…] [--json]',
  options: {
    ...DATASET_OPTIONS,
    model: { type: 'string' },
    at: { type: 'string' },
    horizon: { type: 'string' },
    top: { type: 'string' },
    fallback: { type: 'string' },
    holidays: { type: 'string' },
    ...GRID_OPTIONS,
  },
  async run(ctx) {
    const v = ctx.values;
    const at = optionalDate(v, 'at');
    if (!at) throw new UsageError('--at YYYY-MM-DD is required');
    return withReadonlyDb(requireString(v, 'db'), async (db) => {
      const fallback = classicalOf(parseModelSpec(optionalString(v, 'fallback') ?? 'kde:tau=90,sigma=0.5'));
      const f = await forecast(db, {
        dataset: requireString(v, 'dataset'),
        model: modelChoiceFromText(optionalString(v, 'model'), fallback),
        at,
        horizon: optionalNumber(v, 'horizon', { integer: true, min: 1, max: 366 }),
        grid: gridOptionsFrom(v),
        step: stepFrom(v),
        holidays: parseHolidayList(optionalString(v, 'holidays') ?? ''),
      });
      const top = optionalNumber(v, 'top', { integer: true, min: 1 }) ?? 20;
      const dataset = requireString(v, 'dataset');
      const cells = topCells(f, top);
      // Each top cell's places (neighbourhood, service area, district), as the briefing names them.
      const places = placesAt(db, dataset, cells);
      const m =
        f.model.source === 'neural'
          ? {
              source: f.model.source,
              id: f.model.id,
              name: f.model.name,
              preset: f.model.preset,
              onnxSha256: f.model.onnxSha256,
            }
          : { source: f.model.source, name: f.model.name };
      const r = {
        model: m,
        grid: f.grid,
        steps: f.steps,
        studyCells: f.studyMask.reduce((a, b) => a + b, 0),
        top: cells.map((t, i) => ({ ...t, place: places[i] })),
        risk: Array.from(f.risk),
        volume: f.volume,
        ...(f.typeNote ? { typeNote: f.typeNote } : {}),
        ...(f.typeBasis ? { typeBasis: f.typeBasis } : {}),
      };
      ctx.log(
        f.model.source === 'neural'
          ? `${f.model.label} for ${r.steps[0].start} .. ${r.steps[r.steps.length - 1].end}`
          : `${f.note ?? `classical ${f.model.spec}`} for ${r.steps[0].start} .. ${r.steps[r.steps.length - 1].end}`,
      );
      ctx.log(`citywide, ${f.volume.text}`);
      if (r.typeNote) ctx.log(r.typeNote);
      if (f.typeBasis) ctx.log(f.typeBasis.note);
      ctx.log(
        'rank  row  col   lat        lon         risk    p(≥1)' +
          (r.top[0]?.types ? '   single multiple gun/fw' : '') +
          '   place',
      );
      for (const t of r.top) {
        const types = t.types
          ? '   ' +
            Object.values(t.types)
              .map((p) => p.toFixed(2).padStart(6))
              .join(' ')
          : '';
        ctx.log(
          `${String(t.rank).padStart(4)} ${String(t.row).padStart(4)} ${String(t.col).padStart(4)}  ${t.lat.toFixed(5)}  ${t.lon.toFixed(5)}  ${t.risk.toFixed(4)}  ${t.probability.toFixed(4)}${types}   ${placeText(t.place)}`,
        );
      }
      return r;
    });
  },
};

/** "7D, PSA 705, Congress Heights, …"; '—' when the city's layers name nothing there. */
function placeText(p: PlaceNames): string {
  const parts = [p.district, p.psa === '—' ? '—' : `PSA ${p.psa}`, p.neighbourhood].filter((x) => x !== '—');
  return parts.length ? parts.join(', ') : '—';
}

import { DataError } from '../util/errors.ts';
import type { ReadonlyDb } from '../db/connection.ts';
import { isoLocal, nextStepStart } from '../grid/time.ts';
import type { GeoJsonLike, GridOptions, GridSpec, StepSpec } from '../grid/types.ts';
import { loadHistory } from '../history/load.ts';
import { createForecaster } from './registry.ts';
import type { FitContext, ModelSpec, Params } from './types.ts';

export interface ForecastAtOptions {
  dataset: string;
  grid: GridOptions;
  step: StepSpec;
  /** The step to forecast: 'YYYY-MM-DD' or a local ISO time inside it. Only history before its start is used. */
  at: string;
  /** Model spec, e.g. 'kde:tau=90,sigma=0.5', or its parsed form. */
  model: string | ModelSpec;
  /** Steps to forecast from the same cut-off (default 1); `risks` holds them all. */
  horizon?: number;
  /** Study area polygon; default: cells with an event before the step. */
  studyArea?: GeoJsonLike;
  excludeFireworks?: boolean;
  /** Extra holiday dates besides the dataset's own, which the forecasters see (holidays.ts). */
  holidays?: readonly string[];
  fit?: FitContext;
}

export interface ForecastAtResult {
  grid: GridSpec;
  /** ISO local time (with offset) of the forecast step's start and end. */
  stepStart: string;
  stepEnd: string;
  /** Expected events per cell in the step, row-major [rows*cols]. */
  risk: Float32Array;
  /** One map per horizon step (risks[0] is risk). */
  risks: Float32Array[];
  studyMask: Uint8Array;
  model: { name: string; params: Params };
  /** Data cut-off: the last instant the forecast could see is before this (UTC ms). */
  cutoffMs: number;
  /** Events on the grid before the cut-off: every one, and those with a gunshot type. */
  events: number;
  typedEvents: number;
  /** The extra holiday dates the forecasters saw: the dataset's own and the request's. */
  holidays: string[];
}

/** Forecasts the step containing `at` from the dataset's events strictly before that step. */
export async function forecastAt(db: ReadonlyDb, opts: ForecastAtOptions): Promise<ForecastAtResult> {
  const {
    dataset,
    grid,
    tensor,
    studyMask,
    holidays,
    endMs: start,
    view,
  } = loadHistory(db, opts.dataset, {
    grid: opts.grid,
    step: opts.step,
    end: opts.at,
    excludeFireworks: opts.excludeFireworks,
    studyArea: opts.studyArea,
    holidays: opts.holidays,
  });
  const tz = dataset.tz;
  const history = view();
  const model = createForecaster(opts.model);
  try {
    await model.fit(history, opts.fit);
    const horizon = Math.max(1, Math.floor(opts.horizon ?? 1));
    const out = await model.predict(history, horizon);
    const cells = grid.rows * grid.cols;
    const risks = Array.from({ length: horizon }, (_, h) => out.slice(h * cells, (h + 1) * cells));
    requireSomeRisk(risks[0], studyMask, `${model.name} for ${isoLocal(tz, start).slice(0, 10)}`, {
      dataset: dataset.name,
      events: tensor.events,
      outsideGrid: tensor.dropped.outsideGrid,
    });
    return {
      grid,
      stepStart: isoLocal(tz, start),
      stepEnd: isoLocal(tz, nextStepStart(tz, opts.step, start)),
      risk: risks[0],
      risks,
      studyMask,
      model: { name: model.name, params: model.params },
      cutoffMs: start,
      events: tensor.events,
      typedEvents: tensor.typed,
      holidays,
    };
  } finally {
    await model.dispose?.();
  }
}

/**
 * Refuses a forecast whose risk is zero in every study cell: its top cells, patrol areas and map would
 * be row order dressed up as a ranking. Says why in one line.
 */
export function requireSomeRisk(
  risk: Float32Array,
  studyMask: Uint8Array,
  what: string,
  history: { dataset: string; events: number; outsideGrid: number },
): void {
  let study = 0;
  for (let c = 0; c < risk.length; c++) {
    if (!studyMask[c]) continue;
    study++;
    if (risk[c] > 0) return;
  }
  const why =
    study === 0
      ? 'the study area holds no grid cell'
      : history.events === 0
        ? history.outsideGrid > 0
          ? `all ${history.outsideGrid} events of dataset '${history.dataset}' before it lie outside the grid's bounding box`
          : `dataset '${history.dataset}' has no events on the grid before it`
        : `the model gives no cell any risk from the ${history.events} events before it`;
  throw new DataError(`the forecast of ${what} is zero in every cell: ${why}`);
}

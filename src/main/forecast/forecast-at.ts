import type { ReadonlyDb } from '../db/connection.ts';
import { loadGridAndEvents, requireDataset } from '../grid/build.ts';
import { dataMask, polygonMask } from '../grid/study.ts';
import { buildTensor } from '../grid/tensor.ts';
import { buildTimeline, isoLocal, nextStepStart, parseLocal, stepStartAt } from '../grid/time.ts';
import type { GeoJsonLike, GridOptions, GridSpec, StepSpec } from '../grid/types.ts';
import { DataError } from '../util/errors.ts';
import './all.ts';
import { HistoryFeed } from './history.ts';
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
}

/** Forecasts the step containing `at` from the dataset's events strictly before that step. */
export async function forecastAt(db: ReadonlyDb, opts: ForecastAtOptions): Promise<ForecastAtResult> {
  const dataset = requireDataset(db, opts.dataset);
  const tz = dataset.tz;
  const start = stepStartAt(tz, opts.step, parseLocal(tz, opts.at));
  const { grid, events } = loadGridAndEvents(db, dataset, opts.grid, start);
  if (events.length === 0) throw new DataError(`dataset '${dataset.name}' has no events before ${opts.at}`);
  const timeline = buildTimeline(tz, opts.step, events.utcMs[0], start);
  // The timeline ends exactly where the forecast step starts.
  const steps = Array.from(timeline.starts).filter((s) => s <= start);
  const tl = { ...timeline, starts: Float64Array.from(steps), steps: steps.length - 1 };
  const tensor = buildTensor(events, grid, tl, { excludeFireworks: opts.excludeFireworks });
  const studyMask = opts.studyArea ? polygonMask(grid, opts.studyArea) : dataMask(grid, events, start);
  const feed = new HistoryFeed(tensor, studyMask);
  const history = feed.view(tl.steps);
  const model = createForecaster(opts.model);
  try {
    await model.fit(history, opts.fit);
    const horizon = Math.max(1, Math.floor(opts.horizon ?? 1));
    const out = await model.predict(history, horizon);
    const cells = grid.rows * grid.cols;
    const risks = Array.from({ length: horizon }, (_, h) => out.slice(h * cells, (h + 1) * cells));
    return {
      grid,
      stepStart: isoLocal(tz, start),
      stepEnd: isoLocal(tz, nextStepStart(tz, opts.step, start)),
      risk: risks[0],
      risks,
      studyMask,
      model: { name: model.name, params: model.params },
      cutoffMs: start,
    };
  } finally {
    await model.dispose?.();
  }
}

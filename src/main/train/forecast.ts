/**
 * Forecast from a registered model's exported .onnx (onnxruntime-node, no training code involved),
 * or, when the dataset has no neural model, from a named classical forecaster via forecastAt.
 */
import { InferenceSession, Tensor } from 'onnxruntime-node';
import type { ReadonlyDb } from '../db/connection.ts';
import { latestModel, type ModelRecord } from '../db/queries/models.ts';
import { requireDataset } from '../grid/build.ts';
import { cellCentre } from '../grid/spec.ts';
import { isoLocal, nextStepStart } from '../grid/time.ts';
import type { GridOptions, GridSpec, StepSpec } from '../grid/types.ts';
import { forecastAt } from '../forecast/forecast-at.ts';
import { anchorOf, sourceOf, typeSoftmax } from '../forecast/neural/convlstm.ts';
import { makeBatch } from '../forecast/neural/features.ts';
import { riskToRate, SEQ_INPUT, STAT_INPUT } from '../forecast/neural/net.ts';
import { REFERENCE_INPUT } from '../engine/presets/reference.ts';
import { MODEL_TYPES } from '../../shared/types.ts';
import { DataError } from '../util/errors.ts';
import { loadHistory } from './history.ts';
import { modelSetup, requireModel } from './jobs.ts';
import { readModelFile } from './model-files.ts';

export interface ForecastJob {
  dataset: string;
  /** A model id, or 'latest' (the default). */
  model?: string;
  at: string;
  horizon?: number;
  top: number;
  /** Classical model used when the dataset has no neural model. */
  fallback: string;
  /** Grid/step for the fallback (a neural model brings its own). */
  grid: GridOptions;
  step: StepSpec;
}

export interface TopCell {
  rank: number;
  cell: number;
  row: number;
  col: number;
  lat: number;
  lon: number;
  /** Expected events in the step. */
  risk: number;
  /** P(at least one event) = 1 − e^(−risk). */
  probability: number;
  /** Type of the next event: probability per MODEL_TYPES entry (neural default preset only). */
  types?: Record<string, number>;
}

export interface ForecastJobResult {
  model: { source: 'neural' | 'classical'; id?: number; name: string; preset?: string; onnxSha256?: string };
  grid: GridSpec;
  steps: { start: string; end: string }[];
  studyCells: number;
  top: TopCell[];
  /** Row-major risk of the first step, for callers that draw the map. */
  risk: number[];
}

function topCells(
  grid: GridSpec,
  risk: Float32Array,
  study: Uint8Array,
  n: number,
  types: Float32Array | null,
): TopCell[] {
  const cells = grid.rows * grid.cols;
  const idx: number[] = [];
  for (let i = 0; i < cells; i++) if (study[i]) idx.push(i);
  idx.sort((a, b) => risk[b] - risk[a] || a - b);
  return idx.slice(0, n).map((cell, k) => {
    const c = cellCentre(grid, cell);
    const t: TopCell = {
      rank: k + 1,
      cell,
      row: Math.floor(cell / grid.cols),
      col: cell % grid.cols,
      lat: c.lat,
      lon: c.lon,
      risk: risk[cell],
      probability: 1 - Math.exp(-risk[cell]),
    };
    if (types) t.types = Object.fromEntries(MODEL_TYPES.map((name, k2) => [name, types[k2 * cells + cell]]));
    return t;
  });
}

export async function forecastJob(db: ReadonlyDb, job: ForecastJob): Promise<ForecastJobResult> {
  const dataset = requireDataset(db, job.dataset);
  const record: ModelRecord | undefined =
    job.model === undefined || job.model === 'latest'
      ? latestModel(db, dataset.id)
      : requireModel(db, parseId(job.model));
  if (record && record.datasetId !== dataset.id)
    throw new DataError(`model ${record.id} belongs to another dataset, not '${dataset.name}'`);
  const horizon = Math.max(1, Math.floor(job.horizon ?? 1));
  if (!record) {
    const r = await forecastAt(db, {
      dataset: job.dataset,
      grid: job.grid,
      step: job.step,
      at: job.at,
      model: job.fallback,
      horizon,
    });
    const steps = stepList(dataset.tz, job.step, r.cutoffMs, horizon);
    return {
      model: { source: 'classical', name: r.model.name },
      grid: r.grid,
      steps,
      studyCells: r.studyMask.reduce((a, b) => a + b, 0),
      top: topCells(r.grid, r.risk, r.studyMask, job.top, null),
      risk: Array.from(r.risk),
    };
  }
  const { config, grid, step } = modelSetup(record);
  // A missing or changed file is reported, never used.
  const bytes = readModelFile(record);
  const hist = loadHistory(db, job.dataset, grid, step, job.at);
  const view = hist.view();
  const src = sourceOf(view, config, view.steps);
  const b = makeBatch(src, [view.steps]);
  const session = await InferenceSession.create(bytes, { intraOpNumThreads: 2, interOpNumThreads: 1 });
  const { rows, cols } = hist.grid;
  const cells = rows * cols;
  const feeds: Record<string, Tensor> =
    config.preset === 'reference'
      ? {
          [REFERENCE_INPUT]: new Tensor('float32', b.seq, [
            1,
            src.tensor.types,
            config.features.lags,
            rows,
            cols,
          ]),
        }
      : {
          [SEQ_INPUT]: new Tensor('float32', b.seq, [1, src.tensor.types, config.features.lags, rows, cols]),
          [STAT_INPUT]: new Tensor('float32', b.stat, [1, b.stat.length / cells, rows, cols]),
        };
  const out = await session.run(feeds);
  await session.release();
  const logits = out.logits.data as Float32Array;
  const rates = new Float32Array(cells);
  for (let i = 0; i < cells; i++) rates[i] = riskToRate(logits[i], config.loss);
  // The same blend with the trailing year's counts that `evaluate` scores.
  const risk = anchorOf(rates, view, config.anchor);
  const types = config.preset === 'reference' ? null : typeSoftmax(logits, src.tensor.types, cells);
  const study = view.studyMask;
  return {
    model: {
      source: 'neural',
      id: record.id,
      name: record.name,
      preset: record.preset,
      onnxSha256: record.onnxSha256,
    },
    grid: hist.grid,
    steps: stepList(hist.dataset.tz, step, hist.endMs, horizon),
    studyCells: study.reduce((a, v) => a + v, 0),
    top: topCells(hist.grid, risk, study, job.top, types),
    risk: Array.from(risk),
  };
}

function stepList(tz: string, step: StepSpec, start: number, horizon: number) {
  const out: { start: string; end: string }[] = [];
  let s = start;
  for (let k = 0; k < horizon; k++) {
    const e = nextStepStart(tz, step, s);
    out.push({ start: isoLocal(tz, s), end: isoLocal(tz, e) });
    s = e;
  }
  return out;
}

function parseId(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new DataError(`--model must be a model id or 'latest', got '${text}'`);
  return n;
}

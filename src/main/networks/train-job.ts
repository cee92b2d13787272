/**
 * Training jobs behind `shotcast train`, `update` and `tune`: train a convlstm on a date split,
 * export it as a standalone .onnx with a checkpoint beside it, and record it in the model registry.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ReadonlyDb, WritableDb } from '../db/connection.ts';
import { datasetHash, type ModelRecord, getModel } from '../db/queries/models.ts';
import type { GridOptions, GridSpec, StepSpec } from '../grid/types.ts';
import { ConvLstmForecaster } from '../forecast/neural/convlstm.ts';
import { configFromParams, configParams, parseConfig, type NeuralConfig } from '../forecast/neural/config.ts';
import { parseModelSpec } from '../forecast/registry.ts';
import { reportedDeviance, type TrainOutcome } from '../forecast/neural/train-loop.ts';
import type { ProgressFn } from '../../shared/types.ts';
import { CancelledError, DataError, UsageError } from '../util/errors.ts';
import { loadHistory } from '../history/load.ts';
import { exportCopy, modelDir, pendingFiles, refuseModelFile, registerModel } from './model-files.ts';
import { removeLoop, type RunCheckpointing } from '../forecast/neural/resume.ts';
import { mixLogLoss, trailingTypeMix } from './type-mix.ts';

export interface TrainJob {
  dataset: string;
  grid: GridOptions;
  step: StepSpec;
  /** `convlstm[:k=v,…]` as the CLI reads it, or the network's name and params as the app sends them. */
  model: string | { name: string; params: Record<string, string> };
  /** Training targets are steps before this local date; validation targets from it up to valTo. */
  trainTo: string;
  valTo: string;
  /** Where to write an exported copy of the model (the registered file stays in the model folder). */
  out?: string;
  /** Continue the interrupted run with these same arguments from its last checkpointed epoch. */
  resume?: boolean;
  progress?: ProgressFn;
  signal?: AbortSignal;
}

export interface TrainJobResult {
  modelId: number;
  onnx: { path: string; sha256: string; bytes: number; inputs: { name: string; shape: number[] }[] };
  checkpoint: string;
  grid: GridSpec;
  params: Record<string, unknown>;
  dataCutoff: string;
  metrics: Record<string, number | string>;
  /** The exported copy written to --out, when asked for. */
  out?: string;
  /** Epochs the resumed run found done (absent when it started afresh). */
  resumedFromEpoch?: number;
}

export function neuralConfigFromSpec(spec: TrainJob['model']) {
  const s = typeof spec === 'string' ? parseModelSpec(spec) : spec;
  if (s.name !== 'convlstm') throw new UsageError(`--model must be convlstm[:params], got '${s.name}'`);
  return parseConfig(s.params);
}

/**
 * The figures a registered model keeps: validation deviance at the level its forecasts use
 * (reportedDeviance), `start`, what its untrained network was, and `typeHead`, whether a type head was
 * trained (training-words.ts says both).
 */
export function metricsOf(o: TrainOutcome, c: NeuralConfig): Record<string, number | string> {
  return {
    valHitRate1: o.valHitRate1,
    valHitRate5: o.valHitRate5,
    initialValHitRate5: o.initialValHitRate5,
    ...reportedDeviance(o),
    start: c.preset === 'reference' ? 'untrained' : c.features.offset ? 'calendar' : 'kde',
    // 0: no type head was trained (typeWeight=0); its untrained output is not a type forecast.
    typeHead: c.typeWeight > 0 ? 1 : 0,
    calibration: o.calibration,
    valLoss: o.valLoss,
    valTypeAccuracy: o.valTypeAccuracy,
    valTypeLogLoss: o.valTypeLogLoss,
    bestEpoch: o.bestEpoch,
    epochs: o.epochs,
    refitEpochs: o.refitEpochs ?? 0,
    seconds: o.seconds,
    stoppedBy: o.stoppedBy,
  };
}

/**
 * A trained and exported model, not yet in the registry: a worker makes it (reading the database only),
 * and the caller registers it once, on its own connection.
 */
export interface TrainedModel {
  datasetId: number;
  datasetHash: string;
  preset: string;
  onnx: TrainJobResult['onnx'];
  /** Where the files were written, in the model folder, until registration names them by id and hash. */
  pending: { onnx: string; checkpoint: string };
  grid: GridSpec;
  params: Record<string, unknown>;
  dataCutoff: string;
  metrics: Record<string, number | string>;
  /** The run's per-epoch checkpoint, removed once the model is registered. */
  run: RunCheckpointing;
  resumedFromEpoch?: number;
}

/** Trains and exports a model; reads the database only. */
export async function fitAndExport(db: ReadonlyDb, job: TrainJob): Promise<TrainedModel> {
  const config = neuralConfigFromSpec(job.model);
  if (!(job.trainTo < job.valTo))
    throw new UsageError(`--train-to (${job.trainTo}) must be before --val-to (${job.valTo})`);
  // Refused before any work: a registered model's file is never overwritten.
  if (job.out !== undefined) refuseModelFile(db, job.out);
  const hist = loadHistory(db, job.dataset, { grid: job.grid, step: job.step, end: job.valTo });
  const valFrom = hist.indexOf(job.trainTo);
  const valSteps = hist.timeline.steps - valFrom;
  if (valSteps < 1) throw new DataError(`no steps between ${job.trainTo} and ${job.valTo}`);
  if (valFrom < config.features.lags + 2)
    throw new DataError(
      `too little history before ${job.trainTo}: ${valFrom} steps, need ${config.features.lags + 2}`,
    );
  const model = new ConvLstmForecaster({ ...config, valSteps });
  const hash = datasetHash(db, hist.dataset.id);
  // A run is known by what it trains on and how: the same arguments find the same checkpoint.
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        dataset: hist.dataset.id,
        hash,
        grid: gridParams(hist.grid),
        step: job.step,
        config: configParams(model.config),
        trainTo: job.trainTo,
        valTo: job.valTo,
        // The dataset's own holiday dates move the calendar offset (absent when none, as before them).
        ...(hist.holidays.length > 0 ? { holidays: hist.holidays } : {}),
      }),
    )
    .digest('hex');
  const runs = join(modelDir(db), 'runs');
  mkdirSync(runs, { recursive: true });
  const run: RunCheckpointing = {
    path: join(runs, `${key.slice(0, 24)}.ckpt`),
    resume: job.resume === true,
    key,
  };
  model.checkpointing = run;
  try {
    await model.fit(hist.view(), { progress: job.progress, signal: job.signal });
    const trainer = model.trainer;
    const outcome = model.lastOutcome;
    if (!trainer || !outcome) throw new Error('convlstm: training produced no model');
    // A cancelled run keeps its epoch checkpoint (to resume) and is not exported as if the analyst wanted it.
    if (job.signal?.aborted) throw new CancelledError('training cancelled');
    const pending = pendingFiles(db);
    const onnx = trainer.exportInference(pending.onnx, {
      probability: false,
      metadata: { shotcast: 'convlstm' },
    });
    trainer.saveCheckpoint(pending.checkpoint, outcome.epochs);
    return {
      datasetId: hist.dataset.id,
      datasetHash: hash,
      preset: config.preset,
      onnx,
      pending,
      grid: hist.grid,
      params: { ...configParams(model.config), grid: gridParams(hist.grid), step: job.step },
      dataCutoff: job.valTo,
      metrics: {
        ...metricsOf(outcome, model.config),
        ...typeBaseline(hist, valFrom, outcome.valTypeLogLoss),
        trainTo: job.trainTo,
        valTo: job.valTo,
        // The dataset's own holiday dates it trained with (its forecasts use the dataset's dates of the day).
        ...(hist.holidays.length > 0 ? { extraHolidays: hist.holidays.join(',') } : {}),
      },
      run,
      ...(outcome.resumedFromEpoch !== undefined ? { resumedFromEpoch: outcome.resumedFromEpoch } : {}),
    };
  } finally {
    await model.dispose();
  }
}

/**
 * The trailing-year type mix (the year before the validation days) scored as the type head is on them,
 * and whether the head beat it: a forecast calls the head's types learned only then (type-mix.ts).
 */
function typeBaseline(
  hist: ReturnType<typeof loadHistory>,
  valFrom: number,
  netLogLoss: number,
): Record<string, number> {
  const mix = trailingTypeMix(hist.events, hist.grid, hist.timeline.starts[valFrom]);
  if (!mix) return {};
  const { logLoss } = mixLogLoss(hist.events, hist.grid, hist.timeline, valFrom, mix);
  if (!Number.isFinite(logLoss)) return {};
  return {
    valMixTypeLogLoss: logLoss,
    typesLearned: Number.isFinite(netLogLoss) && netLogLoss < logLoss ? 1 : 0,
  };
}

/** Records a trained model in the registry (its files named by id and hash), and writes the --out copy. */
export async function registerTrained(
  db: WritableDb,
  t: TrainedModel,
  out?: string,
): Promise<TrainJobResult> {
  const registered = await registerModel(
    db,
    {
      datasetId: t.datasetId,
      name: 'convlstm',
      preset: t.preset,
      params: t.params,
      datasetHash: t.datasetHash,
      dataCutoff: t.dataCutoff,
      metrics: t.metrics,
      onnxSha256: t.onnx.sha256,
      parentId: null,
    },
    t.pending,
  );
  removeLoop(t.run);
  const copy = out !== undefined ? exportCopy(registered.onnxPath, out) : undefined;
  return {
    modelId: registered.id,
    onnx: { ...t.onnx, path: registered.onnxPath },
    checkpoint: registered.checkpointPath!,
    grid: t.grid,
    params: t.params,
    dataCutoff: t.dataCutoff,
    metrics: t.metrics,
    ...(copy !== undefined ? { out: copy } : {}),
    ...(t.resumedFromEpoch !== undefined ? { resumedFromEpoch: t.resumedFromEpoch } : {}),
  };
}

/** Trains, exports and registers a model in this thread; the model's params include the grid and step it needs. */
export async function trainJob(db: WritableDb, job: TrainJob): Promise<TrainJobResult> {
  return registerTrained(db, await fitAndExport(db, job), job.out);
}

export function gridParams(g: GridSpec): { bbox: number[]; rows: number; cols: number } {
  return { bbox: [...g.bbox], rows: g.rows, cols: g.cols };
}

/** What a registered model needs to rebuild its inputs: config, grid and step. */
export function modelSetup(m: ModelRecord) {
  const { grid, step, ...rest } = m.params as {
    grid?: { bbox: [number, number, number, number]; rows: number; cols: number };
    step?: StepSpec;
  } & Record<string, unknown>;
  if (!grid || !step) throw new DataError(`model ${m.id} has no grid or step in its params; retrain it`);
  return {
    config: configFromParams(rest),
    grid: { bbox: grid.bbox, rows: grid.rows, cols: grid.cols } as GridOptions,
    step,
  };
}

export function requireModel(db: ReadonlyDb, id: number): ModelRecord {
  const m = getModel(db, id);
  if (!m) throw new DataError(`no model with id ${id} (see 'shotcast forecast --model latest')`);
  return m;
}

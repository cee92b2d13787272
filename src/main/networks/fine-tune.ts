/**
 * Continuous retraining: after new alerts are imported, fine-tune the latest model from its
 * checkpoint on the steps after its data cut-off and record the result as a new model version.
 * The newest steps (up to 28, at most half of the new ones) are held out, so the validation score
 * before and after the fine-tune is measured on data neither version trained on.
 */
import type { ReadonlyDb, WritableDb } from '../db/connection.ts';
import { lastEventMs } from '../db/queries/events.ts';
import { datasetHash, latestModel, type NewModel } from '../db/queries/models.ts';
import { pendingFiles, readModelFile, registerModel } from './model-files.ts';
import { isoLocal } from '../grid/time.ts';
import { seenCells, sourceOf } from '../forecast/neural/convlstm.ts';
import { configParams } from '../forecast/neural/config.ts';
import { hitRates, makeTrainer, predictRates, trainNetwork } from '../forecast/neural/train-loop.ts';
import { requireDataset } from '../grid/build.ts';
import type { FineTuneValue } from '../../shared/contract.ts';
import type { ProgressFn } from '../../shared/types.ts';
import { CancelledError, DataError } from '../util/errors.ts';
import { loadHistory } from '../history/load.ts';
import { gridParams, metricsOf, modelSetup } from './train-job.ts';

/** What a fine-tune made: the window's answer (FineTuneValue), with its training steps, file and time. */
export interface UpdateResult extends FineTuneValue {
  fineTuneSteps: number;
  onnx: { path: string; sha256: string };
  seconds: number;
}

/**
 * Refuses an update before anything is imported: the dataset must exist (a mistyped name must not
 * become a new dataset) and hold a model with a checkpoint to fine-tune.
 */
export function checkUpdatable(db: ReadonlyDb, datasetName: string): void {
  const dataset = requireDataset(db, datasetName);
  const parent = latestModel(db, dataset.id);
  if (!parent)
    throw new DataError(`dataset '${datasetName}' has no trained model yet; run 'shotcast train' first`);
  if (!parent.checkpointPath) throw new DataError(`model ${parent.id} has no checkpoint to fine-tune from`);
}

/** A fine-tuned model exported to pending files, not yet registered (what the worker hands back). */
export interface FineTuned {
  /** The registry row, less its file paths. */
  record: Omit<NewModel, 'onnxPath' | 'checkpointPath'>;
  pending: { onnx: string; checkpoint: string };
  summary: Omit<UpdateResult, 'modelId' | 'onnx' | 'seconds'>;
  startedMs: number;
}

/**
 * Fine-tunes the dataset's latest model on everything imported since its cut-off and exports it to
 * pending files in the model folder; reads the database only, so it runs in a worker thread.
 */
export async function fineTuneAndExport(
  db: ReadonlyDb,
  datasetName: string,
  opts: { epochs?: number; progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<FineTuned> {
  const startedMs = Date.now();
  const dataset = requireDataset(db, datasetName);
  const parent = latestModel(db, dataset.id);
  if (!parent)
    throw new DataError(`dataset '${datasetName}' has no trained model yet; run 'shotcast train' first`);
  if (!parent.checkpointPath) throw new DataError(`model ${parent.id} has no checkpoint to fine-tune from`);
  // The parent must be the model that was registered: a missing or changed file is refused.
  readModelFile(parent);
  const { config, grid, step } = modelSetup(parent);
  const last = lastEventMs(db, dataset.id);
  if (last === null) throw new DataError(`dataset '${datasetName}' has no events`);
  // History through the day of the newest event: the end is the start of the following step.
  const end = isoLocal(dataset.tz, last + 86_400_000).slice(0, 10);
  const hist = loadHistory(db, dataset, { grid, step, end });
  const cutoff = hist.indexOf(parent.dataCutoff);
  const newSteps = hist.timeline.steps - cutoff;
  if (newSteps < 2)
    throw new DataError(
      `only ${newSteps} new step(s) since model ${parent.id}'s cut-off ${parent.dataCutoff}; nothing to fine-tune on`,
    );
  const heldOut = Math.min(28, Math.floor(newSteps / 2));
  const valFrom = hist.timeline.steps - heldOut;
  const view = hist.view();
  const src = sourceOf(view, config);
  const trainer = makeTrainer(config, src);
  try {
    trainer.loadCheckpoint(parent.checkpointPath);
    const valTargets = range(valFrom, hist.timeline.steps);
    const study = seenCells(src, valFrom);
    const score = async () =>
      hitRates(await predictRates(trainer, config, src, valTargets), src, valTargets, study);
    const before = await score();
    // The new steps plus a short replay of the weeks before them, so a month of data does not drag
    // the model onto itself.
    const replay = Math.min(cutoff, 56);
    const trainTargets = range(Math.max(config.features.lags, cutoff - replay), valFrom);
    const lr = trainer.lr;
    trainer.lr = config.lr * 0.3;
    const outcome = await trainNetwork(trainer, config, src, {
      trainTargets,
      valTargets,
      study,
      epochs: opts.epochs ?? Math.max(1, config.finetuneEpochs || 2),
      progress: opts.progress,
      signal: opts.signal,
    });
    trainer.lr = lr;
    if (opts.signal?.aborted) throw new CancelledError('fine-tuning cancelled');
    const after = await score();
    const pending = pendingFiles(db);
    const onnx = trainer.exportInference(pending.onnx, {
      probability: false,
      metadata: { shotcast: 'convlstm' },
    });
    trainer.saveCheckpoint(pending.checkpoint, outcome.epochs);
    return {
      record: {
        datasetId: dataset.id,
        name: parent.name,
        preset: parent.preset,
        params: { ...configParams(config), grid: gridParams(hist.grid), step },
        datasetHash: datasetHash(db, dataset.id),
        dataCutoff: end,
        metrics: {
          ...metricsOf(outcome, config),
          before: before.hitRate5,
          after: after.hitRate5,
          heldOutSteps: heldOut,
        },
        onnxSha256: onnx.sha256,
        parentId: parent.id,
      },
      pending,
      summary: {
        parentId: parent.id,
        newSteps,
        heldOutSteps: heldOut,
        fineTuneSteps: trainTargets.length,
        before,
        after,
        keptParent: outcome.bestEpoch === 0,
        dataCutoff: end,
      },
      startedMs,
    };
  } finally {
    await trainer.dispose();
  }
}

/** Registers a fine-tuned model as the new version of its parent (its files named by id and hash). */
export async function registerFineTuned(db: WritableDb, ft: FineTuned): Promise<UpdateResult> {
  const registered = await registerModel(db, ft.record, ft.pending);
  return {
    ...ft.summary,
    modelId: registered.id,
    onnx: { path: registered.onnxPath, sha256: ft.record.onnxSha256 },
    seconds: (Date.now() - ft.startedMs) / 1000,
  };
}

/** Fine-tunes the dataset's latest model and registers it, in this thread. */
export async function updateLatestModel(
  db: WritableDb,
  datasetName: string,
  opts: { epochs?: number; progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<UpdateResult> {
  return registerFineTuned(db, await fineTuneAndExport(db, datasetName, opts));
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

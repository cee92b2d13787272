/**
 * The training loop: epochs of shuffled mini-batches drawn with the trainer's seeded RNG, progress
 * events, cancellation between steps, and a checkpoint at the end of every epoch. Because the
 * shuffle order, dropout noise, weights, moments and step count all live in the checkpoint, a run
 * resumed from epoch e continues exactly as the uninterrupted run did.
 */
import { TARGET } from './compile.ts';
import type { Trainer } from './trainer.ts';

/** Model inputs by name plus `target`, each holding `size` examples back to back. */
export interface Dataset {
  size: number;
  arrays: Readonly<Record<string, Float32Array>>;
}

export interface TrainProgress {
  /** Optimizer steps done in this run (resumed runs count from the checkpoint's). */
  step: number;
  /** 1-based epoch being trained. */
  epoch: number;
  loss: number;
  examplesPerSecond: number;
  etaSeconds: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  shuffle?: boolean;
  /** Drop the last partial batch, so one train-step session serves the whole run (default true). */
  dropLast?: boolean;
  /** Epochs already completed (from a checkpoint): training starts at the next one. */
  startEpoch?: number;
  onProgress?: (p: TrainProgress) => void;
  signal?: AbortSignal;
  /** Written after every epoch. */
  checkpointPath?: string;
}

export interface FitResult {
  /** Loss of every step run, in order. */
  stepLosses: number[];
  /** Mean step loss of every epoch run. */
  epochLosses: number[];
  epochsCompleted: number;
  cancelled: boolean;
}

export async function fit(trainer: Trainer, data: Dataset, opts: FitOptions): Promise<FitResult> {
  const names = Object.keys(data.arrays);
  if (!names.includes(TARGET)) throw new Error(`fit: the dataset has no '${TARGET}' array`);
  const per: Record<string, number> = {};
  for (const k of names) {
    const a = data.arrays[k];
    if (a.length % data.size !== 0)
      throw new Error(`fit: '${k}' has ${a.length} values for ${data.size} examples`);
    per[k] = a.length / data.size;
  }
  const bs = Math.min(opts.batchSize, data.size);
  const dropLast = opts.dropLast ?? true;
  const perEpoch = dropLast ? Math.floor(data.size / bs) : Math.ceil(data.size / bs);
  const bufs = new Map<number, Record<string, Float32Array>>();
  const batchBuffers = (n: number): Record<string, Float32Array> => {
    let b = bufs.get(n);
    if (!b) {
      b = {};
      for (const k of names) b[k] = new Float32Array(n * per[k]);
      bufs.set(n, b);
    }
    return b;
  };
  await trainer.prepare(bs);
  const result: FitResult = {
    stepLosses: [],
    epochLosses: [],
    epochsCompleted: opts.startEpoch ?? 0,
    cancelled: false,
  };
  const totalSteps = (opts.epochs - result.epochsCompleted) * perEpoch;
  const t0 = performance.now();
  let runSteps = 0;
  let examples = 0;
  for (let epoch = result.epochsCompleted + 1; epoch <= opts.epochs; epoch++) {
    const order = Array.from({ length: data.size }, (_, i) => i);
    if (opts.shuffle ?? true) trainer.rng.shuffle(order);
    let sum = 0;
    for (let b = 0; b < perEpoch; b++) {
      if (opts.signal?.aborted) {
        result.cancelled = true;
        return result;
      }
      const idx = order.slice(b * bs, Math.min((b + 1) * bs, data.size));
      const batch = batchBuffers(idx.length);
      for (const k of names) {
        const src = data.arrays[k];
        const dst = batch[k];
        const m = per[k];
        idx.forEach((e, j) => dst.set(src.subarray(e * m, (e + 1) * m), j * m));
      }
      const loss = await trainer.step(batch);
      if (!Number.isFinite(loss))
        throw new Error(`fit: the loss became ${loss} at epoch ${epoch}, step ${trainer.stepCount}`);
      result.stepLosses.push(loss);
      sum += loss;
      runSteps++;
      examples += idx.length;
      const secs = (performance.now() - t0) / 1000;
      opts.onProgress?.({
        step: trainer.stepCount,
        epoch,
        loss,
        examplesPerSecond: examples / secs,
        etaSeconds: (secs / runSteps) * (totalSteps - runSteps),
      });
    }
    result.epochLosses.push(sum / perEpoch);
    result.epochsCompleted = epoch;
    if (opts.checkpointPath) trainer.saveCheckpoint(opts.checkpointPath, epoch);
  }
  return result;
}

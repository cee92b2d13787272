/**
 * The training runtime: how a model definition becomes something you can train, evaluate, checkpoint
 * and export. Everything runs through onnxruntime-node; the step is one fused ONNX graph
 * (forward + backward + optimizer update) with parameters and optimizer moments as graph inputs and
 * outputs held in preallocated ping-pong buffers, one session per batch size, never rebuilt.
 *
 * Define a model from layers (src/main/engine/layers) over the builder:
 *
 *   const model = defineModel('tiny', (s) => {
 *     const cell = new ConvLSTM2D(s, 'lstm', { inChannels: 5, filters: 16, returnSequences: false });
 *     const bn = batchNormalization(s, 'bn', { channels: 16 });
 *     const head = conv2d(s, 'head', { inChannels: 16, filters: 1, kernel: 3 });
 *     return (ctx, { x }) => head.apply(ctx, bn.apply(ctx, cell.apply(ctx, x)));   // logits
 *   });
 *
 * Then train it:
 *
 *   const trainer = createTrainer({
 *     model, loss: (logits, y) => binaryCrossEntropyWithLogits(logits, y, { posWeight: 20 }), optimizer: adam({ lr: 1e-3 }),
 *     inputShapes: { x: [8, 5, 7, 36, 36] }, targetShape: [8, 1, 36, 36], seed: 42, threads: 2,
 *   });
 *   const loss = await trainer.step({ x, target });        // one fused train step → loss before the update
 *   const { loss, prediction } = await trainer.evaluate({ x, target });  // inference mode
 *   const p = await trainer.predict({ x });
 *   trainer.getWeights() / setWeights(map)                 // parameters + BN running stats by name
 *   trainer.saveCheckpoint(path, epoch) / loadCheckpoint(path) → { epoch, stepCount, ... }
 *   trainer.exportInference(path, { batch: 1 }) → { sha256, inputs, outputs }   // standalone .onnx
 *   trainer.lr = 5e-4;                                     // a graph input: no rebuild
 *
 * A batch is a record of flat Float32Arrays: one per model input plus `target`, batch axis first; any
 * batch size works (the first step at a new size compiles its session). `fit(trainer, data, opts)`
 * runs epochs with seeded shuffling, progress {step, epoch, loss, examplesPerSecond, etaSeconds},
 * cancellation (AbortSignal) and a checkpoint per epoch; `trainInWorker(job, onProgress)` does the
 * same in a worker thread (the model named by a setup module URL exporting createSetup(options),
 * e.g. presets/reference.ts) and returns { done, cancel }.
 *
 * Seeds: the seed fixes weight init, dropout noise and shuffling; the same seed gives the same run,
 * and a run resumed from a checkpoint ends where the uninterrupted run ends.
 */
import { Trainer, type TrainerOptions } from './trainer.ts';

export function createTrainer(opts: TrainerOptions): Trainer {
  return new Trainer(opts);
}

export { Trainer, type TrainerOptions, type Batch } from './trainer.ts';
export { fit, type Dataset, type FitOptions, type FitResult, type TrainProgress } from './fit.ts';
export { trainInWorker, type TrainHandle, type WorkerTrainResult } from './worker-client.ts';
export type { WorkerJob } from './worker-protocol.ts';
export { compileTrainStep, compileForward, type GraphSpec, type LossFn } from './compile.ts';
export { readCheckpoint, writeCheckpoint, type CheckpointHeader } from './checkpoint.ts';
export { sessionOptions, createSession, type SessionConfig } from './session.ts';
export { Rng } from './rng.ts';
export { exportInference, type ExportOptions, type ExportResult } from '../export.ts';

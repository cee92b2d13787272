/**
 * Worker-thread side of trainInWorker (worker-client.ts). Builds the trainer from a setup module
 * (functions cannot cross threads, so the model is named by module URL plus JSON options), runs
 * fit(), posts progress, and stops between steps when told to cancel.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { fit } from './fit.ts';
import { Trainer, type TrainerOptions } from './trainer.ts';
import type { FromWorker, ToWorker, WorkerJob } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('train.worker.ts must run in a worker thread');
const job = (workerData as { job: WorkerJob }).job;
const abort = new AbortController();
const post = (m: FromWorker): void => port.postMessage(m);
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') abort.abort();
});

async function run(): Promise<void> {
  const mod = (await import(job.setupModule)) as {
    createSetup?: (o: unknown) => Omit<TrainerOptions, 'seed' | 'threads'>;
  };
  if (typeof mod.createSetup !== 'function')
    throw new Error(`${job.setupModule}: a setup module must export createSetup(options)`);
  const trainer = new Trainer({ ...mod.createSetup(job.setupOptions), seed: job.seed, threads: job.threads });
  let startEpoch = 0;
  if (job.resumeFrom) startEpoch = trainer.loadCheckpoint(job.resumeFrom).epoch;
  if (job.lr !== undefined && !job.resumeFrom) trainer.lr = job.lr;
  const result = await fit(trainer, job.data, {
    ...job.fit,
    startEpoch,
    signal: abort.signal,
    onProgress: (p) => post({ type: 'progress', progress: p }),
  });
  let exported;
  if (job.exportPath && !result.cancelled) exported = trainer.exportInference(job.exportPath);
  const weights: Record<string, Float32Array> = Object.fromEntries(trainer.getWeights());
  await trainer.dispose();
  post({ type: 'done', result, weights, stepCount: trainer.stepCount, exported });
}

run().catch((e: unknown) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));

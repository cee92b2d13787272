/**
 * The `train` use case: always in a worker thread (the window's process keeps answering), with progress
 * and cancel; the model is registered here, on the caller's connection, with its grid, step, data
 * cut-off and validation scores.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  registerTrained,
  type TrainJob,
  type TrainJobResult,
  type TrainedModel,
} from '../networks/train-job.ts';
import { runJobInWorker } from '../util/worker.ts';
import type { JobHooks, Workstation } from './context.ts';

export type TrainRequest = Omit<TrainJob, 'progress' | 'signal' | 'out'> & {
  /** Where the .onnx goes; default: `models/` beside the database. */
  out?: string;
};

export function defaultModelPath(dbPath: string, dataset: string): string {
  return join(dirname(dbPath), 'models', `convlstm-${dataset}-${Date.now()}.onnx`);
}

export async function train(
  ws: Workstation,
  req: TrainRequest,
  hooks: JobHooks = {},
): Promise<TrainJobResult> {
  const out = req.out ?? defaultModelPath(ws.dbPath, req.dataset);
  mkdirSync(dirname(out), { recursive: true });
  const trained = await runJobInWorker<TrainedModel>(
    new URL('./train.worker.ts', import.meta.url),
    { dbPath: ws.dbPath, job: { ...req, out } },
    hooks,
  );
  return registerTrained(ws.db, trained);
}

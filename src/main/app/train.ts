/**
 * The `train` use case: always in a worker thread (the window's process keeps answering), with progress
 * and cancel; the model is registered here, on the caller's connection, with its grid, step, data
 * cut-off and validation scores. Its files go to the database's model folder; `out` is an exported copy.
 */
import {
  registerTrained,
  type TrainJob,
  type TrainJobResult,
  type TrainedModel,
} from '../networks/train-job.ts';
import { runJobInWorker } from '../util/worker.ts';
import type { JobHooks, Workstation } from './context.ts';

export type TrainRequest = Omit<TrainJob, 'progress' | 'signal'>;

export async function train(
  ws: Workstation,
  req: TrainRequest,
  hooks: JobHooks = {},
): Promise<TrainJobResult> {
  const trained = await runJobInWorker<TrainedModel>(
    new URL('./train.worker.ts', import.meta.url),
    { dbPath: ws.dbPath, job: req },
    hooks,
  );
  return registerTrained(ws.db, trained, req.out);
}

/** The `train` use case's worker: the training job in its own thread, so the window's process keeps answering. */
import { fitAndExport, type TrainJob, type TrainedModel } from '../networks/train-job.ts';
import { serveJob } from '../util/worker.ts';
import { withReadonlyDb } from './context.ts';

await serveJob<{ dbPath: string; job: Omit<TrainJob, 'progress' | 'signal'> }, TrainedModel>(
  ({ dbPath, job }, hooks) => withReadonlyDb(dbPath, (db) => fitAndExport(db, { ...job, ...hooks })),
);

/** The fine-tune's worker: the model learns the new weeks in its own thread, so the window keeps answering. */
import { fineTuneAndExport, type FineTuned } from '../networks/fine-tune.ts';
import { serveJob } from '../util/worker.ts';
import { withReadonlyDb } from './context.ts';

await serveJob<{ dbPath: string; dataset: string; epochs?: number }, FineTuned>(
  ({ dbPath, dataset, epochs }, hooks) =>
    withReadonlyDb(dbPath, (db) => fineTuneAndExport(db, dataset, { epochs, ...hooks })),
);

/**
 * The `update` use case: import new alerts into a dataset, then fine-tune its latest model from its
 * checkpoint on the steps since the model's data cut-off and register the result as a new version.
 */
import {
  checkUpdatable,
  fineTuneAndExport,
  registerFineTuned,
  type FineTuned,
  type UpdateResult,
} from '../networks/fine-tune.ts';
import { runJobInWorker } from '../util/worker.ts';
import type { JobHooks, Workstation } from './context.ts';
import { importData, type ImportReport } from './import.ts';

export type { UpdateResult };

export interface UpdateRequest {
  dataset: string;
  /** The new alerts file. */
  file: string;
  /** Fine-tuning epochs (default: the model's own setting, at least 1). */
  epochs?: number;
}

export async function update(
  ws: Workstation,
  req: UpdateRequest,
  hooks: JobHooks & { imported?: (report: ImportReport) => void } = {},
): Promise<{ import: ImportReport; update: UpdateResult }> {
  // A mistyped dataset, or one with no model to fine-tune, is refused before anything is imported.
  checkUpdatable(ws.db, req.dataset);
  const [imported] = await importData(ws, { files: [req.file], dataset: req.dataset }, hooks);
  hooks.imported?.(imported);
  const r = await fineTune(ws, { dataset: req.dataset, epochs: req.epochs }, hooks);
  return { import: imported, update: r };
}

/**
 * Fine-tunes the dataset's latest model on the steps since its data cut-off, in a worker thread (in this
 * one for an in-memory database), and registers it as that model's next version.
 */
export async function fineTune(
  ws: Workstation,
  req: { dataset: string; epochs?: number },
  hooks: JobHooks = {},
): Promise<UpdateResult> {
  checkUpdatable(ws.db, req.dataset);
  const ft =
    ws.dbPath === ':memory:'
      ? await fineTuneAndExport(ws.db, req.dataset, { epochs: req.epochs, ...hooks })
      : await runJobInWorker<FineTuned>(
          new URL('./fine-tune.worker.ts', import.meta.url),
          { dbPath: ws.dbPath, dataset: req.dataset, epochs: req.epochs },
          hooks,
        );
  return registerFineTuned(ws.db, ft);
}

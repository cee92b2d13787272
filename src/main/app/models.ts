/**
 * Deleting a registered model: its registry row goes, and so do its ONNX file and checkpoint, unless
 * another model of the registry names the same file. A model fine-tuned from it stays, without a parent.
 */
import { rmSync } from 'node:fs';
import { deleteModel as deleteModelRow, fileInRegistry, getModel } from '../db/queries/models.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { DataError } from '../util/errors.ts';
import type { Workstation } from './context.ts';

export interface DeletedModel {
  deleted: boolean;
  /** The files removed from disk. */
  filesRemoved: string[];
}

export async function deleteModel(ws: Pick<Workstation, 'db'>, id: number): Promise<DeletedModel> {
  const m = getModel(ws.db, id);
  if (!m) throw new DataError(`no registered model ${id}`);
  // The row goes in a short transaction whose lock is awaited; the files after the commit.
  const deleted = await writeTransaction(ws.db, () => deleteModelRow(ws.db, id));
  const filesRemoved: string[] = [];
  for (const file of [m.onnxPath, m.checkpointPath]) {
    if (!file || fileInRegistry(ws.db, file)) continue;
    try {
      rmSync(file);
      filesRemoved.push(file);
    } catch {
      // Already gone: the registry row was the only thing left to remove.
    }
  }
  return { deleted, filesRemoved };
}

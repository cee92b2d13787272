/**
 * Where registered models keep their files, and the rules that keep those files honest: a model's
 * ONNX file and checkpoint live in the database's own model folder, named by the model's id and the
 * file's content hash, and nothing ever writes over them. `--out` gets a copy; a path that belongs to
 * a registered model is refused; a file that is missing or changed is reported, never used.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { ReadonlyDb, WritableDb } from '../db/connection.ts';
import {
  insertModel,
  modelOwningFile,
  setModelFiles,
  type ModelRecord,
  type NewModel,
} from '../db/queries/models.ts';
import { writeTransaction } from '../db/write-lock.ts';
import { DataError, UsageError } from '../util/errors.ts';

/** The database's model folder: `<db name>-models/` beside the database file. */
export function modelDir(db: ReadonlyDb): string {
  const file = (db as unknown as { name: string; memory: boolean }).name;
  if ((db as unknown as { memory: boolean }).memory || file === ':memory:' || file === '')
    return join(tmpdir(), `shotcast-memory-models-${process.pid}`);
  const abs = resolve(file);
  return join(dirname(abs), `${basename(abs, extname(abs))}-models`);
}

/** Fresh file names in the model folder for a model about to be written (renamed once registered). */
export function pendingFiles(db: ReadonlyDb): { onnx: string; checkpoint: string } {
  const dir = modelDir(db);
  mkdirSync(dir, { recursive: true });
  const stem = join(dir, `.pending-${process.pid}-${randomBytes(6).toString('hex')}`);
  return { onnx: `${stem}.onnx`, checkpoint: `${stem}.ckpt` };
}

/**
 * Registers a model whose files were written to `pending` paths: one short transaction, its lock taken
 * without blocking the event loop, inserts the row,
 * moves the files to `<id>-<sha256 prefix>.onnx|.ckpt` and points the row at them. On failure the
 * pending files are removed and nothing is registered.
 */
export async function registerModel(
  db: WritableDb,
  model: Omit<NewModel, 'onnxPath' | 'checkpointPath'>,
  pending: { onnx: string; checkpoint: string | null },
): Promise<{ id: number; onnxPath: string; checkpointPath: string | null }> {
  try {
    // The lock is awaited, not waited for: the window's process keeps answering meanwhile.
    return await writeTransaction(db, () => {
      const id = insertModel(db, { ...model, onnxPath: '', checkpointPath: null });
      const stem = join(dirname(pending.onnx), `${id}-${model.onnxSha256.slice(0, 16)}`);
      const onnxPath = `${stem}.onnx`;
      const checkpointPath = pending.checkpoint ? `${stem}.ckpt` : null;
      if (existsSync(onnxPath) || (checkpointPath && existsSync(checkpointPath)))
        throw new DataError(`the model folder already holds a file for model ${id}: ${onnxPath}`);
      renameSync(pending.onnx, onnxPath);
      if (pending.checkpoint && checkpointPath) renameSync(pending.checkpoint, checkpointPath);
      setModelFiles(db, id, onnxPath, checkpointPath);
      return { id, onnxPath, checkpointPath };
    });
  } finally {
    rmSync(pending.onnx, { force: true });
    if (pending.checkpoint) rmSync(pending.checkpoint, { force: true });
  }
}

function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    // The file does not exist yet: its folder may still be a link.
    try {
      return join(realpathSync(dirname(abs)), basename(abs));
    } catch {
      return abs;
    }
  }
}

/** Refuses an --out path that is a registered model's file (its ONNX or its checkpoint). */
export function refuseModelFile(db: ReadonlyDb, out: string): void {
  const target = canonical(out);
  for (const candidate of new Set([resolve(out), target])) {
    const owner = modelOwningFile(db, candidate);
    if (owner)
      throw new UsageError(
        `--out ${out} is the file of registered model ${owner.id}; registered models are never overwritten, choose another path`,
      );
  }
}

/** Writes an exported copy of a registered model's ONNX file (atomically: copy beside, then rename). */
export function exportCopy(onnxPath: string, out: string): string {
  const dest = resolve(out);
  const tmp = `${dest}.${process.pid}.tmp`;
  copyFileSync(onnxPath, tmp);
  renameSync(tmp, dest);
  return dest;
}

/** A registered model's ONNX bytes, after checking the file is there and unchanged since registration. */
export function readModelFile(record: ModelRecord): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(record.onnxPath);
  } catch {
    throw new DataError(
      `model ${record.id}: its ONNX file is missing (${record.onnxPath}); it will not be used: restore the file or retrain`,
    );
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== record.onnxSha256)
    throw new DataError(
      `model ${record.id}: its ONNX file has changed since it was registered (sha256 ${sha.slice(0, 12)}…, registered ${record.onnxSha256.slice(0, 12)}…); it will not be used: restore the file or retrain`,
    );
  return bytes;
}

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { WritableDb } from '../db/connection.ts';
import { datasetName, findSameRun } from '../db/queries/run-store.ts';
import { saveRun, type StoredRunInput } from '../db/queries/runs.ts';
import { beginImmediate } from '../db/write-lock.ts';
import { DataError } from '../util/errors.ts';

/** Tries to store a run this many times, each waiting up to the connection's busy timeout for the lock. */
export const STORE_ATTEMPTS = 3;

/** What a file of unsaved results holds: the run as it would have been stored, and its dataset's name. */
interface UnsavedRunFile {
  shotcastUnsavedRun: 1;
  dataset: string;
  run: StoredRunInput & { createdAt: string };
}

export type StoreOutcome = { runId: number } | { file: string; error: string };

/**
 * Stores a finished evaluation run, waiting for another program's write lock without blocking the
 * event loop, and trying again if it is still held. If the run still cannot be stored, its results
 * are written to a JSON file next to the database, for `shotcast runs import FILE`: finished work is
 * never thrown away. Throws only if that file cannot be written either.
 */
export async function storeRun(
  db: WritableDb,
  dbPath: string,
  input: StoredRunInput,
  opts: { attempts?: number; timeoutMs?: number; onRetry?: (attempt: number, error: string) => void } = {},
): Promise<StoreOutcome> {
  const run = { ...input, createdAt: input.createdAt ?? new Date().toISOString() };
  const stored = await tryStore(db, run, opts);
  if ('runId' in stored) return stored;
  const { error } = stored;
  const file = unsavedRunPath(dbPath, run.createdAt);
  const content: UnsavedRunFile = {
    shotcastUnsavedRun: 1,
    dataset: datasetNameOrId(db, run.datasetId),
    run,
  };
  try {
    writeFileSync(file, JSON.stringify(content) + '\n', { flag: 'wx' });
  } catch (e) {
    throw new DataError(
      `could not store the run (${error}), nor keep it in ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  return { file, error };
}

/** Stores a run from a file storeRun wrote; returns its id, and whether it was stored before. */
export async function importRunFile(
  db: WritableDb,
  file: string,
): Promise<{ runId: number; alreadyStored: boolean; dataset: string }> {
  let content: UnsavedRunFile;
  try {
    content = JSON.parse(readFileSync(file, 'utf8')) as UnsavedRunFile;
  } catch (e) {
    throw new DataError(
      `cannot read the run file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      {
        file,
      },
    );
  }
  if (content?.shotcastUnsavedRun !== 1 || typeof content.run?.datasetId !== 'number') {
    throw new DataError('not a file of unsaved evaluation results (written by shotcast evaluate)', { file });
  }
  const { run } = content;
  const name = datasetName(db, run.datasetId);
  if (name !== content.dataset) {
    throw new DataError(
      `the run is of dataset '${content.dataset}', which this database does not hold under id ${run.datasetId}`,
      { file },
    );
  }
  const same = findSameRun(db, run);
  if (same !== undefined) return { runId: same, alreadyStored: true, dataset: name };
  const stored = await tryStore(db, run, {});
  if ('error' in stored) throw new DataError(`could not store the run: ${stored.error}`, { file });
  return { runId: stored.runId, alreadyStored: false, dataset: name };
}

/** Stores the run in a transaction of its own, trying `attempts` times; returns its id or the last error. */
async function tryStore(
  db: WritableDb,
  run: StoredRunInput,
  opts: { attempts?: number; timeoutMs?: number; onRetry?: (attempt: number, error: string) => void },
): Promise<{ runId: number } | { error: string }> {
  const attempts = opts.attempts ?? STORE_ATTEMPTS;
  let error = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await beginImmediate(db, opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs });
      try {
        const runId = saveRun(db, run);
        db.exec('COMMIT');
        return { runId };
      } finally {
        if (db.inTransaction) db.exec('ROLLBACK');
      }
    } catch (e) {
      error = (e as Error).message.split('\n')[0];
      if (attempt < attempts) opts.onRetry?.(attempt, error);
    }
  }
  return { error };
}

/** `<db>.unsaved-run-<time>.json` beside the database. */
function unsavedRunPath(dbPath: string, createdAt: string): string {
  return join(dirname(dbPath), `${basename(dbPath)}.unsaved-run-${createdAt.replace(/[:.]/g, '-')}.json`);
}

function datasetNameOrId(db: WritableDb, id: number): string {
  try {
    return datasetName(db, id) ?? `#${id}`;
  } catch {
    return `#${id}`;
  }
}

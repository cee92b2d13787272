import { openDb, type ReadonlyDb, type WritableDb } from '../db/connection.ts';
import type { ProgressFn } from '../../shared/types.ts';

export type { ReadonlyDb, WritableDb };

/** What every use case works on: the open database and its file (workers open their own handle on it). */
export interface Workstation {
  db: WritableDb;
  /** The database file; ':memory:' cannot be shared with a worker, so long jobs then run in-process. */
  dbPath: string;
}

/** How a use case reports progress and learns it was cancelled; the same for every door. */
export interface JobHooks {
  progress?: ProgressFn;
  signal?: AbortSignal;
}

/** Opens the database (migrating it), runs `fn` on it and closes it, whatever happens: a CLI command's frame. */
export async function withWorkstation<T>(
  dbPath: string,
  fn: (ws: Workstation) => Promise<T> | T,
): Promise<T> {
  const db = openDb(dbPath);
  try {
    return await fn({ db, dbPath });
  } finally {
    db.close();
  }
}

/** The same on a read-only handle (a worker's, or a command that only reads). */
export async function withReadonlyDb<T>(dbPath: string, fn: (db: ReadonlyDb) => Promise<T> | T): Promise<T> {
  const db = openDb(dbPath, { readonly: true });
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

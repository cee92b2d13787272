import type { WritableDb } from '../db/connection.ts';
import type { ProgressFn } from '../../shared/types.ts';

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

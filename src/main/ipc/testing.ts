/** Helpers for tests of the IPC layer: the app's dispatcher over the April 2014 DC database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aprilDb } from '../../../test/dc-april.ts';
import { openDb, type WritableDb } from '../db/connection.ts';
import { createDispatcher, type Dispatcher } from './registry.ts';
import { createHandlers } from './handlers.ts';
import { Jobs } from './jobs.ts';

export interface TestApp {
  d: Dispatcher;
  db: WritableDb;
  dbPath: string;
  jobs: Jobs;
  /** The temporary folder holding the database (and its model folder); removed afterwards. */
  dir: string;
}

/** Runs fn against the web transport's handlers on a fresh copy of the April 2014 DC database. */
export async function withApp(fn: (app: TestApp) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-ipc-app-'));
  const dbPath = await aprilDb(dir);
  const db = openDb(dbPath);
  const jobs = new Jobs();
  try {
    const d = createDispatcher(
      createHandlers({
        db,
        dbPath,
        resourcesDir: join(dir, 'resources'),
        transport: 'web',
        version: '0.0.0',
        jobs,
        tiles: () => null,
      }),
    );
    await fn({ d, db, dbPath, jobs, dir });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

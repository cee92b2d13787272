import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type WritableDb } from '../db/connection.ts';

/** A fresh database in a temp dir, for tests. */
export function tempDb(): { db: WritableDb; path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'shotcast-ingest-'));
  const path = join(dir, 'test.sqlite');
  return { db: openDb(path), path, dir };
}

/** Everything a test needs to tell whether a database changed: schema, and every row of the ingest tables. */
export function snapshot(db: WritableDb): string {
  const parts: unknown[] = [db.prepare(`SELECT type, name, sql FROM sqlite_master ORDER BY name`).all()];
  for (const t of ['datasets', 'imports', 'locations', 'events', 'rejects']) {
    parts.push(db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all());
  }
  return JSON.stringify(parts);
}

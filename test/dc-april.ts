import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../src/main/db/connection.ts';
import { importFile } from '../src/main/ingest/import.ts';
import { DC_SAMPLE } from './paths.ts';

/** The grid the small training tests use: 6 × 6 cells over DC. */
export const DC_GRID = {
  rows: 6,
  cols: 6,
  bbox: [38.81, -77.05, 38.97, -76.9] as [number, number, number, number],
};

/**
 * A database `dc.sqlite` in `dir` holding DC's January–April 2014 alerts as dataset 'dc', imported the
 * way the app imports them: enough to train a small network in seconds.
 */
export async function aprilDb(dir: string): Promise<string> {
  const lines = readFileSync(DC_SAMPLE, 'utf8').split('\n');
  const csv = join(dir, 'jan-apr-2014.csv');
  writeFileSync(
    csv,
    lines.filter((l, i) => i === 0 || (l.split(',')[2] ?? '') < '2014-05-01').join('\n') + '\n',
  );
  const path = join(dir, 'dc.sqlite');
  const db = openDb(path);
  await importFile(db, csv, { dataset: 'dc', city: 'Washington DC', tz: 'America/New_York' });
  db.close();
  return path;
}

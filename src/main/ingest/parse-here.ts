import { createHash } from 'node:crypto';
import type { WritableDb } from '../db/connection.ts';
import { existingMatchesStatement } from '../db/queries/ingest.ts';
import { ZoneConverter } from '../time/zone.ts';
import { formatByName } from './formats/index.ts';
import { datasetZone } from './normalise.ts';
import type { ParseJob, ParseResult } from './parse-job.ts';
import { readCsv } from './read/csv.ts';
import { readXlsx } from './read/xlsx.ts';
import { ImportSession, type Target } from './session.ts';
import type { BatchWriter } from './writer.ts';

/** The dataset and import record an import writes into, and the writer bound to them. */
export interface Opened {
  datasetId: number;
  importId: number;
  writer: BatchWriter;
}

type OpenOnDb = (format: string, zone: { tz: string; city: string }) => Opened;
type Tick = (read: number, total: number, rows: number) => void;

/** Parses on this thread, writing each batch as it fills (workbooks, small files, appends to a dataset). */
export async function parseHere(
  db: WritableDb,
  job: ParseJob,
  container: 'csv' | 'xlsx',
  hadEvents: boolean,
  openOnDb: OpenOnDb,
  tick: Tick,
): Promise<ParseResult> {
  const hash = createHash('sha256');
  let opened: Opened | null = null;
  let existing: Target['existing'];
  if (hadEvents) {
    const stmt = existingMatchesStatement(db);
    existing = (code, second, loc) => {
      const o = opened!;
      return stmt.all(o.datasetId, code, second * 1000, second * 1000 + 1000, loc, o.importId);
    };
  }
  const session = new ImportSession({
    file: job.file,
    format: job.format ? formatByName(job.format) : undefined,
    map: job.map,
    nowMs: job.nowMs,
    open: (spec) => {
      const zone = datasetZone(spec, job);
      opened = openOnDb(spec.name, zone);
      return {
        zone: new ZoneConverter(zone.tz),
        baseEventId: job.baseEventId,
        locations: job.locations,
        existing,
      };
    },
    emit: (b) => opened!.writer.write(b),
  });
  if (container === 'xlsx') {
    await readXlsx(job.file, session, {
      onBytes: (chunk, read, total) => {
        hash.update(chunk);
        tick(read, total, session.counts.rows);
      },
    });
  } else {
    await readCsv(job.file, (cells, line, raw) => session.row(cells, line, raw), {
      onChunk: (chunk, read, total) => {
        hash.update(chunk);
        tick(read, total, session.counts.rows);
      },
    });
  }
  const counts = session.finish();
  return {
    counts,
    events: session.eventCount,
    format: session.format!.name,
    columns: session.columns,
    sha256: hash.digest('hex'),
  };
}

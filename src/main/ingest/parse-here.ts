import { createHash } from 'node:crypto';
import type { WritableDb } from '../db/connection.ts';
import { existingMatchesStatement } from '../db/queries/ingest.ts';
import { resultOf, sessionFor, type ParseJob, type ParseResult } from './parse-job.ts';
import { readCsv } from './read/csv.ts';
import { readXlsx } from './read/xlsx.ts';
import type { Target } from './session.ts';
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
    existing = (code, second, latE6, lonE6) => {
      const o = opened!;
      return stmt.all(o.datasetId, code, second * 1000, second * 1000 + 1000, o.importId, latE6, lonE6);
    };
  }
  const session = sessionFor(
    job,
    (format, zone) => {
      opened = openOnDb(format, zone);
      return { existing };
    },
    (b) => opened!.writer.write(b),
  );
  if (container === 'xlsx') {
    await readXlsx(job.file, session, {
      gzip: job.gzip,
      onBytes: (chunk, read, total) => {
        hash.update(chunk);
        tick(read, total, session.counts.rows);
      },
    });
  } else {
    await readCsv(job.file, (cells, line, raw) => session.row(cells, line, raw), {
      gzip: job.gzip,
      onChunk: (chunk, read, total) => {
        hash.update(chunk);
        tick(read, total, session.counts.rows);
      },
    });
  }
  return resultOf(session, session.finish(), hash);
}

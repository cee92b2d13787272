import { nameProblem, toName } from '../../shared/names.ts';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportReport as ImportSummary } from '../../shared/contract.ts';
import type { Progress, ProgressFn } from '../../shared/types.ts';
import { DataError, UsageError } from '../util/errors.ts';
import type { WritableDb } from '../db/connection.ts';
import { beginImmediate, checkpointTruncate } from '../db/write-lock.ts';
import {
  countDatasetEvents,
  createDataset,
  createImport,
  findDataset,
  fixDuplicateLinks,
  finishImport,
  importRange,
  importsOfSize,
  maxEventId,
  tableIndexes,
  touchDataset,
} from '../db/queries/ingest.ts';
import { formatByName } from './formats/index.ts';
import { parseHere, type Opened } from './parse-here.ts';
import { parseInWorker } from './parallel.ts';
import type { ParseJob } from './parse-job.ts';
import { BatchWriter } from './writer.ts';
import { datasetNameOf, sniffFile } from './read/source.ts';
import { checkZone } from '../time/zone.ts';

export interface ImportOptions {
  /** Dataset to add the file to; default: the file's name without extension. */
  dataset?: string;
  /** City of a new dataset; also picks the time zone of a generic file (see CITY_ZONES). */
  city?: string;
  /** IANA zone the file's local times are in; default: the dataset's, the city's, or the format's. */
  tz?: string;
  /** Source format name (see FORMATS); default: detected from the header. */
  format?: string;
  /** Generic-format column overrides, field → header name (`--map lat=Y`). */
  map?: Record<string, string>;
  /**
   * Parse in a worker thread while this thread writes (CSV only, and only into a dataset without
   * events: appending rows are checked against stored events on this thread). Default: for files of
   * WORKER_MIN_BYTES or more, where it pays for the worker's start.
   */
  worker?: boolean;
  /** Events the duplicate finder keeps in memory per generation (see DuplicateIndex); tests use few. */
  dedupGeneration?: number;
}

/**
 * What an import did; exactly what `shotcast import --json` prints for one file. The contract's part
 * (dataset, rows, imported, duplicates, rejected by reason, by type, from/to in local ISO time) is what
 * the app shows; the rest says which file, format and zone, and how the rows were read.
 */
export interface ImportReport extends ImportSummary {
  file: string;
  format: string;
  city: string;
  tz: string;
  size: number;
  sha256: string;
  /** Rows already stored by an earlier import of the dataset (an overlapping file), not added again. */
  skippedExisting: number;
  /** True when this very file (same sha256) was imported into the dataset before: nothing was read. */
  alreadyImported: boolean;
  /** Local times in a spring-forward gap, shifted forward by the gap. */
  dstGapShifted: number;
  /** Local times in an autumn fold, read as the earlier of the two instants. */
  dstFoldEarlier: number;
  /** Columns used, field → header spelling. */
  columns: Record<string, string>;
  /** Per worksheet: rows read and the header's row number (workbooks only). */
  sheets?: { name: string; rows: number; header: number | null }[];
  seconds: number;
}

let savepoints = 0;
/** Rough bytes per row of an alert CSV, to guess a file's row count from its size. */
const BYTES_PER_ROW_GUESS = 90;
/** Rough ratio of an alert CSV's size to its gzip's, to guess a compressed file's content size. */
const GZIP_RATIO_GUESS = 5;
const BULK_MIN_ROWS = 50_000;
/** Files from this size on are parsed in a worker by default (starting one costs a few hundred ms). */
export const WORKER_MIN_BYTES = 8 << 20;

/**
 * Settings for one big write transaction, undone afterwards. Every reference an import writes (dataset,
 * import, location, duplicate_of) is one it has just created or read inside the same transaction, so
 * checking foreign keys costs four index probes per row for nothing. The pragma can only change outside
 * a transaction.
 */
function bulkPragmas(db: WritableDb): () => void {
  const fk = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  return () => {
    db.pragma(`foreign_keys = ${fk ? 'ON' : 'OFF'}`);
  };
}

/**
 * Imports one alert file into a dataset, as ONE transaction: a fatal error, or the process dying part
 * way, leaves the database exactly as it was. Nested in a caller's transaction it uses a savepoint, so
 * several files can be imported all-or-nothing.
 */
export async function importFile(
  db: WritableDb,
  file: string,
  opts: ImportOptions = {},
  progress?: ProgressFn,
): Promise<ImportReport> {
  const started = performance.now();
  const forced = opts.format ? formatByName(opts.format) : undefined;
  if (opts.tz) checkZone(opts.tz);
  // One name rule at every door (src/shared/names.ts); a name taken from the file is made to follow it.
  const name = opts.dataset ?? toName(datasetNameOf(basename(file)));
  const problem = nameProblem(name);
  if (problem) throw new UsageError(`--dataset ${problem}`);
  let size: number;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new DataError('not a file', { file });
    size = st.size;
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
      file,
    });
  }
  const { container, gzip } = await sniffFile(file);
  const contentSize = gzip ? size * GZIP_RATIO_GUESS : size;
  const existing = findDataset(db, name);
  if (existing && opts.tz && opts.tz !== existing.tz) {
    throw new UsageError(`dataset '${name}' is in time zone ${existing.tz}; --tz ${opts.tz} contradicts it`);
  }

  if (existing) {
    const sameSize = importsOfSize(db, existing.id, size);
    if (sameSize.length) {
      const sha = await sha256File(file);
      const prev = sameSize.find((i) => i.sha256 === sha);
      if (prev) {
        const range = importRange(db, prev.id);
        return {
          dataset: name,
          rows: prev.rows,
          imported: 0,
          duplicates: 0,
          rejected: 0,
          rejectsByReason: {},
          byType: { single: 0, multiple: 0, gunshot_or_firecracker: 0, unknown: 0 },
          from: range.from,
          to: range.to,
          file,
          format: prev.format,
          city: existing.city,
          tz: existing.tz,
          size,
          sha256: sha,
          skippedExisting: prev.imported,
          alreadyImported: true,
          dstGapShifted: 0,
          dstFoldEarlier: 0,
          columns: {},
          seconds: (performance.now() - started) / 1000,
        };
      }
    }
  }

  const now = new Date();
  const hadEvents = existing ? countDatasetEvents(db, existing.id) > 0 : false;
  const inWorker = container === 'csv' && !hadEvents && (opts.worker ?? contentSize >= WORKER_MIN_BYTES);
  let city = '';
  let tz = '';
  let opened: Opened | null = null;
  let deferredIndexes: { name: string; sql: string }[] = [];
  /** Creates the dataset (if new) and the import record once the format, hence the zone, is known. */
  const openOnDb = (format: string, zone: { tz: string; city: string }): Opened => {
    ({ tz, city } = zone);
    const iso = now.toISOString();
    const datasetId = existing?.id ?? createDataset(db, { name, city, tz, format, now: iso });
    const importId = createImport(db, {
      datasetId,
      sourceFile: basename(file),
      size,
      format,
      importedAt: iso,
    });
    // A big load into a small table is faster with the events indexes built once at the end than
    // maintained row by row. Not when rows must be checked against the dataset's earlier events,
    // which needs the index.
    if (!hadEvents && contentSize / BYTES_PER_ROW_GUESS >= Math.max(BULK_MIN_ROWS, maxEventId(db))) {
      deferredIndexes = tableIndexes(db, 'events');
      for (const ix of deferredIndexes) db.exec(`DROP INDEX "${ix.name}"`);
    }
    opened = { datasetId, importId, writer: new BatchWriter(db, datasetId, importId) };
    return opened;
  };

  let lastTick = 0;
  const tick = (read: number, total: number, rows: number) => {
    if (!progress) return;
    const t = performance.now();
    if (t - lastTick < 50 && read < total) return;
    lastTick = t;
    const elapsed = (t - started) / 1000;
    progress({
      job: 'import',
      phase: basename(file),
      done: read,
      total,
      etaSeconds: read > 0 ? (elapsed * (total - read)) / read : undefined,
      message: `${rows.toLocaleString('en-US')} rows`,
    });
  };

  const nested = db.inTransaction;
  const sp = `shotcast_import_${++savepoints}`;
  const restore = nested ? () => {} : bulkPragmas(db);
  try {
    if (nested) db.exec(`SAVEPOINT ${sp}`);
    else await beginImmediate(db, { onWait: () => progress?.(waitingForLock(file)) });
  } catch (e) {
    restore();
    throw e;
  }
  try {
    const job: ParseJob = {
      file,
      gzip,
      format: forced?.name,
      map: opts.map,
      nowMs: now.getTime(),
      existing: existing ? { tz: existing.tz, city: existing.city } : undefined,
      tz: opts.tz,
      city: opts.city,
      baseEventId: maxEventId(db) + 1,
      ...(opts.dedupGeneration ? { dedupGeneration: opts.dedupGeneration } : {}),
    };
    const parsed = inWorker
      ? await parseInWorker(job, openOnDb, tick)
      : await parseHere(db, job, container, hadEvents, openOnDb, tick);
    const target = opened as Opened | null;
    if (!target) throw new Error('the import never opened its dataset');
    target.writer.flush();
    // Duplicates point at ids predicted as MAX(id) + 1 onwards; make sure SQLite numbered them so.
    if (parsed.events > 0 && maxEventId(db) !== job.baseEventId + parsed.events - 1) {
      throw new Error(
        `event ids are not the ${parsed.events} predicted from ${job.baseEventId}: duplicate links would be wrong`,
      );
    }
    const counts = parsed.counts;
    if (deferredIndexes.length) {
      progress?.({ job: 'import', phase: 'indexing', done: 0, total: 1, message: basename(file) });
      // Let SQLite's sorter use a helper thread: the parsing is over, so the second core is free.
      const threads = db.pragma('threads', { simple: true }) as number;
      db.pragma('threads = 2');
      try {
        for (const ix of deferredIndexes) db.exec(ix.sql);
      } finally {
        db.pragma(`threads = ${threads}`);
      }
    }
    // Events the in-memory window could not settle (a file out of time order): checked with the index.
    if (target.writer.unsure.length) counts.duplicates += fixDuplicateLinks(db, target.writer.unsure);
    const sha256 = parsed.sha256;
    finishImport(db, target.importId, { ...counts, sha256 });
    touchDataset(db, target.datasetId, now.toISOString());
    db.exec(nested ? `RELEASE ${sp}` : 'COMMIT');
    restore();
    if (!nested) await checkpointTruncate(db);
    return {
      dataset: name,
      rows: counts.rows,
      imported: counts.imported,
      duplicates: counts.duplicates,
      rejected: counts.rejected,
      rejectsByReason: { ...counts.rejectsByReason },
      byType: { ...counts.byType },
      from: counts.from,
      to: counts.to,
      file,
      format: parsed.format,
      city,
      tz,
      size,
      sha256,
      skippedExisting: counts.skippedExisting,
      alreadyImported: false,
      dstGapShifted: counts.dstGapShifted,
      dstFoldEarlier: counts.dstFoldEarlier,
      columns: parsed.columns,
      ...(container === 'xlsx' ? { sheets: counts.sheets } : {}),
      seconds: (performance.now() - started) / 1000,
    };
  } catch (e) {
    if (db.inTransaction) db.exec(nested ? `ROLLBACK TO ${sp}; RELEASE ${sp}` : 'ROLLBACK');
    restore();
    throw e;
  }
}

/**
 * Imports several files all-or-nothing: one transaction, a savepoint per file. If any file fails, none
 * of them is imported. Returns one report per file.
 */
export async function importFiles(
  db: WritableDb,
  files: readonly string[],
  opts: ImportOptions = {},
  progress?: ProgressFn,
): Promise<ImportReport[]> {
  if (db.inTransaction) throw new Error('importFiles opens its own transaction');
  const restore = bulkPragmas(db);
  const reports: ImportReport[] = [];
  try {
    await beginImmediate(db, { onWait: () => progress?.(waitingForLock(files.join(', '))) });
  } catch (e) {
    restore();
    throw e;
  }
  try {
    for (const f of files) reports.push(await importFile(db, f, opts, progress));
    db.exec('COMMIT');
    restore();
    await checkpointTruncate(db);
    return reports;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    restore();
    throw e;
  }
}

/** What the progress bar says while another program holds the write lock. */
function waitingForLock(file: string): Progress {
  return {
    job: 'import',
    phase: 'waiting',
    done: 0,
    total: 1,
    message: `${basename(file)}: the database is busy (another program is writing), retrying`,
  };
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

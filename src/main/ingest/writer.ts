import type { Statement } from 'better-sqlite3';
import type { WritableDb } from '../db/connection.ts';
import {
  BatchInserter,
  REJECT_COLUMNS,
  eventInsertStatement,
  locationIdLookup,
} from '../db/queries/ingest.ts';
import type { RowBatch } from './batch.ts';
import { LocationIds } from './locations.ts';

/** Rows per multi-row INSERT statement (BATCH_ROWS is a multiple of it, so only a last batch has a tail). */
export const EVENTS_PER_STATEMENT = 100;

/**
 * Writes the session's batches into the database, through the caller's open transaction: gives each
 * row its location id (adding new locations), then writes rejects and events. It keeps the ids of
 * events whose duplicate link is to be checked at the end (`unsure`). Runs on the thread
 * that owns the connection, whether the rows were parsed there or in a worker.
 *
 * Events go in groups of EVENTS_PER_STATEMENT rows per INSERT, the values passed as separate
 * arguments (better-sqlite3 then binds them without an element lookup each). A group whose rows
 * have no raw type, rounds or duplicate link, the common case, uses a statement with those columns
 * left out: three values fewer to bind per row.
 */
export class BatchWriter {
  private readonly rejects: BatchInserter;
  private readonly locations: LocationIds;
  private unsureIds = new Float64Array(0);
  private unsureCount = 0;
  /** Statements by shape and row count: `${wide}:${rows}`. */
  private readonly statements = new Map<string, Statement<unknown[]>>();
  private readonly narrowValues: unknown[] = new Array(EVENTS_PER_STATEMENT * NARROW_WIDTH);
  private readonly wideValues: unknown[] = new Array(EVENTS_PER_STATEMENT * WIDE_WIDTH);

  constructor(
    private readonly db: WritableDb,
    private readonly datasetId: number,
    private readonly importId: number,
  ) {
    const ids = { dataset_id: datasetId, import_id: importId };
    this.rejects = new BatchInserter(db, 'rejects', REJECT_COLUMNS, ids, 50);
    this.locations = new LocationIds(locationIdLookup(db));
  }

  write(b: RowBatch): void {
    for (let i = 0; i < b.n; i++) b.location[i] = this.locations.idFor(b.lat[i], b.lon[i]);
    for (const id of b.unsure) {
      if (this.unsureCount === this.unsureIds.length) {
        const grown = new Float64Array(Math.max(1024, this.unsureCount * 2));
        grown.set(this.unsureIds);
        this.unsureIds = grown;
      }
      this.unsureIds[this.unsureCount++] = id;
    }
    for (const r of b.rejects) {
      const v = this.rejects.values;
      const o = this.rejects.next();
      v[o] = r.line;
      v[o + 1] = r.column;
      v[o + 2] = r.raw;
      v[o + 3] = r.reason;
      v[o + 4] = r.detail;
    }
    for (let start = 0; start < b.n; start += EVENTS_PER_STATEMENT) {
      const end = Math.min(b.n, start + EVENTS_PER_STATEMENT);
      let wide = false;
      for (let i = start; i < end && !wide; i++) {
        wide = b.rawType[i] !== null || b.rounds[i] === b.rounds[i] || b.duplicateOf[i] === b.duplicateOf[i];
      }
      const v = wide ? this.wideValues : this.narrowValues;
      let o = 0;
      for (let i = start; i < end; i++) {
        v[o++] = b.line[i];
        v[o++] = b.sourceId[i];
        v[o++] = b.utcMs[i];
        v[o++] = b.offsetS[i];
        v[o++] = b.lat[i];
        v[o++] = b.lon[i];
        v[o++] = b.location[i];
        v[o++] = b.typeCode[i];
        v[o++] = b.raw[i];
        if (wide) {
          v[o++] = b.rawType[i];
          const rounds = b.rounds[i];
          v[o++] = rounds === rounds ? rounds : null;
          const dup = b.duplicateOf[i];
          v[o++] = dup === dup ? dup : null;
        }
      }
      const rows = end - start;
      if (rows < EVENTS_PER_STATEMENT) v.length = o;
      this.statement(wide, rows).run(...v);
      if (rows < EVENTS_PER_STATEMENT) v.length = EVENTS_PER_STATEMENT * (wide ? WIDE_WIDTH : NARROW_WIDTH);
    }
  }

  /** Ids of the events written whose duplicate link is to be checked against the stored rows. */
  get unsure(): Float64Array {
    return this.unsureIds.subarray(0, this.unsureCount);
  }

  /** Writes the rejects still buffered. */
  flush(): void {
    this.rejects.flush();
  }

  private statement(wide: boolean, rows: number): Statement<unknown[]> {
    const key = `${wide}:${rows}`;
    let s = this.statements.get(key);
    if (!s) {
      s = eventInsertStatement(this.db, this.datasetId, this.importId, wide, rows);
      this.statements.set(key, s);
    }
    return s;
  }
}

const NARROW_WIDTH = 9;
const WIDE_WIDTH = 12;

import type { Statement } from 'better-sqlite3';
import type { WritableDb } from '../db/connection.ts';
import { BatchInserter, REJECT_COLUMNS, eventInsertStatement } from '../db/queries/ingest.ts';
import type { RowBatch } from './batch.ts';

/** Rows per multi-row INSERT statement (BATCH_ROWS is a multiple of it, so only a last batch has a tail). */
export const EVENTS_PER_STATEMENT = 100;

/**
 * Writes the session's batches into the database, through the caller's open transaction: new
 * locations first (with the ids the session gave them), then rejects and events. Runs on the thread
 * that owns the connection, whether the rows were parsed there or in a worker.
 *
 * Events go in groups of EVENTS_PER_STATEMENT rows per INSERT, the values passed as separate
 * arguments (better-sqlite3 then binds them without an element lookup each). A group whose rows
 * have no raw type, rounds or duplicate link, the common case, uses a statement with those columns
 * left out: three values fewer to bind per row.
 */
export class BatchWriter {
  private readonly rejects: BatchInserter;
  private readonly location: Statement<[number, number, number]>;
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
    this.location = db.prepare(`INSERT INTO locations (id, lat_e6, lon_e6) VALUES (?, ?, ?)`);
  }

  write(b: RowBatch): void {
    const locs = b.newLocations;
    for (let i = 0; i < locs.length; i += 3) this.location.run(locs[i], locs[i + 1], locs[i + 2]);
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

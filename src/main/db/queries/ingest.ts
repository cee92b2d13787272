import type { Statement } from 'better-sqlite3';
import type { WritableDb } from '../connection.ts';

/** Write-side queries of the importer. All run inside the import's transaction. */

export interface DatasetRow {
  id: number;
  name: string;
  city: string;
  tz: string;
  format: string;
}

export function findDataset(db: WritableDb, name: string): DatasetRow | undefined {
  return db.prepare(`SELECT id, name, city, tz, format FROM datasets WHERE name = ?`).get(name) as
    DatasetRow | undefined;
}

export function createDataset(
  db: WritableDb,
  d: { name: string; city: string; tz: string; format: string; now: string },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO datasets (name, city, tz, format, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(d.name, d.city, d.tz, d.format, d.now, d.now).lastInsertRowid,
  );
}

export function touchDataset(db: WritableDb, id: number, now: string): void {
  db.prepare(`UPDATE datasets SET updated_at = ? WHERE id = ?`).run(now, id);
}

export interface ImportRow {
  id: number;
  sourceFile: string;
  size: number;
  sha256: string;
  format: string;
  importedAt: string;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  skippedExisting: number;
}

const IMPORT_COLUMNS = `id, source_file AS sourceFile, size, sha256, format, imported_at AS importedAt, rows,
  imported, duplicates, rejected, skipped_existing AS skippedExisting`;

export function importsOfSize(db: WritableDb, datasetId: number, size: number): ImportRow[] {
  return db
    .prepare(`SELECT ${IMPORT_COLUMNS} FROM imports WHERE dataset_id = ? AND size = ?`)
    .all(datasetId, size) as ImportRow[];
}

/** Starts an import record; its sha256 is filled in by finishImport once the file has been read. */
export function createImport(
  db: WritableDb,
  i: { datasetId: number; sourceFile: string; size: number; format: string; importedAt: string },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO imports (dataset_id, source_file, size, sha256, format, imported_at, rows, imported, duplicates, rejected)
         VALUES (?, ?, ?, 'pending:' || hex(randomblob(8)), ?, ?, 0, 0, 0, 0)`,
      )
      .run(i.datasetId, i.sourceFile, i.size, i.format, i.importedAt).lastInsertRowid,
  );
}

export function finishImport(
  db: WritableDb,
  id: number,
  c: {
    sha256: string;
    rows: number;
    imported: number;
    duplicates: number;
    rejected: number;
    skippedExisting: number;
  },
): void {
  db.prepare(
    `UPDATE imports SET sha256 = ?, rows = ?, imported = ?, duplicates = ?, rejected = ?, skipped_existing = ? WHERE id = ?`,
  ).run(c.sha256, c.rows, c.imported, c.duplicates, c.rejected, c.skippedExisting, id);
}

/** Time range of one import's events (local ISO strings), for the report of a skipped re-import. */
export function importRange(db: WritableDb, importId: number): { from: string | null; to: string | null } {
  const first = db
    .prepare(`SELECT local_time AS t FROM events_local WHERE import_id = ? ORDER BY utc_ms ASC LIMIT 1`)
    .get(importId) as { t: string } | undefined;
  const last = db
    .prepare(`SELECT local_time AS t FROM events_local WHERE import_id = ? ORDER BY utc_ms DESC LIMIT 1`)
    .get(importId) as { t: string } | undefined;
  return { from: first?.t ?? null, to: last?.t ?? null };
}

export function countDatasetEvents(db: WritableDb, datasetId: number): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM events WHERE dataset_id = ?`).get(datasetId) as { n: number })
    .n;
}

export function maxEventId(db: WritableDb): number {
  return (db.prepare(`SELECT COALESCE(MAX(id), 0) AS m FROM events`).get() as { m: number }).m;
}

/**
 * The id of a coordinate pair, added to the locations table if new (inside the import's
 * transaction): one statement for a new pair, two for a stored one.
 */
export function locationIdLookup(db: WritableDb): (latE6: number, lonE6: number) => number {
  const insert = db.prepare(`INSERT OR IGNORE INTO locations (lat_e6, lon_e6) VALUES (?, ?)`);
  const find = db.prepare(`SELECT id FROM locations WHERE lat_e6 = ? AND lon_e6 = ?`).pluck();
  return (latE6, lonE6) => {
    const r = insert.run(latE6, lonE6);
    return r.changes === 1 ? Number(r.lastInsertRowid) : (find.get(latE6, lonE6) as number);
  };
}

export function maxLocationId(db: WritableDb): number {
  return db.prepare(`SELECT COALESCE(MAX(id), 0) FROM locations`).pluck().get() as number;
}

/**
 * Event columns bound per row, in order; the wide form adds the three that are usually empty. `id` is
 * not among them: SQLite gives each appended row MAX(id) + 1, which the importer predicts (and checks),
 * and a bound value fewer per row is measurable at a million rows.
 */
export const EVENT_COLUMNS = [
  'line',
  'source_id',
  'utc_ms',
  'utc_offset_s',
  'lat',
  'lon',
  'location_id',
  'type_code',
  'raw',
] as const;
export const EVENT_EXTRA_COLUMNS = ['raw_type', 'rounds', 'duplicate_of'] as const;

/**
 * An INSERT of `rows` events of one import. Dataset and import are written into the statement as
 * literals, so they cost nothing per row. OR FAIL instead of the default ABORT spares SQLite a
 * statement journal (a copy of each page a statement changes, ~15% of an insert): a row that breaks a
 * constraint still stops the import with an error, and the import's rollback undoes the whole file.
 */
export function eventInsertStatement(
  db: WritableDb,
  datasetId: number,
  importId: number,
  wide: boolean,
  rows: number,
): Statement<unknown[]> {
  if (!Number.isSafeInteger(datasetId) || !Number.isSafeInteger(importId)) {
    throw new Error(`not integer ids: ${datasetId}, ${importId}`);
  }
  const cols: readonly string[] = wide ? [...EVENT_COLUMNS, ...EVENT_EXTRA_COLUMNS] : EVENT_COLUMNS;
  const row = `(${datasetId},${importId},${cols.map(() => '?').join(',')})`;
  return db.prepare(
    `INSERT OR FAIL INTO events (dataset_id,import_id,${cols.join(',')}) VALUES ${Array.from({ length: rows }, () => row).join(',')}`,
  );
}

export const REJECT_COLUMNS = ['line', 'column_name', 'raw', 'reason', 'detail'] as const;

/**
 * Inserts rows many per statement: one multi-row INSERT per `batch` rows costs far less than a
 * statement call per row, which matters at a million rows. Values are passed as separate arguments
 * (spread), which better-sqlite3 binds without an element lookup per value.
 */
export class BatchInserter {
  /** Row values, `width` per row; write a reserved row's values at the offset `next()` returns. */
  readonly values: unknown[];
  private n = 0;
  private readonly full: Statement<unknown[]>;
  private readonly one: Statement<unknown[]>;
  private readonly width: number;

  /**
   * `constants` are integer columns equal for every row of the import (dataset, import): written into
   * the statement as literals, so they cost nothing per row.
   */
  constructor(
    db: WritableDb,
    table: string,
    columns: readonly string[],
    constants: Record<string, number>,
    private readonly batch = 100,
  ) {
    this.width = columns.length;
    const names = [...Object.keys(constants), ...columns];
    for (const v of Object.values(constants))
      if (!Number.isSafeInteger(v)) throw new Error(`not an integer: ${v}`);
    const row = `(${[...Object.values(constants).map(String), ...columns.map(() => '?')].join(',')})`;
    const head = `INSERT INTO ${table} (${names.join(',')}) VALUES `;
    this.full = db.prepare(head + Array.from({ length: batch }, () => row).join(','));
    this.one = db.prepare(head + row);
    this.values = new Array(batch * this.width);
  }

  /** Reserves the next row and returns the offset of its first value. */
  next(): number {
    if (this.n === this.batch) this.flush();
    return this.n++ * this.width;
  }

  flush(): void {
    if (this.n === this.batch) this.full.run(...this.values);
    else {
      for (let r = 0; r < this.n; r++)
        this.one.run(...this.values.slice(r * this.width, (r + 1) * this.width));
    }
    this.n = 0;
  }
}

/**
 * Events of earlier imports of a dataset with the same type, second and location. The dataset-time
 * index narrows it to one second of the dataset; type and location are checked on those few rows.
 */
export function existingMatchesStatement(
  db: WritableDb,
): Statement<
  [number, number, number, number, number, number, number],
  { id: number; sourceId: string | null; utcMs: number }
> {
  return db.prepare(
    `SELECT id, source_id AS sourceId, utc_ms AS utcMs FROM events
     WHERE dataset_id = ? AND type_code = ? AND utc_ms >= ? AND utc_ms < ? AND import_id != ?
       AND location_id = (SELECT id FROM locations WHERE lat_e6 = ? AND lon_e6 = ?)
     ORDER BY id`,
  );
}

/**
 * Re-checks events whose duplicate link the importer could not settle in memory (see DuplicateIndex):
 * each gets the first earlier event of its dataset with the same type, whole second and location.
 * Runs inside the import's transaction, after the events index is in place. Returns how many events
 * became duplicates that were not flagged before.
 */
export function fixDuplicateLinks(db: WritableDb, ids: Float64Array): number {
  const event = db.prepare(
    `SELECT dataset_id AS datasetId, utc_ms AS utcMs, type_code AS typeCode, location_id AS locationId,
       duplicate_of AS duplicateOf FROM events WHERE id = ?`,
  );
  const first = db
    .prepare(
      `SELECT MIN(id) FROM events
       WHERE dataset_id = ? AND utc_ms >= ? AND utc_ms < ? AND type_code = ? AND location_id = ? AND id < ?`,
    )
    .pluck();
  const update = db.prepare(`UPDATE events SET duplicate_of = ? WHERE id = ?`);
  let added = 0;
  for (const id of ids) {
    const e = event.get(id) as
      | { datasetId: number; utcMs: number; typeCode: number; locationId: number; duplicateOf: number | null }
      | undefined;
    if (!e) continue;
    const from = Math.floor(e.utcMs / 1000) * 1000;
    const dup = first.get(e.datasetId, from, from + 1000, e.typeCode, e.locationId, id) as number | null;
    if (dup === null || dup === e.duplicateOf) continue;
    update.run(dup, id);
    if (e.duplicateOf === null) added++;
  }
  return added;
}

/** The secondary indexes of a table, with the SQL that re-creates each. */
export function tableIndexes(db: WritableDb, table: string): { name: string; sql: string }[] {
  return db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
    .all(table) as { name: string; sql: string }[];
}

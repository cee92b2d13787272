import type { WritableDb } from '../connection.ts';

/** Write-side queries of dataset management: rename, delete, change the zone or the holidays. */

/** What a dataset holds, counted before a delete (and reported after it). */
export interface DatasetHoldings {
  events: number;
  rejects: number;
  imports: number;
  runs: number;
  models: number;
  trials: number;
}

export function datasetHoldings(db: WritableDb, datasetId: number): DatasetHoldings {
  const count = (table: string) =>
    db.prepare(`SELECT COUNT(*) FROM ${table} WHERE dataset_id = ?`).pluck().get(datasetId) as number;
  return {
    events: count('events'),
    rejects: count('rejects'),
    imports: count('imports'),
    runs: count('evaluation_runs'),
    models: count('models'),
    trials: count('tuning_trials'),
  };
}

export function setDatasetHolidaysRow(
  db: WritableDb,
  datasetId: number,
  dates: readonly string[],
  now: string,
): void {
  db.prepare(`UPDATE datasets SET holidays = ?, updated_at = ? WHERE id = ?`).run(
    dates.join(','),
    now,
    datasetId,
  );
}

export function renameDatasetRow(db: WritableDb, datasetId: number, name: string, now: string): void {
  db.prepare(`UPDATE datasets SET name = ?, updated_at = ? WHERE id = ?`).run(name, now, datasetId);
}

/** The ONNX and checkpoint files of a dataset's registered models. */
export function modelFilesOf(db: WritableDb, datasetId: number): string[] {
  const rows = db
    .prepare(`SELECT onnx_path AS onnx, checkpoint_path AS ckpt FROM models WHERE dataset_id = ?`)
    .all(datasetId) as { onnx: string; ckpt: string | null }[];
  return rows.flatMap((r) => (r.ckpt ? [r.onnx, r.ckpt] : [r.onnx]));
}

/** True when a model row (of any dataset) still names this file. */
export function modelFileInUse(db: WritableDb, path: string): boolean {
  return (
    db
      .prepare(`SELECT 1 FROM models WHERE onnx_path = ? OR checkpoint_path = ? LIMIT 1`)
      .pluck()
      .get(path, path) !== undefined
  );
}

/**
 * Deletes a dataset and everything that hangs off it: events, imports, rejects, evaluation runs,
 * registered models and tuning trials (by the schema's ON DELETE CASCADE). Duplicate links point only
 * within a dataset; they are cleared first so no row ever points at a deleted one mid-statement.
 */
export function deleteDatasetRows(db: WritableDb, datasetId: number): void {
  db.prepare(`UPDATE events SET duplicate_of = NULL WHERE dataset_id = ? AND duplicate_of IS NOT NULL`).run(
    datasetId,
  );
  db.prepare(`DELETE FROM datasets WHERE id = ?`).run(datasetId);
}

/**
 * A dataset's event times in id order: [id, utc_ms, utc_offset_s] rows. Read whole (not iterated),
 * since the caller updates the same rows and a connection cannot write while a read is open.
 */
export function eventTimes(db: WritableDb, datasetId: number): [number, number, number][] {
  return db
    .prepare(`SELECT id, utc_ms, utc_offset_s FROM events WHERE dataset_id = ? ORDER BY id`)
    .raw(true)
    .all(datasetId) as [number, number, number][];
}

/** A statement that sets one event's instant and offset: run(utcMs, offsetSeconds, id). */
export function updateEventTimeStatement(db: WritableDb) {
  return db.prepare(`UPDATE events SET utc_ms = ?, utc_offset_s = ? WHERE id = ?`);
}

export function setDatasetZoneRow(db: WritableDb, datasetId: number, tz: string, now: string): void {
  db.prepare(`UPDATE datasets SET tz = ?, updated_at = ? WHERE id = ?`).run(tz, now, datasetId);
}

import type { ReadonlyDb } from '../connection.ts';

export interface DatasetSummary {
  id: number;
  name: string;
  city: string;
  tz: string;
  format: string;
  createdAt: string;
  updatedAt: string;
  events: number;
  duplicates: number;
  rejects: number;
  /** Local ISO times of the first and last event, or null for an empty dataset. */
  from: string | null;
  to: string | null;
  /** The dataset's own holiday dates (YYYY-MM-DD or yearly MM-DD), sorted; the built-in ones are not listed. */
  holidays: string[];
  imports: { sourceFile: string; size: number; sha256: string; importedAt: string; rows: number }[];
}

export function listDatasets(db: ReadonlyDb): DatasetSummary[] {
  const rows = db
    .prepare(
      `SELECT d.id, d.name, d.city, d.tz, d.format, d.created_at AS createdAt, d.updated_at AS updatedAt, d.holidays,
        (SELECT COUNT(*) FROM events e WHERE e.dataset_id = d.id) AS events,
        (SELECT COUNT(*) FROM events e WHERE e.dataset_id = d.id AND e.duplicate_of IS NOT NULL) AS duplicates,
        (SELECT COUNT(*) FROM rejects r WHERE r.dataset_id = d.id) AS rejects,
        (SELECT local_time FROM events_local e WHERE e.dataset_id = d.id ORDER BY utc_ms ASC LIMIT 1) AS "from",
        (SELECT local_time FROM events_local e WHERE e.dataset_id = d.id ORDER BY utc_ms DESC LIMIT 1) AS "to"
       FROM datasets d ORDER BY d.name`,
    )
    .all() as (Omit<DatasetSummary, 'imports' | 'holidays'> & { holidays: string })[];
  const imports = db.prepare(
    `SELECT source_file AS sourceFile, size, sha256, imported_at AS importedAt, rows FROM imports WHERE dataset_id = ? ORDER BY id`,
  );
  return rows.map((r) => ({
    ...r,
    holidays: splitHolidays(r.holidays),
    imports: imports.all(r.id) as DatasetSummary['imports'],
  }));
}

export function getDatasetByName(
  db: ReadonlyDb,
  name: string,
): { id: number; name: string; city: string; tz: string } | undefined {
  return db.prepare(`SELECT id, name, city, tz FROM datasets WHERE name = ?`).get(name) as
    { id: number; name: string; city: string; tz: string } | undefined;
}

/** A dataset's own holiday dates, as stored (sorted; empty for none). */
export function datasetHolidays(db: ReadonlyDb, datasetId: number): string[] {
  const text = db.prepare(`SELECT holidays FROM datasets WHERE id = ?`).pluck().get(datasetId) as
    string | undefined;
  return splitHolidays(text ?? '');
}

const splitHolidays = (text: string): string[] => (text === '' ? [] : text.split(','));

import type { ReadonlyDb } from '../connection.ts';

export interface RejectRow {
  id: number;
  /** The file the row came from. */
  sourceFile: string;
  line: number;
  column: string | null;
  raw: string;
  reason: string;
  detail: string | null;
}

export interface RejectPage {
  dataset: string;
  total: number;
  byReason: Record<string, number>;
  rows: RejectRow[];
}

/** A page of a dataset's rejected rows (in file order) with counts by reason; for the app's reject report. */
export function listRejects(
  db: ReadonlyDb,
  datasetName: string,
  page: { limit?: number; offset?: number } = {},
): RejectPage {
  const ds = db.prepare(`SELECT id FROM datasets WHERE name = ?`).get(datasetName) as
    { id: number } | undefined;
  if (!ds) return { dataset: datasetName, total: 0, byReason: {}, rows: [] };
  const byReason: Record<string, number> = {};
  let total = 0;
  for (const r of db
    .prepare(`SELECT reason, COUNT(*) AS n FROM rejects WHERE dataset_id = ? GROUP BY reason ORDER BY reason`)
    .all(ds.id) as { reason: string; n: number }[]) {
    byReason[r.reason] = r.n;
    total += r.n;
  }
  const rows = db
    .prepare(
      `SELECT r.id, i.source_file AS sourceFile, r.line, r.column_name AS "column", r.raw, r.reason, r.detail
       FROM rejects r JOIN imports i ON i.id = r.import_id
       WHERE r.dataset_id = ? ORDER BY r.import_id, r.id LIMIT ? OFFSET ?`,
    )
    .all(ds.id, Math.max(0, page.limit ?? 100), Math.max(0, page.offset ?? 0)) as RejectRow[];
  return { dataset: datasetName, total, byReason, rows };
}

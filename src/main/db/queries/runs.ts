import type { ReadonlyDb, WritableDb } from '../connection.ts';

export interface StoredRunInput {
  datasetId: number;
  datasetHash: string;
  dataCutoff: string;
  testFrom: string;
  testTo: string;
  step: string;
  models: string[];
  options: unknown;
  result: unknown;
  seconds: number;
  createdAt?: string;
}

/** A stored run as listed: what was stored, less its options and result, with its id and dataset's name. */
export interface StoredRun extends Omit<StoredRunInput, 'datasetId' | 'options' | 'result' | 'createdAt'> {
  id: number;
  dataset: string;
  createdAt: string;
}

export function saveRun(db: WritableDb, run: StoredRunInput): number {
  return Number(
    db
      .prepare(
        `INSERT INTO evaluation_runs (dataset_id, created_at, dataset_hash, data_cutoff, test_from, test_to, step,
           models, options_json, result_json, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.datasetId,
        run.createdAt ?? new Date().toISOString(),
        run.datasetHash,
        run.dataCutoff,
        run.testFrom,
        run.testTo,
        run.step,
        JSON.stringify(run.models),
        JSON.stringify(run.options),
        JSON.stringify(run.result),
        run.seconds,
      ).lastInsertRowid,
  );
}

/** A stored run as its row holds it: the model list still JSON text. */
type Row = Omit<StoredRun, 'models'> & { models: string };

const SELECT = `SELECT r.id, d.name AS dataset, r.created_at AS createdAt, r.dataset_hash AS datasetHash,
  r.data_cutoff AS dataCutoff, r.test_from AS testFrom, r.test_to AS testTo, r.step, r.models, r.seconds
  FROM evaluation_runs r JOIN datasets d ON d.id = r.dataset_id`;

/** Stored runs, newest first, optionally of one dataset. */
export function listRuns(db: ReadonlyDb, dataset?: string): StoredRun[] {
  const rows = (
    dataset === undefined
      ? db.prepare(`${SELECT} ORDER BY r.id DESC`).all()
      : db.prepare(`${SELECT} WHERE d.name = ? ORDER BY r.id DESC`).all(dataset)
  ) as Row[];
  return rows.map((r) => ({ ...r, models: JSON.parse(r.models) as string[] }));
}

/** One run with its options and full results, or undefined. */
export function getRun(
  db: ReadonlyDb,
  id: number,
): (StoredRun & { options: unknown; result: unknown }) | undefined {
  const r = db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as Row | undefined;
  if (!r) return undefined;
  const extra = db.prepare(`SELECT options_json, result_json FROM evaluation_runs WHERE id = ?`).get(id) as {
    options_json: string;
    result_json: string;
  };
  return {
    ...r,
    models: JSON.parse(r.models) as string[],
    options: JSON.parse(extra.options_json),
    result: JSON.parse(extra.result_json),
  };
}

/** The raw results of a dataset's runs on a step, newest first (the briefing reads its track record here). */
export function runResults(
  db: ReadonlyDb,
  datasetId: number,
  step: string,
): { id: number; testFrom: string; testTo: string; step: string; result: string }[] {
  const table = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'evaluation_runs'`)
    .get();
  if (table === undefined) return [];
  return db
    .prepare(
      `SELECT id, test_from AS testFrom, test_to AS testTo, step, result_json AS result FROM evaluation_runs
       WHERE dataset_id = ? AND step = ? ORDER BY id DESC`,
    )
    .all(datasetId, step) as { id: number; testFrom: string; testTo: string; step: string; result: string }[];
}

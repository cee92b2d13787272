import type { ReadonlyDb } from '../connection.ts';

/** Queries of storing a run kept in a file (see evaluate/store-run.ts). */

/** The id of a stored run with the same dataset, creation time, data, test window and models, if any. */
export function findSameRun(
  db: ReadonlyDb,
  run: {
    datasetId: number;
    createdAt: string;
    datasetHash: string;
    testFrom: string;
    testTo: string;
    step: string;
    models: string[];
  },
): number | undefined {
  return db
    .prepare(
      `SELECT id FROM evaluation_runs WHERE dataset_id = ? AND created_at = ? AND dataset_hash = ? AND test_from = ?
         AND test_to = ? AND step = ? AND models = ?`,
    )
    .pluck()
    .get(
      run.datasetId,
      run.createdAt,
      run.datasetHash,
      run.testFrom,
      run.testTo,
      run.step,
      JSON.stringify(run.models),
    ) as number | undefined;
}

/** The name of a dataset by id, if it exists. */
export function datasetName(db: ReadonlyDb, id: number): string | undefined {
  return db.prepare(`SELECT name FROM datasets WHERE id = ?`).pluck().get(id) as string | undefined;
}

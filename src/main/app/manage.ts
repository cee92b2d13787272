/**
 * Use cases that manage a dataset: rename it, delete it with all it holds, change its time zone, set
 * its own holiday dates.
 */
import type { WritableDb } from '../db/connection.ts';
import { datasetHoldings } from '../db/queries/manage.ts';
import { requireDataset } from '../grid/build.ts';

export { deleteDataset, renameDataset, setDatasetHolidays, setDatasetZone } from '../ingest/manage.ts';

/** What deleting a dataset would remove (events, rejects, runs, models), for the confirmation. */
export function holdingsOf(db: WritableDb, dataset: string): ReturnType<typeof datasetHoldings> {
  return datasetHoldings(db, requireDataset(db, dataset).id);
}

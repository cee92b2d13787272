/**
 * The `importData` use case: alert files into a dataset (several files all-or-nothing: one transaction,
 * a savepoint per file), and the rejected rows' listing.
 */
import { listRejects } from '../db/queries/rejects.ts';
import { importFiles, type ImportOptions, type ImportReport } from '../ingest/import.ts';
import { DataError } from '../util/errors.ts';
import type { JobHooks, ReadonlyDb, Workstation } from './context.ts';

export type { ImportOptions, ImportReport };
export { REJECT_REASONS } from '../ingest/rejects.ts';

export interface ImportRequest extends ImportOptions {
  files: string[];
}

export async function importData(
  ws: Workstation,
  req: ImportRequest,
  hooks: JobHooks = {},
): Promise<ImportReport[]> {
  const { files, ...opts } = req;
  try {
    return await importFiles(ws.db, files, opts, hooks.progress);
  } catch (e) {
    if (e instanceof DataError && files.length > 1)
      throw new DataError(`${e.message} (none of the ${files.length} files was imported)`);
    throw e;
  }
}

/** A page of a dataset's rejected rows, with the counts by reason. */
export function rejects(db: ReadonlyDb, dataset: string, page: { limit: number; offset: number }) {
  const p = listRejects(db, dataset, page);
  return {
    total: p.total,
    byReason: p.byReason,
    rows: p.rows.map((r) => ({ line: r.line, reason: r.reason, column: r.column, raw: r.raw })),
  };
}

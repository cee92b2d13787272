import type { ReadonlyDb } from '../db/connection.ts';
import { getDatasetByName } from '../db/queries/datasets.ts';
import { eventsBBox, loadEventColumns, type EventColumns } from '../db/queries/events.ts';
import { DataError } from '../util/errors.ts';
import { makeGrid } from './spec.ts';
import type { GridOptions, GridSpec } from './types.ts';

export interface DatasetRef {
  id: number;
  name: string;
  city: string;
  tz: string;
}

export function requireDataset(db: ReadonlyDb, name: string): DatasetRef {
  const d = getDatasetByName(db, name);
  if (!d) throw new DataError(`no dataset named '${name}' in the database (see 'shotcast datasets')`);
  return d;
}

/**
 * A dataset's grid and its distinct events (duplicates left out), optionally only those before an
 * instant. A grid taken from the data spans the events before `extentBeforeMs`, so a forecast's grid
 * does not depend on where later events fell.
 */
export function loadGridAndEvents(
  db: ReadonlyDb,
  dataset: DatasetRef,
  gridOptions: GridOptions,
  beforeMs?: number,
  extentBeforeMs?: number,
): { grid: GridSpec; events: EventColumns } {
  const grid = makeGrid(gridOptions, () => eventsBBox(db, dataset.id, extentBeforeMs ?? beforeMs));
  const events = loadEventColumns(db, dataset.id, { beforeMs });
  return { grid, events };
}

/** The `datasets`, `runs` and `models` listings, as every door shows them. */
import type { ReadonlyDb } from '../db/connection.ts';
import { listDatasets } from '../db/queries/datasets.ts';
import { listModels } from '../db/queries/models.ts';
import { getRun, listRuns as storedRuns, type StoredRun } from '../db/queries/runs.ts';
import { requireDataset } from '../grid/build.ts';
import type { StepSpec } from '../grid/types.ts';
import { registeredLabel } from './forecast.ts';

export { getRun };
export { importRunFile } from '../evaluate/store-run.ts';

/** Stored evaluation runs, newest first; of one dataset when named (a mistyped name is an error, not an empty list). */
export function listRuns(db: ReadonlyDb, dataset?: string): StoredRun[] {
  if (dataset !== undefined) requireDataset(db, dataset);
  return storedRuns(db, dataset);
}

export function datasets(db: ReadonlyDb) {
  return listDatasets(db);
}

export interface ModelListing {
  id: number;
  name: string;
  preset: string;
  label: string;
  createdAt: string;
  grid: { rows: number; cols: number; bbox: [number, number, number, number] } | null;
  step: StepSpec['unit'] | null;
  dataCutoff: string;
  metrics: Record<string, unknown>;
  onnxPath: string;
  parentId: number | null;
}

/** A dataset's registered models, newest first. */
export function models(db: ReadonlyDb, dataset: string): ModelListing[] {
  const d = requireDataset(db, dataset);
  return listModels(db, d.id)
    .reverse()
    .map((m) => {
      const g = m.params.grid as ModelListing['grid'] | undefined;
      const step = m.params.step as StepSpec | undefined;
      return {
        id: m.id,
        name: m.name,
        preset: m.preset,
        label: registeredLabel(m),
        createdAt: m.createdAt,
        grid: g ? { rows: g.rows, cols: g.cols, bbox: g.bbox } : null,
        step: step?.unit ?? null,
        dataCutoff: m.dataCutoff,
        metrics: m.metrics,
        onnxPath: m.onnxPath,
        parentId: m.parentId,
      };
    });
}

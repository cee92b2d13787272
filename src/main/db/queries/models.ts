import { createHash } from 'node:crypto';
import type { ReadonlyDb, WritableDb } from '../connection.ts';

/** A trained network in the registry. JSON columns are parsed. */
export interface ModelRecord {
  id: number;
  datasetId: number;
  name: string;
  preset: string;
  params: Record<string, unknown>;
  datasetHash: string;
  /** Local ISO date: the model saw events strictly before this day. */
  dataCutoff: string;
  metrics: Record<string, unknown>;
  onnxPath: string;
  onnxSha256: string;
  checkpointPath: string | null;
  parentId: number | null;
  createdAt: string;
}

export type NewModel = Omit<ModelRecord, 'id' | 'createdAt'> & { createdAt?: string };

interface ModelRow {
  id: number;
  datasetId: number;
  name: string;
  preset: string;
  params: string;
  datasetHash: string;
  dataCutoff: string;
  metrics: string;
  onnxPath: string;
  onnxSha256: string;
  checkpointPath: string | null;
  parentId: number | null;
  createdAt: string;
}

const SELECT = `SELECT id, dataset_id AS datasetId, name, preset, params, dataset_hash AS datasetHash,
  data_cutoff AS dataCutoff, metrics, onnx_path AS onnxPath, onnx_sha256 AS onnxSha256,
  checkpoint_path AS checkpointPath, parent_id AS parentId, created_at AS createdAt FROM models`;

function parse(row: ModelRow): ModelRecord {
  return {
    ...row,
    params: JSON.parse(row.params) as Record<string, unknown>,
    metrics: JSON.parse(row.metrics) as Record<string, unknown>,
  };
}

export function insertModel(db: WritableDb, m: NewModel): number {
  const info = db
    .prepare(
      `INSERT INTO models (dataset_id, name, preset, params, dataset_hash, data_cutoff, metrics, onnx_path,
        onnx_sha256, checkpoint_path, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      m.datasetId,
      m.name,
      m.preset,
      JSON.stringify(m.params),
      m.datasetHash,
      m.dataCutoff,
      JSON.stringify(m.metrics),
      m.onnxPath,
      m.onnxSha256,
      m.checkpointPath,
      m.parentId,
      m.createdAt ?? new Date().toISOString(),
    );
  return Number(info.lastInsertRowid);
}

/** Removes a model from the registry (a fine-tune of it keeps its row, its parent set to null). */
export function deleteModel(db: WritableDb, id: number): boolean {
  return db.prepare(`DELETE FROM models WHERE id = ?`).run(id).changes > 0;
}

/** Whether any registered model names this file as its ONNX file or its checkpoint. */
export function fileInRegistry(db: ReadonlyDb, file: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM models WHERE onnx_path = ? OR checkpoint_path = ?`).get(file, file) !==
    undefined
  );
}

export function getModel(db: ReadonlyDb, id: number): ModelRecord | undefined {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id) as ModelRow | undefined;
  return row && parse(row);
}

/** The newest model of a dataset (highest id), or undefined. */
export function latestModel(db: ReadonlyDb, datasetId: number): ModelRecord | undefined {
  const row = db.prepare(`${SELECT} WHERE dataset_id = ? ORDER BY id DESC LIMIT 1`).get(datasetId) as
    ModelRow | undefined;
  return row && parse(row);
}

export function listModels(db: ReadonlyDb, datasetId: number): ModelRecord[] {
  return (db.prepare(`${SELECT} WHERE dataset_id = ? ORDER BY id`).all(datasetId) as ModelRow[]).map(parse);
}

/**
 * A fingerprint of a dataset's content: the sha256 of its imported files in import order, so a model
 * can say which data it was trained on.
 */
export function datasetHash(db: ReadonlyDb, datasetId: number): string {
  const shas = db.prepare(`SELECT sha256 FROM imports WHERE dataset_id = ? ORDER BY id`).all(datasetId) as {
    sha256: string;
  }[];
  const h = createHash('sha256');
  for (const s of shas) h.update(s.sha256 + '\n');
  return h.digest('hex');
}

export interface TrialRecord {
  study: string;
  trial: number;
  datasetId: number | null;
  params: Record<string, unknown>;
  /** Null when the trial failed. */
  objective: number | null;
  seconds: number;
  status: string;
  createdAt: string;
}

export function insertTrial(db: WritableDb, t: Omit<TrialRecord, 'createdAt'>): void {
  db.prepare(
    `INSERT INTO tuning_trials (dataset_id, study, trial, params, objective, seconds, status, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    t.datasetId,
    t.study,
    t.trial,
    JSON.stringify(t.params),
    t.objective,
    t.seconds,
    t.status,
    new Date().toISOString(),
  );
}

export function listTrials(db: ReadonlyDb, study: string): TrialRecord[] {
  const rows = db
    .prepare(
      `SELECT study, trial, dataset_id AS datasetId, params, objective, seconds, status, created_at AS createdAt
       FROM tuning_trials WHERE study = ? ORDER BY trial`,
    )
    .all(study) as (Omit<TrialRecord, 'params'> & { params: string })[];
  return rows.map((r) => ({ ...r, params: JSON.parse(r.params) as Record<string, unknown> }));
}

/** Points a model's row at its files (once, right after registration, inside the same transaction). */
export function setModelFiles(
  db: WritableDb,
  id: number,
  onnxPath: string,
  checkpointPath: string | null,
): void {
  db.prepare(`UPDATE models SET onnx_path = ?, checkpoint_path = ? WHERE id = ?`).run(
    onnxPath,
    checkpointPath,
    id,
  );
}

/** The registered model whose ONNX or checkpoint file is at `path`, or undefined. */
export function modelOwningFile(db: ReadonlyDb, path: string): { id: number } | undefined {
  return db
    .prepare(`SELECT id FROM models WHERE onnx_path = ? OR checkpoint_path = ? LIMIT 1`)
    .get(path, path) as { id: number } | undefined;
}

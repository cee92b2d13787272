import type { Migration } from './index.ts';

export const m003: Migration = {
  version: 3,
  name: 'model registry and tuning trials',
  up: `
    -- One row per trained network; a fine-tune points at the model it started from.
    CREATE TABLE models (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      preset TEXT NOT NULL,
      params TEXT NOT NULL,
      dataset_hash TEXT NOT NULL,
      data_cutoff TEXT NOT NULL,
      metrics TEXT NOT NULL,
      onnx_path TEXT NOT NULL,
      onnx_sha256 TEXT NOT NULL,
      checkpoint_path TEXT,
      parent_id INTEGER REFERENCES models(id) ON DELETE SET NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX models_dataset ON models(dataset_id, id);
    CREATE TABLE tuning_trials (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER REFERENCES datasets(id) ON DELETE CASCADE,
      study TEXT NOT NULL,
      trial INTEGER NOT NULL,
      params TEXT NOT NULL,
      objective REAL,
      seconds REAL NOT NULL,
      status TEXT NOT NULL DEFAULT 'ok',
      created_at TEXT NOT NULL,
      UNIQUE (study, trial)
    );
  `,
};

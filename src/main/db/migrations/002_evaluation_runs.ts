import type { Migration } from './index.ts';

export const m002: Migration = {
  version: 2,
  name: 'evaluation runs',
  up: `
    -- One row per walk-forward evaluation: what was asked, on which data, and what it scored.
    CREATE TABLE evaluation_runs (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      created_at TEXT NOT NULL,
      -- sha256 over the dataset's imported files, so a run can be matched to the exact data it saw.
      dataset_hash TEXT NOT NULL,
      -- Local ISO start of the first test step: nothing at or after it trained any model.
      data_cutoff TEXT NOT NULL,
      test_from TEXT NOT NULL,
      test_to TEXT NOT NULL,
      step TEXT NOT NULL,
      models TEXT NOT NULL,
      options_json TEXT NOT NULL,
      result_json TEXT NOT NULL,
      seconds REAL NOT NULL
    );
    CREATE INDEX evaluation_runs_dataset ON evaluation_runs(dataset_id, created_at);
  `,
};
